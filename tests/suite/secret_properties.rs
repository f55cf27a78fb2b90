//! No secret value can reach the tree, a plan or a diff, whatever the spec. The store holds
//! the values; the spec holds references to them, which the tree carries only as an
//! ExternalSecret's `remoteRef`. The one way a value could be written is a literal in `env`:
//! a random value given to a variable named like a secret, at any layer, must stop every
//! command with nothing written and appear in none of their outputs. Without one, every
//! variable read from the store reaches the workloads through `secretKeyRef` only, and no
//! Secret object is ever generated.

use crate::common;

use std::collections::BTreeMap;
use std::fs;

use common::{Workspace, spec_preamble};
use git2::Repository;
use proptest::prelude::*;
use serde_json::Value;

const ENVS: &[&str] = &["dev", "prod"];
const STORES: &[&str] = &[
    "aws = { region = \"eu-west-1\" }",
    "vault = { server = \"https://vault.example:8200\", role = \"eso\" }",
    "gcp = { project = \"gen-estate\" }",
    "azure = { vault_url = \"https://gen.vault.azure.net\" }",
];

/// Where a literal value for a variable named like a secret is written.
#[derive(Debug, Clone, Copy)]
enum Layer {
    Defaults,
    Service,
    Override,
}

#[derive(Debug, Clone)]
struct Service {
    /// Variable → reference, for every environment.
    secrets: BTreeMap<String, String>,
    /// Variable → reference, in prod only.
    prod_secrets: BTreeMap<String, String>,
    /// Literal variables, none named like a secret.
    env: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
struct Estate {
    stores: Vec<usize>,
    defaults_env: BTreeMap<String, String>,
    services: Vec<Service>,
    /// A value written as a literal where only a reference belongs.
    leak: Option<(Layer, String, String)>,
}

fn reference() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_-]{0,6}(/[a-z0-9_.-]{1,6}){0,2}(#[a-z0-9_-]{1,6})?"
}

fn secret_name() -> impl Strategy<Value = String> {
    "[A-Z]{1,5}_(PASSWORD|TOKEN|SECRET|API_KEY|DSN)"
}

fn literals() -> impl Strategy<Value = BTreeMap<String, String>> {
    // Printable text a TOML basic string holds without escapes.
    prop::collection::btree_map("[A-Z]{1,5}_(MODE|LEVEL|HOST)", "[ !#-\\[\\]-~]{0,12}", 0..3)
}

fn service() -> impl Strategy<Value = Service> {
    (
        prop::collection::btree_map(secret_name(), reference(), 0..3),
        prop::collection::btree_map(secret_name(), reference(), 0..2),
        literals(),
    )
        .prop_map(|(secrets, prod_secrets, env)| Service {
            secrets,
            prod_secrets,
            env,
        })
}

fn estate() -> impl Strategy<Value = Estate> {
    let leak = prop::option::of((
        prop::sample::select(vec![Layer::Defaults, Layer::Service, Layer::Override]),
        "[A-Z]{1,5}_(PASSWORD|TOKEN|SECRET|API_KEY|PRIVATE_KEY)",
        "[0-9a-f]{24}",
    ));
    (
        prop::collection::vec(0..STORES.len(), ENVS.len()),
        literals(),
        prop::collection::vec(service(), 1..4),
        leak,
    )
        .prop_map(|(stores, defaults_env, services, leak)| Estate {
            stores,
            defaults_env,
            services,
            leak: leak.map(|(layer, name, value)| (layer, name, format!("leak-{value}"))),
        })
}

fn table(entries: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{k} = \"{v}\""))
        .collect();
    format!("{{ {} }}", pairs.join(", "))
}

fn with_leak(
    entries: &BTreeMap<String, String>,
    leak: Option<&(Layer, String, String)>,
    here: fn(Layer) -> bool,
) -> BTreeMap<String, String> {
    let mut entries = entries.clone();
    if let Some((layer, name, value)) = leak
        && here(*layer)
    {
        entries.insert(name.clone(), value.clone());
    }
    entries
}

