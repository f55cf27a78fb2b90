//! How pods run, as a user writes it: a service's security settings reach its containers, each
//! environment enforces its Pod Security level in the namespace and in Kyverno, and a service
//! that needs more runs only under an exception the platform team owns, named in `plan`.

use crate::common;
use crate::kyverno;

use common::Workspace;
use serde_json::{Value, json};

fn workspace() -> Workspace {
    let ws = Workspace::with_spec("golden/workloads/enterprise.toml");
    ws.edit_spec("#:schema ../../schemas/enterprise.schema.json\n", "");
    assert_eq!(ws.run(&["build"]).0, 0);
    ws
}

fn rendered(ws: &Workspace, service: &str, env: &str) -> Vec<Value> {
    let (code, stdout, stderr) = ws.run(&["render", service, env]);
    assert_eq!(code, 0, "{stderr}");
    fleetc::parse_documents(&stdout).unwrap()
}

fn pod_spec(ws: &Workspace, service: &str, env: &str) -> Value {
    let workload = rendered(ws, service, env)
        .into_iter()
        .find(|d| d["spec"]["template"].is_object() || d["spec"]["jobTemplate"].is_object())
        .unwrap();
    let template = match workload.pointer("/spec/jobTemplate/spec/template") {
        Some(template) => template.clone(),
        None => workload["spec"]["template"].clone(),
    };
    template["spec"].clone()
}

fn yaml(ws: &Workspace, path: &str) -> Vec<Value> {
    fleetc::parse_documents(&std::fs::read_to_string(ws.path(path)).unwrap()).unwrap()
}

#[test]
fn a_service_runs_as_its_security_says_and_strict_where_it_says_nothing() {
    let ws = workspace();
    let postgres = pod_spec(&ws, "postgres", "prod");
    assert_eq!(
        postgres["securityContext"],
        json!({
            "runAsNonRoot": true, "runAsUser": 999, "runAsGroup": 999, "fsGroup": 999,
            "seccompProfile": { "type": "RuntimeDefault" },
        })
    );
    assert_eq!(
        postgres["containers"][0]["securityContext"]["readOnlyRootFilesystem"],
        false
    );
    // Redis keeps no /tmp: its one mount is its volume.
    let cache = pod_spec(&ws, "cache", "prod");
    assert_eq!(cache["volumes"], Value::Null);
    assert_eq!(
        cache["containers"][0]["volumeMounts"],
        json!([{ "name": "data", "mountPath": "/data" }])
    );
    assert_eq!(cache["securityContext"]["fsGroup"], 1000);
    // The root job adds the one capability it asks for and drops every other.
    let migrate = pod_spec(&ws, "migrate", "prod");
    assert_eq!(migrate["securityContext"]["runAsUser"], 0);
    assert_eq!(
        migrate["containers"][0]["securityContext"]["capabilities"],
        json!({ "drop": ["ALL"], "add": ["CHOWN"] })
    );
    let orders = pod_spec(&ws, "orders", "prod");
    assert_eq!(orders["securityContext"]["runAsUser"], 10001);
    assert_eq!(
        orders["containers"][0]["securityContext"],
        json!({
            "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
            "runAsNonRoot": true, "capabilities": { "drop": ["ALL"] },
        })
    );
}

#[test]
fn each_environment_enforces_its_level_and_admission_the_most_an_exception_grants() {
    let ws = workspace();
    let labels = |env: &str| {
        let namespace = yaml(&ws, &format!("generated/envs/{env}/namespace.yaml"));
        namespace[0]["metadata"]["labels"].clone()
    };
    let level =
        |env: &str, mode: &str| labels(env)[format!("pod-security.kubernetes.io/{mode}")].clone();
    assert_eq!(level("dev", "enforce"), "baseline");
    assert_eq!(level("dev", "warn"), "baseline");
    // prod is restricted, but the migration job is let run as root there.
    assert_eq!(level("prod", "enforce"), "baseline");
    assert_eq!(level("prod", "warn"), "restricted");
    assert_eq!(level("prod", "audit"), "restricted");

    let policy = |env: &str| {
        yaml(&ws, &format!("generated/envs/{env}/policies.yaml"))
            .into_iter()
            .find(|p| p["metadata"]["name"] == format!("shop-{env}-pod-security"))
            .unwrap()
    };
    let prod = policy("prod");
    assert_eq!(
        prod["metadata"]["annotations"]["fleetc.io/security-exceptions"],
        "migrate=baseline: the migration tool's image runs as root and chowns its lock file (PLAT-812)"
    );
    for rule in prod["spec"]["rules"].as_array().unwrap() {
        let excluded = rule.to_string().contains("\"migrate\"");
        let restricted = rule["validate"]["message"]
            .as_str()
            .unwrap()
            .ends_with("(restricted).");
        assert_eq!(excluded, restricted, "{}", rule["name"]);
    }
    // dev allows root already: nothing is excepted there.
    let dev = policy("dev");
    assert!(!dev.to_string().contains("migrate"), "{dev}");
    assert!(dev["spec"]["rules"].as_array().unwrap().iter().all(|r| {
        r["validate"]["message"]
            .as_str()
            .unwrap()
            .ends_with("(baseline).")
    }));
}

