//! Sidecars and init containers as a user writes them: native sidecars up before the init
//! containers, which run in the spec's order; a container of the service's own image runs the
//! version of its workload; each is hardened as the service's own, named in `plan` and `why`.

use crate::common;

use common::Workspace;
use serde_json::{Value, json};

fn workspace() -> Workspace {
    let ws = Workspace::with_spec("golden/workloads/enterprise.toml");
    ws.edit_spec("#:schema ../../schemas/enterprise.schema.json\n", "");
    assert_eq!(ws.run(&["build"]).0, 0);
    ws
}

/// Each Deployment `render` hydrates for `service` in `env`, by name.
fn deployments(ws: &Workspace, service: &str, env: &str) -> Vec<Value> {
    let (code, stdout, stderr) = ws.run(&["render", service, env]);
    assert_eq!(code, 0, "{stderr}");
    fleetc::parse_documents(&stdout)
        .unwrap()
        .into_iter()
        .filter(|d| d["kind"] == "Deployment")
        .collect()
}

fn field_of_each(pod: &Value, field: &str) -> Vec<Value> {
    pod["initContainers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[field].clone())
        .collect()
}

#[test]
fn sidecars_start_first_and_init_containers_run_in_the_specs_order() {
    let ws = workspace();
    for deployment in deployments(&ws, "orders", "dev") {
        let pod = &deployment["spec"]["template"]["spec"];
        assert_eq!(
            field_of_each(pod, "name"),
            [json!("envoy"), json!("wait-for-postgres"), json!("migrate")]
        );
        assert_eq!(
            field_of_each(pod, "restartPolicy"),
            [json!("Always"), Value::Null, Value::Null],
            "only the sidecar keeps running"
        );
        // Hardened as the service's own container.
        for security in field_of_each(pod, "securityContext") {
            assert_eq!(security, pod["containers"][0]["securityContext"]);
        }
        // The service's own container is still the only one of `containers`.
        assert_eq!(pod["containers"].as_array().unwrap().len(), 1);
        assert_eq!(
            pod["initContainers"][0]["readinessProbe"]["httpGet"]["port"],
            "admin"
        );
    }
}

#[test]
fn an_init_container_of_the_services_image_runs_each_colours_version() {
    let ws = workspace();
    let mut seen = Vec::new();
    for deployment in deployments(&ws, "orders", "dev") {
        let pod = &deployment["spec"]["template"]["spec"];
        let main = pod["containers"][0]["image"].clone();
        assert_eq!(pod["initContainers"][2]["image"], main);
        seen.push(main.as_str().unwrap().to_owned());
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "registry.example.com/orders:2.0.0",
            "registry.example.com/orders:2.1.0"
        ]
    );
}

/// The kinds of change `plan` names for `orders` in dev.
fn planned(ws: &Workspace) -> Vec<String> {
    let (code, stdout, stderr) = ws.run(&["plan", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let mut kinds: Vec<String> = report["environments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["applications"].as_array().unwrap().clone())
        .filter(|a| a["path"] == "apps/orders/overlays/dev")
        .flat_map(|a| a["changes"].as_array().unwrap().clone())
        .map(|c| c["kind"].as_str().unwrap().to_owned())
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

#[test]
fn a_release_moves_the_init_container_with_it_and_a_sidecars_own_change_is_named() {
    let ws = workspace();
    ws.edit_spec("green = \"2.1.0\"", "green = \"2.2.0\"");
    assert_eq!(
        planned(&ws),
        ["image"],
        "the init container follows the release"
    );
    let ws = workspace();
    ws.edit_spec("version = \"v1.31.2@", "version = \"v1.31.3@");
    assert_eq!(planned(&ws), ["containers"]);
    let ws = workspace();
    ws.edit_spec("\"migrate\", \"--wait\"]", "\"migrate\"]");
    assert_eq!(planned(&ws), ["containers"]);
}

#[test]
fn why_names_the_sidecar_or_init_container_behind_a_line() {
    let ws = workspace();
    let file = "generated/apps/orders/colours/blue/deployment.yaml";
    let text = std::fs::read_to_string(ws.path(file)).unwrap();
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let why = |line: usize| {
        let (code, stdout, stderr) = ws.run(&["why", &format!("{file}:{line}")]);
        assert_eq!(code, 0, "{stderr}");
        format!("{stdout}{stderr}")
    };
    assert!(
        why(line("--config-path")).contains("services.orders.sidecars.envoy.args"),
        "{}",
        why(line("--config-path"))
    );
    assert!(
        why(line("nc -z postgres"))
            .contains("services.orders.init_containers.wait-for-postgres.command")
    );
}

#[test]
fn a_sidecars_image_is_admitted_only_from_a_declared_registry() {
    let ws = workspace();
    ws.edit_spec(
        "registries = [\"docker.io/library\", \"docker.io/envoyproxy\"]",
        "registries = [\"docker.io/library\"]",
    );
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("image `docker.io/envoyproxy/envoy` of `orders.envoy` is in none of the estate's registries"),
        "{stderr}"
    );
}

#[test]
fn a_sidecar_port_the_services_metrics_use_is_refused() {
    let ws = workspace();
    ws.edit_spec(
        "ports.admin = { port = 9901 }",
        "ports.admin = { port = 9090 }",
    );
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("port 9090 of `orders.envoy` is already `orders`'s metrics port"),
        "{stderr}"
    );
}

#[test]
fn an_init_container_reads_the_services_secrets_it_names_from_the_services_secret() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let spec = ws.path("spec/enterprise.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let migrate = "\n[services.users.init_containers.migrate]\ncommand = [\"/app/migrate\"]\nsecrets = [\"DB_PASSWORD\"]\nenv = { DATABASE_URL = \"postgres://users:$(DB_PASSWORD)@db:5432/users\" }\n";
    std::fs::write(&spec, format!("{text}{migrate}")).unwrap();
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("is not expanded"), "{stderr}");
    let pod = deployments(&ws, "users", "prod")[0]["spec"]["template"]["spec"].clone();
    assert_eq!(
        pod["initContainers"][0]["env"],
        json!([
            { "name": "DB_PASSWORD", "valueFrom": { "secretKeyRef": { "name": "users-secrets", "key": "DB_PASSWORD" } } },
            { "name": "DATABASE_URL", "value": "postgres://users:$(DB_PASSWORD)@db:5432/users" },
        ])
    );
    // A variable the service does not read from its store is no secret to share.
    ws.edit_spec(
        "secrets = [\"DB_PASSWORD\"]",
        "secrets = [\"DB_PASSWORD\", \"API_TOKEN\"]",
    );
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("`users.migrate` reads secret `API_TOKEN`, which is no secret of `users` in `dev`, `staging` and `prod`"),
        "{stderr}"
    );
    let line = format!("{text}{migrate}")
        .lines()
        .position(|l| l.starts_with("secrets = [\"DB_PASSWORD\""))
        .unwrap()
        + 1;
    assert!(
        stderr.contains(&format!("enterprise.toml:{line}:")),
        "{stderr}"
    );
}