fn spec_text(estate: &Estate) -> String {
    let mut text = spec_preamble(ENVS);
    for (env, store) in ENVS.iter().zip(&estate.stores) {
        text.push_str(&format!(
            "[environments.{env}.secret_store]\n{}\n\n",
            STORES[*store]
        ));
    }
    text.push_str("[teams.t]\nowners = [\"@gen/t\"]\n\n");
    text.push_str(
        "[base_images.b]\nimage = \"base/b\"\nversions.\"1\" = { status = \"approved\" }\n\n",
    );
    let leak = estate.leak.as_ref();
    let defaults = with_leak(&estate.defaults_env, leak, |l| matches!(l, Layer::Defaults));
    text.push_str(&format!("[defaults]\nenv = {}\n\n", table(&defaults)));
    for (i, service) in estate.services.iter().enumerate() {
        let env = with_leak(&service.env, leak.filter(|_| i == 0), |l| {
            matches!(l, Layer::Service)
        });
        let prod_env = with_leak(&BTreeMap::new(), leak.filter(|_| i == 0), |l| {
            matches!(l, Layer::Override)
        });
        text.push_str(&format!(
            "[services.s{i}]\nteam = \"t\"\nbase = \"b:1\"\nversion = \"1.0.0\"\nenv = {}\nsecrets = {}\n",
            table(&env),
            table(&service.secrets)
        ));
        text.push_str(&format!(
            "overrides.prod = {{ env = {}, secrets = {} }}\n\n",
            table(&prod_env),
            table(&service.prod_secrets)
        ));
    }
    text
}

