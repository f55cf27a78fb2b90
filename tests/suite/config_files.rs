//! Configuration files as a user writes and changes them: each place mounts its own files
//! read-only from a ConfigMap named after them, a change of a file alone is stale output
//! planned as `config-files`, `why` names the file and its entry, a comparison with a
//! revision reads the files as they were then, and a file a ConfigMap cannot hold is refused.

use crate::common;
use crate::escape_hatch::{edit_file, find, planned, rendered, workspace};

use std::fs;

use serde_json::{Value, json};

/// The ConfigMap the pods of `workload` mount their configuration files from, and the mounts.
fn mounted<'a>(objects: &'a [Value], workload: &str) -> (&'a Value, Value) {
    let pod = objects
        .iter()
        .filter(|o| o["metadata"]["name"] == workload)
        .find_map(|o| o.pointer("/spec/template/spec"))
        .unwrap_or_else(|| panic!("{workload} is rendered"));
    let volume = pod["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "config-files")
        .expect("a volume of the configuration files");
    let name = volume["configMap"]["name"].as_str().unwrap();
    let config = find(objects, "ConfigMap", name)
        .unwrap_or_else(|| panic!("the ConfigMap {name} the pods mount is deployed with them"));
    // The service's own container: a patch of the golden case adds a sidecar beside it.
    let service = workload.trim_end_matches("-blue");
    let container = pod["containers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == service)
        .unwrap();
    let mounts: Vec<Value> = container["volumeMounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["name"] == "config-files")
        .cloned()
        .collect();
    (config, Value::Array(mounts))
}

fn file(name: &str) -> String {
    let case = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("golden/escape-hatch/config");
    fs::read_to_string(case.join(name)).unwrap()
}

#[test]
fn each_place_mounts_its_own_files_read_only_from_a_config_map_named_after_them() {
    let ws = workspace();
    let mut names = Vec::new();
    for (place, ledger, logging) in [
        ("dev", "ledger.toml", "logging.yaml"),
        ("prod/eu", "ledger-prod.toml", "logging.yaml"),
        ("prod/us", "ledger-prod.toml", "logging-us.yaml"),
    ] {
        let objects = rendered(&ws, "ledger", place);
        let (config, mounts) = mounted(&objects, "ledger-blue");
        assert_eq!(
            config["data"],
            json!({ "ledger.toml": file(ledger), "logging.yaml": file(logging) }),
            "{place}"
        );
        assert_eq!(
            mounts,
            json!([
                { "name": "config-files", "mountPath": "/etc/ledger/ledger.toml", "subPath": "ledger.toml", "readOnly": true },
                { "name": "config-files", "mountPath": "/etc/ledger/logging.yaml", "subPath": "logging.yaml", "readOnly": true },
            ])
        );
        let name = config["metadata"]["name"].as_str().unwrap().to_owned();
        assert!(name.starts_with("ledger-config-"), "{name}");
        names.push(name);
    }
    assert_eq!(names.len(), 3);
    assert!(
        names[0] != names[1] && names[1] != names[2] && names[0] != names[2],
        "other files, another name: {names:?}"
    );
    // A worker, which rolls in place, mounts its file as a Deployment of colours does.
    let objects = rendered(&ws, "reports", "prod/us");
    let (config, _) = mounted(&objects, "reports");
    assert_eq!(
        config["data"],
        json!({ "reports.ini": file("reports.ini") })
    );
}

#[test]
fn a_change_to_a_configuration_file_alone_is_stale_and_planned_as_config_files() {
    let ws = workspace();
    edit_file(&ws, "config/logging.yaml", "level: info", "level: debug");
    let (code, _, _) = ws.run(&["check"]);
    assert_eq!(code, 1, "the committed tree no longer matches the files");
    let changed = [json!({ "kind": "config-files", "files": ["logging.yaml"] })];
    assert_eq!(planned(&ws, "apps/ledger/overlays/dev"), changed);
    assert_eq!(planned(&ws, "apps/ledger/overlays/prod/eu"), changed);
    // The US cluster reads a logging file of its own.
    assert!(planned(&ws, "apps/ledger/overlays/prod/us").is_empty());
    assert!(planned(&ws, "apps/reports/overlays/dev").is_empty());
}

#[test]
fn a_diff_against_a_revision_reads_the_configuration_files_as_they_were_then() {
    let ws = workspace();
    let repo = git2::Repository::init(ws.path("")).unwrap();
    common::git::commit(&repo, &["spec", "generated"], "estate", None);
    edit_file(&ws, "config/reports.ini", "nightly", "hourly");
    let (code, stdout, stderr) = ws.run(&["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let changes: Vec<(Value, Value)> = report["environments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["applications"].as_array().unwrap().clone())
        .flat_map(|a| {
            let path = a["path"].clone();
            a["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |c| (path.clone(), c.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let kind = json!({ "kind": "config-files", "files": ["reports.ini"] });
    assert_eq!(changes.len(), 3, "dev, prod/eu and prod/us: {stdout}");
    assert!(changes.iter().all(|(_, c)| *c == kind), "{stdout}");
}

#[test]
fn why_on_a_configuration_line_names_the_file_and_the_entry_giving_it_there() {
    let ws = workspace();
    let written = "generated/apps/ledger/overlays/prod/us/config-files.yaml";
    let text = fs::read_to_string(ws.path(written)).unwrap();
    let line = text.lines().position(|l| l.contains("access_log")).unwrap() + 1;
    let (code, stdout, stderr) = ws.run(&["why", &format!("{written}:{line}")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "`config/logging-us.yaml`, listed at \
             `services.ledger.overrides.prod.clusters.us.config_files./etc/ledger/logging.yaml`"
        ),
        "{stdout}"
    );
}

#[test]
fn configuration_files_a_config_map_cannot_hold_are_refused_and_nothing_is_written() {
    let ws = workspace();
    let before = fs::read_to_string(ws.path("generated/CODEOWNERS")).unwrap();
    // Two files of 600 KiB each: each fits, the two together do not.
    let big = "# padding\n".repeat(60 * 1024);
    fs::write(ws.path("spec/config/big.toml"), &big).unwrap();
    fs::write(ws.path("spec/config/logging.yaml"), &big).unwrap();
    ws.edit_spec("\"config/ledger.toml\"", "\"config/big.toml\"");
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the configuration files of `ledger` take 1228800 bytes; a ConfigMap holds at most 1048576"),
        "{stderr}"
    );
    assert!(stderr.contains("enterprise.toml:"), "located: {stderr}");
    let after = fs::read_to_string(ws.path("generated/CODEOWNERS")).unwrap();
    assert_eq!(before, after, "nothing was written");
}
