//! The Renovate configuration finds every pin marked in the bundled spec: its regex managers
//! run over `spec/enterprise.toml` here exactly as Renovate runs them (named groups, JS syntax).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use regex::Regex;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

type Groups = BTreeMap<String, String>;

fn groups(regex: &Regex, captures: &regex::Captures<'_>, outer: &Groups) -> Groups {
    let mut groups = outer.clone();
    for name in regex.capture_names().flatten() {
        if let Some(m) = captures.name(name) {
            groups.insert(name.to_owned(), m.as_str().to_owned());
        }
    }
    groups
}

fn recursive(patterns: &[Regex], text: &str, outer: &Groups, out: &mut Vec<Groups>) {
    let Some((regex, rest)) = patterns.split_first() else {
        out.push(outer.clone());
        return;
    };
    for captures in regex.captures_iter(text) {
        let inner = groups(regex, &captures, outer);
        recursive(rest, captures.get(0).unwrap().as_str(), &inner, out);
    }
}

pub(super) type Pin = (String, String, String, Option<String>);

/// (datasource, depName, currentValue, currentDigest) for every match of every manager.
fn extracted(spec_path: &str) -> Vec<Pin> {
    let spec = fs::read_to_string(root().join(spec_path)).unwrap();
    extracted_from(&spec, spec_path)
}

/// What Renovate finds in `spec`, read as the file at `spec_path`.
pub(super) fn extracted_from(spec: &str, spec_path: &str) -> Vec<Pin> {
    let config: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root().join("renovate.json")).unwrap()).unwrap();
    let mut found = Vec::new();
    for manager in config["customManagers"].as_array().unwrap() {
        let applies = manager["managerFilePatterns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| {
                let pattern = p.as_str().unwrap().trim_matches('/');
                Regex::new(pattern).unwrap().is_match(spec_path)
            });
        assert!(applies, "{spec_path} is not matched by {manager}");
        let patterns: Vec<Regex> = manager["matchStrings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| Regex::new(p.as_str().unwrap()).unwrap())
            .collect();
        let mut matches = Vec::new();
        if manager["matchStringsStrategy"] == "recursive" {
            // Each pattern runs inside every match of the one before; the groups of all
            // levels make one dependency.
            recursive(&patterns, spec, &Groups::new(), &mut matches);
        } else {
            for regex in &patterns {
                for captures in regex.captures_iter(spec) {
                    matches.push(groups(regex, &captures, &Groups::new()));
                }
            }
        }
        for groups in matches {
            // A template names what the regex does not capture.
            let datasource = groups
                .get("datasource")
                .cloned()
                .unwrap_or_else(|| manager["datasourceTemplate"].as_str().unwrap().to_owned());
            found.push((
                datasource,
                groups["depName"].clone(),
                groups["currentValue"].clone(),
                groups.get("currentDigest").cloned(),
            ));
        }
    }
    found.sort();
    found
}

#[test]
fn every_marked_pin_of_the_bundled_spec_is_found() {
    let found = extracted("spec/enterprise.toml");
    let summary: Vec<(String, String, String, bool)> = found
        .into_iter()
        .map(|(datasource, dep, value, digest)| (datasource, dep, value, digest.is_some()))
        .collect();
    let registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    let modules = "https://github.com/northwind/terraform-modules";
    let expected: Vec<(String, String, String, bool)> = [
        (
            "docker",
            format!("{registry}/platform/distroless-go"),
            "1.22",
            true,
        ),
        ("docker", format!("{registry}/platform/node"), "20.11", true),
        (
            "docker",
            format!("{registry}/platform/python-base"),
            "3.12-r2",
            true,
        ),
        (
            "docker",
            format!("{registry}/platform/temurin"),
            "21-r1",
            true,
        ),
        ("git-tags", modules.to_owned(), "v0.9.1", true),
        ("git-tags", modules.to_owned(), "v1.2.0", true),
        ("git-tags", modules.to_owned(), "v1.3.2", true),
        ("git-tags", modules.to_owned(), "v1.4.0", true),
        (
            "github-tags",
            "northwind/ci-templates".to_owned(),
            "v2.3.0",
            false,
        ),
    ]
    .into_iter()
    .map(|(d, n, v, g)| (d.to_owned(), n, v.to_owned(), g))
    .collect();
    assert_eq!(summary, expected);
}

