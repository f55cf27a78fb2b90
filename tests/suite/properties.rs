//! Rules that hold for every input, not only for the fixtures.

use crate::common;

use std::fmt::Write;
use std::sync::LazyLock;

use fleetc::Date;
use fleetc::{Source, compile};
use proptest::prelude::*;
use regex::Regex;

/// The implicit scalar types of YAML 1.1 (yaml.org/type) and of the YAML 1.2 core schema: a plain
/// scalar matching any of these is not read back as a string by some Kubernetes tool.
static NOT_A_STRING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:",
        r"y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
        r"|~|null|Null|NULL|",
        r"|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+",
        r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+|0o[0-7]+",
        r"|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?:[eE][-+]?[0-9]+)",
        r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*",
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?",
        r"|<<|=",
        r")$"
    ))
    .unwrap()
});

fn risky_or_random() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,10}",
        "[-+.0-9eExXoObB_:]{1,8}",
        prop::sample::select(vec![
            "yes",
            "No",
            "ON",
            "off",
            "y",
            "~",
            "null",
            "0755",
            "1e3",
            "0x1F",
            "12:30",
            ".inf",
            "2026-01-01",
            "<<",
            "=",
            "-",
            "- a",
            "? x",
            "a #b",
            "x: y",
            "",
            " lead",
            "trail ",
        ])
        .prop_map(str::to_owned),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_string_reads_back_as_the_same_string(value in risky_or_random()) {
        let yaml = fleetc::to_yaml(&serde_json::json!({ "v": value }));
        let back: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
        prop_assert_eq!(back["v"].as_str(), Some(value.as_str()), "{}", yaml);
        let scalar = yaml.trim_end().strip_prefix("v: ").unwrap();
        let quoted = scalar.starts_with(['"', '\'', '|', '>']);
        prop_assert!(quoted || !NOT_A_STRING.is_match(scalar), "{:?} came out plain as {}", value, scalar);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "(?s).{0,200}") {
        let _ = compile(&Source::new("fuzz.toml", text), today());
    }

    #[test]
    fn damaged_specs_never_panic(line in 0usize..200, cut in 0usize..40, insert in "[ -~]{0,6}") {
        let spec = include_str!("../../spec/enterprise.toml");
        let mut lines: Vec<String> = spec.lines().map(str::to_owned).collect();
        let index = line % lines.len();
        let target = &mut lines[index];
        let at = target.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(target.len());
        target.insert_str(at, &insert);
        let _ = compile(&Source::new("enterprise.toml", lines.join("\n")), today());
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn generated_specs_compile_deterministically(
        services in prop::collection::vec(("[a-z][a-z0-9]{0,10}", 0i64..5, any::<bool>(), any::<bool>()), 1..15),
        envs in prop::sample::subsequence(vec!["dev", "qa", "staging", "prod"], 1..=4),
    ) {
        let text = spec_text(&services, &envs);
        let first = compile(&Source::new("enterprise.toml", text.clone()), today());
        let compiled = match first {
            Ok(compiled) => compiled,
            Err(diagnostics) => {
                // Only a name clash among generated services may be refused.
                prop_assert!(diagnostics.iter().all(|d| d.message.contains("route")), "{:#?}\n{}", diagnostics, text);
                return Ok(());
            }
        };
        let again = compile(&Source::new("enterprise.toml", text), today()).unwrap();
        prop_assert_eq!(&compiled.tree, &again.tree);
        let names: std::collections::BTreeSet<&str> = services.iter().map(|s| s.0.as_str()).collect();
        for name in &names {
            for env in &envs {
                let overlay = format!("apps/{name}/overlays/{env}/kustomization.yaml");
                prop_assert!(compiled.tree.get(&overlay).is_some(), "{} missing", overlay);
            }
        }
        // The root's record and the services' list every other file once, each service's
        // files in its own record.
        let listed = |path: &str| -> Vec<String> {
            let text = String::from_utf8(compiled.tree.get(path).unwrap().to_vec()).unwrap();
            text.lines().filter(|l| !l.starts_with('#')).map(str::to_owned).collect()
        };
        let mut recorded = Vec::new();
        for path in listed(".fleetc-manifest") {
            if let Some(folder) = path.strip_suffix("/.fleetc-manifest") {
                recorded.extend(listed(&path).into_iter().map(|p| format!("{folder}/{p}")));
            } else {
                prop_assert!(!path.starts_with("apps/"), "{} is in the root's record", path);
            }
            recorded.push(path);
        }
        recorded.sort();
        let every: Vec<String> = compiled.tree.paths().filter(|p| *p != ".fleetc-manifest").map(str::to_owned).collect();
        prop_assert_eq!(recorded, every);

        // No path is both a file and a folder of other files.
        let paths: Vec<&str> = compiled.tree.paths().collect();
        for pair in paths.windows(2) {
            prop_assert!(!pair[1].starts_with(&format!("{}/", pair[0])), "{} is a file and a folder", pair[0]);
        }
        // Every Application an ApplicationSet generates points at an overlay of the tree.
        for (path, bytes) in compiled.tree.under("argocd/applicationsets/") {
            let doc: serde_json::Value = serde_saphyr::from_str(std::str::from_utf8(bytes).unwrap()).unwrap();
            for element in doc["spec"]["generators"][0]["list"]["elements"].as_array().unwrap() {
                let dir = element["path"].as_str().unwrap().strip_prefix("generated/").unwrap();
                prop_assert!(compiled.tree.get(&format!("{dir}/kustomization.yaml")).is_some(), "{}: {} is not in the tree", path, dir);
            }
        }
        // What build writes, check then finds up to date, file for file.
        let out = tempfile::tempdir().unwrap();
        let changes = fleetc::changes(&compiled.tree, out.path()).unwrap();
        fleetc::apply(out.path(), &changes).unwrap();
        prop_assert!(fleetc::changes(&compiled.tree, out.path()).unwrap().is_empty());
    }
}

fn spec_text(services: &[(String, i64, bool, bool)], envs: &[&str]) -> String {
    let mut text = common::spec_preamble(envs);
    text.push_str(
        "[teams.t]\nowners = [\"@gen/t\"]\n[base_images.b]\nimage = \"b\"\nversions.\"1\" = {}\n",
    );
    let mut seen = std::collections::BTreeSet::new();
    for (name, replicas, routed, autoscaled) in services {
        if !seen.insert(name) {
            continue;
        }
        let _ = write!(
            text,
            "[services.{name}]\nteam = \"t\"\nbase = \"b:1\"\nversion = \"1.0.{replicas}\"\nreplicas = {replicas}\nautoscaling = {{ enabled = {autoscaled} }}\n"
        );
        if *routed {
            let _ = writeln!(text, "route = \"/{name}\"");
        }
    }
    text
}

/// A fixed day, so deadlines in test specs are judged the same way on every run.
fn today() -> Date {
    Date::parse("2026-11-22").unwrap()
}
