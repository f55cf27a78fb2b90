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

/// `users` of the bundled spec with its session key read as a file.
fn session_key_as_file() -> Workspace {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    ws.edit_spec(
        "overrides.prod.secrets = { DB_PASSWORD = \"prod/users/db#password\" }",
        "overrides.prod.secrets = { DB_PASSWORD = \"prod/users/db#password\" }\nsecret_files = { \"/etc/users/session.key\" = \"SESSION_SIGNING_KEY\" }",
    );
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    ws
}

#[test]
fn a_secret_read_as_a_file_is_mounted_from_the_services_secret_and_is_no_variable() {
    let ws = session_key_as_file();
    for env in ["dev", "prod"] {
        let pod = pod(&ws, "users", env);
        let volumes = pod["volumes"].as_array().unwrap();
        assert!(
            volumes.contains(&json!({
                "name": "secret-files",
                "secret": { "secretName": "users-secrets", "defaultMode": 256 },
            })),
            "{volumes:?}"
        );
        let container = &pod["containers"][0];
        assert!(
            container["volumeMounts"]
                .as_array()
                .unwrap()
                .contains(&json!({
                    "name": "secret-files",
                    "mountPath": "/etc/users/session.key",
                    "subPath": "SESSION_SIGNING_KEY",
                    "readOnly": true,
                }))
        );
        let variables: Vec<&str> = container["env"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap())
            .collect();
        assert!(variables.contains(&"DB_PASSWORD"), "{variables:?}");
        assert!(!variables.contains(&"SESSION_SIGNING_KEY"), "{variables:?}");
    }
    let file = "generated/apps/users/base/deployment.yaml";
    let file = if ws.path(file).exists() {
        file.to_owned()
    } else {
        "generated/apps/users/colours/blue/deployment.yaml".to_owned()
    };
    let text = std::fs::read_to_string(ws.path(&file)).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("/etc/users/session.key"))
        .unwrap()
        + 1;
    let (code, stdout, stderr) = ws.run(&["why", &format!("{file}:{line}")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains("services.users.secret_files"),
        "{stdout}{stderr}"
    );
}

#[test]
fn a_secret_file_of_no_secret_is_refused_at_its_entry() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let before = ws.generated();
    ws.edit_spec(
        "overrides.prod.secrets = { DB_PASSWORD = \"prod/users/db#password\" }",
        "overrides.prod.secrets = { DB_PASSWORD = \"prod/users/db#password\" }\nsecret_files = { \"/etc/users/api.key\" = \"API_KEY\", \"tmp/x\" = \"DB_PASSWORD\" }",
    );
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("secret file `/etc/users/api.key` of `users` holds `API_KEY`, which is no secret of `users` in `dev`, `staging` and `prod`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("secret file `tmp/x` of `users` is not a file path in the container"),
        "{stderr}"
    );
    assert_eq!(ws.generated(), before);
}