#[test]
fn no_pin_on_a_marked_line_is_left_unmatched() {
    let spec = fs::read_to_string(root().join("spec/enterprise.toml")).unwrap();
    let lines: Vec<&str> = spec.lines().collect();
    // A marked line holds one default pin and each environment's own `tag@commit`.
    let own_pin = Regex::new(r#""[^"@]+@[0-9a-f]{7,40}""#).unwrap();
    let pins: usize = lines
        .windows(2)
        .filter(|pair| pair[0].trim_start().starts_with("# renovate: "))
        .map(|pair| 1 + own_pin.find_iter(pair[1]).count())
        .sum();
    assert_eq!(extracted("spec/enterprise.toml").len(), pins);
}

#[test]
fn a_per_environment_module_pin_is_extracted_with_its_commit() {
    let found = extracted("spec/enterprise.toml");
    assert!(
        found.iter().any(|(_, _, value, digest)| value == "v1.3.2"
            && digest.as_deref() == Some("3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c")),
        "{found:#?}"
    );
}

/// `ignorePaths` globs as Renovate reads them (minimatch: `**` crosses folders, `*` does not).
fn glob(pattern: &str) -> Regex {
    let mut regex = String::from("^");
    let mut rest = pattern;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("**/") {
            regex.push_str("(?:.*/)?");
            rest = after;
        } else if let Some(after) = rest.strip_prefix("**") {
            regex.push_str(".*");
            rest = after;
        } else if let Some(after) = rest.strip_prefix('*') {
            regex.push_str("[^/]*");
            rest = after;
        } else {
            let c = rest.chars().next().unwrap();
            regex.push_str(&regex::escape(&c.to_string()));
            rest = &rest[c.len_utf8()..];
        }
    }
    regex.push('$');
    Regex::new(&regex).unwrap()
}

#[test]
fn renovate_leaves_generated_files_alone() {
    let config: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root().join("renovate.json")).unwrap()).unwrap();
    let ignored: Vec<Regex> = config["ignorePaths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| glob(p.as_str().unwrap()))
        .collect();
    let is_ignored = |path: &str| ignored.iter().any(|g| g.is_match(path));
    let mut generated = Vec::new();
    for tree in [
        "generated",
        "golden/minimal/expected",
        "golden/edge-cases/expected",
    ] {
        for entry in walkdir::WalkDir::new(root().join(tree)) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let path = entry.path().strip_prefix(root()).unwrap();
                generated.push(path.to_string_lossy().into_owned());
            }
        }
    }
    assert!(
        generated
            .iter()
            .any(|p| p.ends_with("terraform/prod/main.tf"))
    );
    for path in &generated {
        assert!(
            is_ignored(path),
            "Renovate would open pull requests against {path}"
        );
    }
    for spec in ["spec/enterprise.toml", "renovate.json"] {
        assert!(!is_ignored(spec), "{spec} must stay visible to Renovate");
    }
}

#[test]
fn renovate_rebuilds_the_whole_tree_and_keeps_rebasing_past_the_workflow_s_regeneration() {
    let config: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root().join("renovate.json")).unwrap()).unwrap();
    let tasks = &config["postUpgradeTasks"];
    assert_eq!(tasks["commands"], serde_json::json!(["fleetc build"]));
    let filters: Vec<Regex> = tasks["fileFilters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| glob(p.as_str().unwrap()))
        .collect();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(root().join("generated")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let path = entry.path().strip_prefix(root()).unwrap().to_string_lossy();
            assert!(
                filters.iter().any(|f| f.is_match(&path)),
                "a rebuild of {path} would not be committed"
            );
            files += 1;
        }
    }
    assert!(files > 100);
    // The workflow commits its regeneration as this author; Renovate stops rebasing a branch
    // someone else committed to, unless it ignores them.
    let workflow = fs::read_to_string(root().join("src/workflow/github.yml")).unwrap();
    let ignored = config["gitIgnoredAuthors"].as_array().unwrap();
    assert_eq!(ignored.len(), 1);
    let email = ignored[0].as_str().unwrap();
    assert!(
        workflow.contains(&format!("user.email='{email}'")),
        "{email} is the workflow's committer"
    );
}

/// A spec split by team is read file by file: every pin of the one file is found in the
/// files of its split.
#[test]
fn renovate_reads_every_file_of_a_spec_split_by_team() {
    let ws = crate::common::Workspace::with_spec("spec/enterprise.toml");
    let mut whole = extracted_from(
        &fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap(),
        "spec/enterprise.toml",
    );
    let (code, _, stderr) = ws.run(&["split"]);
    assert_eq!(code, 0, "{stderr}");
    let mut split = extracted_from(
        &fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap(),
        "spec/enterprise.toml",
    );
    for entry in fs::read_dir(ws.path("spec/teams")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        split.extend(extracted_from(
            &fs::read_to_string(&path).unwrap(),
            &format!("spec/teams/{name}"),
        ));
    }
    whole.sort();
    split.sort();
    assert!(whole.len() > 5, "{whole:?}");
    assert_eq!(split, whole);
}
