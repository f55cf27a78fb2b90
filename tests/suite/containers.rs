//! The container as the spec shapes it: its command and arguments, the variables it reads from
//! its pod, and the order of its variables, which decides what `$(NAME)` expands to.

use crate::common;

use common::Workspace;
use serde_json::Value;

/// The first container of the one workload `render` hydrates for `service` in `env`.
fn container(ws: &Workspace, service: &str, env: &str) -> Value {
    let (code, stdout, stderr) = ws.run(&["render", service, env]);
    assert_eq!(code, 0, "{stderr}");
    fleetc::parse_documents(&stdout)
        .unwrap()
        .into_iter()
        .find_map(|d| d.pointer("/spec/template/spec/containers/0").cloned())
        .unwrap_or_else(|| panic!("{service} in {env} renders a workload:\n{stdout}"))
}

fn names(container: &Value) -> Vec<String> {
    container["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_variable_of_env_expands_to_a_secret_or_a_field_of_the_pod() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    // `users` reads DB_PASSWORD from the store; a connection string names it.
    ws.edit_spec(
        "env = { SESSION_TTL = \"3600\" }",
        "env = { SESSION_TTL = \"3600\", DATABASE_URL = \"postgres://users:$(DB_PASSWORD)@db:5432/users?client=$(POD_NAME)\" }\npod_env = { POD_NAME = \"metadata.name\" }",
    );
    let (code, _, stderr) = ws.run(&["validate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("is not expanded"), "{stderr}");
    assert_eq!(ws.run(&["build"]).0, 0);
    let names = names(&container(&ws, "users", "dev"));
    let at = |name: &str| names.iter().position(|n| n == name).unwrap();
    assert!(at("POD_NAME") < at("DATABASE_URL"), "{names:?}");
    assert!(at("DB_PASSWORD") < at("DATABASE_URL"), "{names:?}");
}

#[test]
fn a_reference_in_a_command_or_argument_no_variable_of_its_container_holds_is_a_located_warning() {
    let ws = Workspace::with_spec("golden/workloads/enterprise.toml");
    ws.edit_spec("#:schema ../../schemas/enterprise.schema.json\n", "");
    let (code, _, stderr) = ws.run(&["validate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("is not expanded"), "{stderr}");
    ws.edit_spec(
        "\"$(POD_NAME)\"]",
        "\"$(POD_NAME)\", \"--node\", \"$(NODE_NAME)\"]",
    );
    ws.edit_spec(
        "command = [\"/app/fulfilment\"]",
        "command = [\"/app/fulfilment\"]\nsidecars.relay = { image = \"registry.example.com/relay\", version = \"1.0.0\", args = [\"--to\", \"$(RELAY_TARGET)\"], env = { RELAY_URL = \"http://$(RELAY_HOST)\", RELAY_HOST = \"relay\" } }",
    );
    let (code, _, stderr) = ws.run(&["validate"]);
    assert_eq!(code, 0, "a warning: {stderr}");
    for (warning, line_of) in [
        (
            "warning: `$(NODE_NAME)` in `args` of `fulfilment` is not expanded: the container has no variable `NODE_NAME` in `dev` and `prod`",
            "\"--node\"",
        ),
        (
            "warning: `$(RELAY_TARGET)` in `args` of `relay` is not expanded: the container has no variable `RELAY_TARGET`",
            "sidecars.relay",
        ),
        (
            "warning: `$(RELAY_HOST)` in `RELAY_URL` of `relay` is not expanded: the container defines no `RELAY_HOST` before it",
            "sidecars.relay",
        ),
    ] {
        assert!(stderr.contains(warning), "{warning}\n{stderr}");
        let spec = std::fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
        let line = spec.lines().position(|l| l.contains(line_of)).unwrap() + 1;
        let at = stderr[stderr.find(warning).unwrap()..]
            .lines()
            .nth(1)
            .unwrap()
            .to_owned();
        assert!(
            at.contains(&format!("enterprise.toml:{line}:")),
            "{warning} at {at}"
        );
    }
}

#[test]
fn the_spec_gives_the_container_its_command_arguments_and_pod_fields() {
    let ws = Workspace::with_spec("golden/workloads/enterprise.toml");
    ws.edit_spec("#:schema ../../schemas/enterprise.schema.json\n", "");
    assert_eq!(ws.run(&["build"]).0, 0);
    let worker = container(&ws, "fulfilment", "prod");
    assert_eq!(worker["command"], serde_json::json!(["/app/fulfilment"]));
    assert_eq!(worker["args"][3], "$(POD_NAME)");
    let env = worker["env"].as_array().unwrap();
    assert_eq!(
        env[0]["valueFrom"]["fieldRef"]["fieldPath"],
        "metadata.name"
    );
    assert_eq!(
        env[1]["valueFrom"]["resourceFieldRef"]["resource"],
        "limits.memory"
    );
    // A service that says nothing runs its image's own.
    let server = container(&ws, "orders", "prod");
    assert_eq!(server["command"], Value::Null);
    assert_eq!(server["args"], Value::Null);
}
