//! A service's scratch volumes as a user writes them: each an emptyDir of its size, on disk
//! or in memory, mounted after `/tmp`, named in `plan` and traced by `why`.

use crate::common;

use common::Workspace;
use serde_json::{Value, json};

fn workspace() -> Workspace {
    let ws = Workspace::with_spec("golden/workloads/enterprise.toml");
    ws.edit_spec("#:schema ../../schemas/enterprise.schema.json\n", "");
    assert_eq!(ws.run(&["build"]).0, 0);
    ws
}

fn pod(ws: &Workspace, service: &str, env: &str) -> Value {
    let (code, stdout, stderr) = ws.run(&["render", service, env]);
    assert_eq!(code, 0, "{stderr}");
    fleetc::parse_documents(&stdout)
        .unwrap()
        .into_iter()
        .find_map(|d| d.pointer("/spec/template/spec").cloned())
        .unwrap()
}

#[test]
fn a_scratch_volume_is_an_empty_dir_of_its_size_on_disk_or_in_memory() {
    let ws = workspace();
    let pod = pod(&ws, "orders", "prod");
    assert_eq!(
        pod["volumes"],
        json!([
            { "name": "tmp", "emptyDir": {} },
            { "name": "cache", "emptyDir": { "sizeLimit": "256Mi" } },
            { "name": "spool", "emptyDir": { "medium": "Memory", "sizeLimit": "32Mi" } },
        ])
    );
    assert_eq!(
        pod["containers"][0]["volumeMounts"],
        json!([
            { "name": "tmp", "mountPath": "/tmp" },
            { "name": "cache", "mountPath": "/var/cache/orders" },
            { "name": "spool", "mountPath": "/var/spool/orders" },
        ])
    );
}

#[test]
fn a_volume_change_is_planned_as_volumes_and_why_names_it() {
    let ws = workspace();
    ws.edit_spec("size = \"256Mi\" }", "size = \"512Mi\" }");
    let (code, stdout, stderr) = ws.run(&["plan", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let kinds: Vec<&str> = report["environments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["applications"].as_array().unwrap())
        .flat_map(|a| a["changes"].as_array().unwrap())
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(!kinds.is_empty());
    assert!(kinds.iter().all(|k| *k == "volumes"), "{kinds:?}");
    let file = "generated/apps/orders/colours/blue/deployment.yaml";
    let text = std::fs::read_to_string(ws.path(file)).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("/var/spool/orders"))
        .unwrap()
        + 1;
    let (code, stdout, stderr) = ws.run(&["why", &format!("{file}:{line}")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains("services.orders.volumes.spool"),
        "{stdout}{stderr}"
    );
}