fn documents(ws: &Workspace) -> Vec<(String, Value)> {
    ws.files()
        .into_iter()
        .filter(|(path, _, _)| {
            std::path::Path::new(path)
                .extension()
                .is_some_and(|e| e == "yaml")
        })
        .flat_map(|(path, _, bytes)| {
            let text = String::from_utf8(bytes).unwrap();
            text.split("\n---\n")
                .map(|doc| doc.trim_start_matches("---\n").to_owned())
                .filter(|doc| {
                    doc.lines()
                        .any(|l| !l.starts_with('#') && !l.trim().is_empty())
                })
                .map(|doc| (path.clone(), serde_saphyr::from_str::<Value>(&doc).unwrap()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn commit_spec(ws: &Workspace) {
    let repo =
        Repository::open(ws.path("")).unwrap_or_else(|_| Repository::init(ws.path("")).unwrap());
    common::git::commit(&repo, &["spec"], "spec", None);
}

/// The references each service reads in `env`, after `overrides.prod` has spoken.
fn expected_references(service: &Service, env: &str) -> BTreeMap<String, String> {
    let mut references = service.secrets.clone();
    if env == "prod" {
        references.extend(service.prod_secrets.clone());
    }
    references
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn no_secret_value_reaches_the_tree_a_plan_or_a_diff(estate in estate()) {
        let ws = Workspace::with_spec("spec/enterprise.toml");
        let text = spec_text(&estate);
        fs::write(ws.path("spec/enterprise.toml"), &text).unwrap();
        if let Some((_, _, value)) = &estate.leak {
            // Committed as the base of a pull request, then cleaned in the working copy: the
            // diff reads the value from git and must still not print it.
            commit_spec(&ws);
            for args in [
                &["build"][..],
                &["plan"][..],
                &["plan", "--format", "json"][..],
                &["check", "--format", "github"][..],
                &["validate", "--format", "github"][..],
            ] {
                let (code, stdout, stderr) = ws.run(args);
                prop_assert_eq!(code, 2, "{:?}\n{}", args, stderr);
                prop_assert!(!stdout.contains(value.as_str()), "{:?} printed the value:\n{}", args, stdout);
                if args.contains(&"github") {
                    prop_assert!(!stderr.contains(value.as_str()), "{:?} annotated the value:\n{}", args, stderr);
                }
            }
            prop_assert!(!ws.path("generated").exists(), "nothing is written");
            let clean = Estate { leak: None, ..estate.clone() };
            fs::write(ws.path("spec/enterprise.toml"), spec_text(&clean)).unwrap();
            let (code, stdout, stderr) = ws.run(&["diff", "--base", "HEAD", "--format", "json"]);
            prop_assert_ne!(code, 0, "the base does not compile:\n{}", stderr);
            prop_assert!(!stdout.contains(value.as_str()), "diff printed the value:\n{}", stdout);
            return Ok(());
        }

        let (code, _, stderr) = ws.run(&["build"]);
        prop_assert_eq!(code, 0, "{}\n{}", stderr, text);
        let documents = documents(&ws);
        for (path, document) in &documents {
            prop_assert_ne!(document["kind"].as_str(), Some("Secret"), "{} holds a Secret", path);
        }
        for (i, service) in estate.services.iter().enumerate() {
            let name = format!("s{i}");
            for env in ENVS {
                let expected = expected_references(service, env);
                let overlay = format!("generated/apps/{name}/overlays/{env}/");
                // The ExternalSecret reads exactly the references the spec gives.
                let read: BTreeMap<String, String> = documents
                    .iter()
                    .filter(|(path, d)| path.contains(&overlay) && d["kind"] == "ExternalSecret")
                    .flat_map(|(_, d)| d["spec"]["data"].as_array().unwrap().clone())
                    .map(|entry| {
                        let remote = &entry["remoteRef"];
                        let mut reference = remote["key"].as_str().unwrap().to_owned();
                        if let Some(property) = remote["property"].as_str() {
                            reference = format!("{reference}#{property}");
                        }
                        (entry["secretKey"].as_str().unwrap().to_owned(), reference)
                    })
                    .collect();
                prop_assert_eq!(&read, &expected, "{}", overlay);
                // Every variable of the workload named like a reference reads the Secret.
                let patch = documents
                    .iter()
                    .find(|(path, _)| path.contains(&overlay) && path.ends_with("-patch.yaml") && !path.ends_with("service-patch.yaml"))
                    .map(|(_, d)| d.clone())
                    .unwrap();
                let vars: Vec<Value> = patch
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|op| op["path"].as_str().unwrap().ends_with("/env"))
                    .flat_map(|op| op["value"].as_array().unwrap().clone())
                    .collect();
                for variable in expected.keys() {
                    let entry = vars.iter().find(|v| v["name"] == variable.as_str());
                    prop_assert!(entry.is_some(), "{} {} is set", overlay, variable);
                    let entry = entry.unwrap();
                    prop_assert!(entry.get("value").is_none(), "{} {} has a literal", overlay, variable);
                    prop_assert_eq!(
                        &entry["valueFrom"]["secretKeyRef"],
                        &serde_json::json!({ "name": format!("{name}-secrets"), "key": variable })
                    );
                }
            }
        }
        // A reference that moves is reviewed as the variable it feeds, by name.
        commit_spec(&ws);
        let mut moved = estate.clone();
        let target = moved.services[0].secrets.keys().next().cloned();
        let Some(variable) = target else { return Ok(()) };
        if moved.services[0].prod_secrets.contains_key(&variable) {
            return Ok(());
        }
        moved.services[0].secrets.insert(variable.clone(), "moved/entry#field".to_owned());
        fs::write(ws.path("spec/enterprise.toml"), spec_text(&moved)).unwrap();
        let (code, stdout, stderr) = ws.run(&["diff", "--base", "HEAD", "--format", "json"]);
        prop_assert_eq!(code, 0, "{}", stderr);
        let report: Value = serde_json::from_str(&stdout).unwrap();
        let named = report["environments"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["applications"].as_array().unwrap().clone())
            .flat_map(|a| a["changes"].as_array().unwrap().clone())
            .any(|c| c["kind"] == "secrets" && c["names"].as_array().unwrap().iter().any(|n| n == variable.as_str()));
        prop_assert!(named, "{}", stdout);
    }
}