#[test]
fn the_policy_refuses_the_root_job_for_any_service_but_the_excepted_one() {
    let ws = workspace();
    let policies = yaml(&ws, "generated/envs/prod/policies.yaml");
    let job = rendered(&ws, "migrate", "prod")
        .into_iter()
        .find(|d| d["kind"] == "Job")
        .unwrap();
    let mut job = job;
    job["metadata"]["labels"]["fleetc.io/synced-by"] = json!("argocd");
    job["spec"]["template"]["metadata"]["labels"]["fleetc.io/synced-by"] = json!("argocd");
    let failing = |job: &Value| -> Vec<String> {
        kyverno::violations(&policies, std::slice::from_ref(job))
            .into_iter()
            .filter(|v| v.policy.ends_with("pod-security"))
            .map(|v| v.rule)
            .collect()
    };
    assert_eq!(failing(&job), Vec::<String>::new());
    let mut impostor = job.clone();
    impostor["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"] = json!("orders");
    assert_eq!(
        failing(&impostor),
        ["run-as-non-root", "drop-all-capabilities"]
    );
}

#[test]
fn a_service_that_needs_more_without_an_exception_is_refused_at_its_setting() {
    let ws = workspace();
    let before = ws.generated();
    ws.edit_spec(
        "service = \"migrate\"\nlevel",
        "service = \"migrate\"\nenvironments = [\"dev\"]\nlevel",
    );
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("`migrate` runs as root (`user = 0`) and adds the capability `CHOWN`, which needs the `baseline` Pod Security level; `prod` (restricted) allows less"),
        "{stderr}"
    );
    assert!(stderr.contains("security = { user = 0"), "{stderr}");
    assert_eq!(ws.generated(), before, "nothing written");
}

#[test]
fn an_exception_is_planned_by_service_and_level_and_owned_by_platform() {
    let ws = workspace();
    ws.edit_spec(
        "security = { user = 999, group = 999, writable_root = true }",
        "security = { user = 0, group = 999, writable_root = true }",
    );
    let exception = "\n[[security_exceptions]]\nservice = \"postgres\"\nlevel = \"baseline\"\nreason = \"initdb chowns its data\"\nenvironments = [\"prod\"]\n";
    let spec = std::fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    std::fs::write(
        ws.path("spec/enterprise.toml"),
        format!("{spec}{exception}"),
    )
    .unwrap();
    let (code, stdout, stderr) = ws.run(&["plan", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let prod = report["environments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "prod")
        .unwrap();
    let changes: Vec<&Value> = prod["applications"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["changes"].as_array().unwrap())
        .collect();
    assert!(
        changes.contains(&&json!({
            "kind": "security-exception", "service": "postgres", "from": "none", "to": "baseline",
        })),
        "{changes:?}"
    );
    assert!(
        changes.contains(&&json!({ "kind": "security" })),
        "{changes:?}"
    );
    let codeowners = std::fs::read_to_string(ws.path("generated/CODEOWNERS")).unwrap();
    let codeowners = common::codeowners::Codeowners::parse(&codeowners);
    assert_eq!(
        codeowners.owners("generated/envs/prod/policies.yaml"),
        ["@shop/platform", "@shop/sre"]
    );
    assert_eq!(
        codeowners.owners("generated/envs/prod/namespace.yaml"),
        ["@shop/platform", "@shop/sre"]
    );
}

#[test]
fn why_names_the_setting_and_the_exception() {
    let ws = workspace();
    let why = |target: &str| {
        let (code, stdout, stderr) = ws.run(&["why", target]);
        assert_eq!(code, 0, "{stderr}");
        format!("{stdout}{stderr}")
    };
    let statefulset =
        std::fs::read_to_string(ws.path("generated/apps/postgres/base/statefulset.yaml")).unwrap();
    let line =
        |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let user = line(&statefulset, "runAsUser");
    assert!(
        why(&format!(
            "generated/apps/postgres/base/statefulset.yaml:{user}"
        ))
        .contains("services.postgres.security.user"),
    );
    let writable = line(&statefulset, "readOnlyRootFilesystem");
    assert!(
        why(&format!(
            "generated/apps/postgres/base/statefulset.yaml:{writable}"
        ))
        .contains("services.postgres.security.writable_root"),
    );
    let policies = std::fs::read_to_string(ws.path("generated/envs/prod/policies.yaml")).unwrap();
    let annotation = line(&policies, "fleetc.io/security-exceptions");
    assert!(
        why(&format!("generated/envs/prod/policies.yaml:{annotation}"))
            .contains("security_exceptions.0"),
    );
    let namespace = std::fs::read_to_string(ws.path("generated/envs/prod/namespace.yaml")).unwrap();
    let warn = line(&namespace, "pod-security.kubernetes.io/warn");
    assert!(
        why(&format!("generated/envs/prod/namespace.yaml:{warn}")).contains("environments.prod"),
    );
}
