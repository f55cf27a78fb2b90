//! Every kind of workload as a user releases it: the kinds without colours roll a new version
//! in place (one `version` per environment), refuse the colour commands with what to do
//! instead, and a review names what changed in the words of their kind.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use common::Workspace;
use serde_json::Value;

const SPEC: &str = "golden/workloads/enterprise.toml";

fn workspace() -> Workspace {
    let ws = Workspace::with_spec(SPEC);
    // The schema comment points into the repository; the copy lives elsewhere.
    let path = ws.path("spec/enterprise.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replacen("#:schema ../../schemas/enterprise.schema.json\n", "", 1),
    )
    .unwrap();
    assert_eq!(ws.run(&["build"]).0, 0);
    ws
}

fn spec(ws: &Workspace) -> String {
    fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap()
}

/// The hydrated workload of `service` in `env`.
fn workload(ws: &Workspace, service: &str, env: &str, kind: &str) -> Value {
    let (code, stdout, stderr) = ws.run(&["render", service, env]);
    assert_eq!(code, 0, "{stderr}");
    fleetc::parse_documents(&stdout)
        .unwrap()
        .into_iter()
        .find(|d| d["kind"] == kind)
        .unwrap_or_else(|| panic!("{service} in {env} renders a {kind}:\n{stdout}"))
}

#[test]
fn a_kind_without_colours_is_released_in_place() {
    let ws = workspace();
    for (service, kind, image_at) in [
        (
            "fulfilment",
            "Deployment",
            "/spec/template/spec/containers/0/image",
        ),
        (
            "postgres",
            "StatefulSet",
            "/spec/template/spec/containers/0/image",
        ),
        (
            "nightly-report",
            "CronJob",
            "/spec/jobTemplate/spec/template/spec/containers/0/image",
        ),
        ("migrate", "Job", "/spec/template/spec/containers/0/image"),
    ] {
        let (code, stdout, stderr) = ws.run(&["release", service, "9.9.9", "--env", "dev"]);
        assert_eq!(code, 0, "{service}: {stderr}");
        assert!(stdout.contains("rolls in place"), "{service}: {stdout}");
        let text = spec(&ws);
        let written = format!("[services.{service}]");
        let section = &text[text.find(&written).unwrap()..];
        let section = &section[..section[1..]
            .find("\n[services.")
            .map_or(section.len(), |end| end + 1)];
        assert!(
            section.contains("deploy.dev = { version = \"9.9.9\" }"),
            "{service}:\n{section}"
        );
        assert!(
            !section.contains("live ="),
            "{service} names no colour:\n{section}"
        );
        assert_eq!(ws.run(&["build"]).0, 0);
        let rendered = workload(&ws, service, "dev", kind);
        let image = rendered.pointer(image_at).and_then(Value::as_str).unwrap();
        assert_eq!(image, format!("registry.example.com/{service}:9.9.9"));
        // Named for the service, not a colour: the release replaced what ran.
        assert_eq!(rendered["metadata"]["name"], service);
    }
}

#[test]
fn the_colour_commands_are_refused_for_a_kind_without_colours() {
    let ws = workspace();
    let before = spec(&ws);
    for command in ["promote", "rollback", "retire"] {
        let (code, _, stderr) = ws.run(&[command, "nightly-report", "--env", "prod"]);
        assert_eq!(code, 2, "{command}: {stderr}");
        assert!(
            stderr.contains("is a cronjob, which rolls in place and has no colours"),
            "{command}: {stderr}"
        );
    }
    let (_, _, stderr) = ws.run(&["rollback", "migrate", "--env", "dev"]);
    assert!(
        stderr.contains("fleetc release migrate VERSION --env dev"),
        "{stderr}"
    );
    assert_eq!(spec(&ws), before, "nothing was written");
}

#[test]
fn releasing_the_version_already_running_in_place_is_refused() {
    let ws = workspace();
    let (code, _, stderr) = ws.run(&["release", "fulfilment", "1.3.0", "--env", "prod"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("already runs 1.3.0"), "{stderr}");
}

#[test]
fn an_in_place_release_keeps_the_promotion_order() {
    let ws = workspace();
    // dev runs 1.4.0; prod may not run a version dev has not.
    let (code, _, stderr) = ws.run(&["release", "fulfilment", "2.0.0", "--env", "prod"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("dev"), "{stderr}");
}

#[test]
fn a_review_names_changes_in_the_words_of_their_kind() {
    let ws = workspace();
    ws.edit_spec("schedule = \"30 2 * * *\"", "schedule = \"0 4 * * *\"");
    ws.edit_spec("size = \"100Gi\"", "size = \"200Gi\"");
    ws.edit_spec(
        "run = { deadline = \"15m\", retries = 1 }",
        "run = { deadline = \"30m\", retries = 1 }",
    );
    let (code, stdout, stderr) = ws.run(&["plan", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    for expected in [
        "nightly-report-prod  schedule",
        "postgres-prod        storage",
        "migrate-prod         runs",
    ] {
        assert!(stdout.contains(expected), "{expected}:\n{stdout}");
    }
}

#[test]
fn a_suspended_cron_job_and_a_partitioned_statefulset_differ_only_where_the_spec_says() {
    let ws = workspace();
    let dev = workload(&ws, "nightly-report", "dev", "CronJob");
    let prod = workload(&ws, "nightly-report", "prod", "CronJob");
    assert_eq!(dev["spec"]["suspend"], true);
    assert_eq!(prod["spec"]["suspend"], Value::Null);
    assert_eq!(prod["spec"]["timeZone"], "Europe/Berlin");
    let db = workload(&ws, "postgres", "prod", "StatefulSet");
    assert_eq!(
        db["spec"]["updateStrategy"]["rollingUpdate"]["partition"],
        2
    );
    let claim = &db["spec"]["volumeClaimTemplates"][0];
    assert_eq!(claim["spec"]["resources"]["requests"]["storage"], "100Gi");
    assert_eq!(claim["spec"]["storageClassName"], "fast-ssd");
    let dev_db = workload(&ws, "postgres", "dev", "StatefulSet");
    assert_eq!(
        dev_db["spec"]["updateStrategy"]["rollingUpdate"],
        Value::Null
    );
    assert_eq!(
        dev_db["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"],
        "5Gi"
    );
}

#[test]
fn what_serves_nothing_has_no_service_and_a_budget_only_where_it_asks() {
    let ws = workspace();
    for (service, asks) in [
        ("fulfilment", true),
        ("nightly-report", false),
        ("migrate", false),
    ] {
        let (_, stdout, _) = ws.run(&["render", service, "prod"]);
        let documents = fleetc::parse_documents(&stdout).unwrap();
        let kinds: Vec<(&str, &str)> = documents
            .iter()
            .map(|d| {
                (
                    d["kind"].as_str().unwrap(),
                    d["metadata"]["name"].as_str().unwrap(),
                )
            })
            .collect();
        assert!(
            !kinds.contains(&("Service", service)),
            "{service}: {kinds:?}"
        );
        // The worker's `disruption` asks for a budget; a job's pods run to completion.
        assert_eq!(
            kinds.contains(&("PodDisruptionBudget", service)),
            asks,
            "{service}: {kinds:?}"
        );
    }
    let (_, stdout, _) = ws.run(&["render", "postgres", "prod"]);
    let headless = fleetc::parse_documents(&stdout)
        .unwrap()
        .into_iter()
        .find(|d| d["kind"] == "Service")
        .unwrap();
    assert_eq!(headless["spec"]["clusterIP"], "None");
}

/// A statefulset's pods dial one another by name through its headless Service (a replica
/// following its primary, a cache node its peers): its NetworkPolicy lets the service's own
/// pods in on every port it lists, where the namespace denies everything else. A deployment's
/// pods never call one another, and its policy admits its callers alone.
#[test]
fn a_statefulsets_pods_reach_one_another_on_its_ports() {
    let ws = workspace();
    let policy = |service: &str| -> Value {
        let path = ws.path(&format!("generated/apps/{service}/base/networkpolicy.yaml"));
        fleetc::parse_documents(&fs::read_to_string(path).unwrap())
            .unwrap()
            .remove(0)
    };
    let from_itself = |policy: &Value, service: &str| -> Option<Value> {
        policy["spec"]["ingress"]
            .as_array()
            .unwrap()
            .iter()
            .find(|rule| {
                rule["from"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == service
            })
            .cloned()
    };
    for (service, port) in [("postgres", "postgres"), ("cache", "redis")] {
        let policy = policy(service);
        let peers = from_itself(&policy, service)
            .unwrap_or_else(|| panic!("{service}'s pods are let in to one another: {policy:#}"));
        assert_eq!(
            peers["ports"],
            serde_json::json!([{ "port": port, "protocol": "TCP" }]),
            "{service}"
        );
    }
    assert_eq!(from_itself(&policy("orders"), "orders"), None);
}

#[test]
fn advance_moves_a_kind_without_colours_in_place() {
    let ws = workspace();
    assert_eq!(
        ws.run(&["release", "postgres", "16.4.0", "--env", "dev"]).0,
        0
    );
    let (code, stdout, stderr) = ws.run(&["advance", "--from", "dev"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("`postgres` in `prod`: runs 16.4.0 (was 16.3.0)"),
        "{stdout}"
    );
    assert!(spec(&ws).contains("deploy.prod = { version = \"16.4.0\" }"));
}

/// The generated files that differ between two builds.
fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    paths
        .into_iter()
        .filter(|path| before.get(*path) != after.get(*path))
        .cloned()
        .collect()
}

/// A service, and an edit of the spec that concerns it alone.
type SpecEdit<'a> = (&'a str, &'a dyn Fn(&Workspace));

#[test]
fn a_release_or_a_setting_of_one_kind_touches_only_its_own_files() {
    let ws = workspace();
    let edits: [SpecEdit<'_>; 6] = [
        ("fulfilment", &|ws| {
            assert_eq!(
                ws.run(&["release", "fulfilment", "1.5.0", "--env", "dev"])
                    .0,
                0
            );
        }),
        ("postgres", &|ws| {
            assert_eq!(
                ws.run(&["release", "postgres", "16.4.0", "--env", "dev"]).0,
                0
            );
        }),
        ("migrate", &|ws| {
            assert_eq!(
                ws.run(&["release", "migrate", "2.1.0", "--env", "dev"]).0,
                0
            );
        }),
        ("nightly-report", &|ws| {
            ws.edit_spec(
                "overrides.dev.suspend = true",
                "overrides.dev.suspend = false",
            );
        }),
        ("nightly-report", &|ws| {
            ws.edit_spec("schedule = \"30 2 * * *\"", "schedule = \"@daily\"");
        }),
        ("postgres", &|ws| {
            ws.edit_spec("partition = 2", "partition = 1");
        }),
    ];
    for (service, edit) in edits {
        let before = ws.generated();
        edit(&ws);
        let (code, _, stderr) = ws.run(&["build"]);
        assert_eq!(code, 0, "{stderr}");
        let touched = changed(&before, &ws.generated());
        assert!(!touched.is_empty(), "{service}: the edit changes something");
        let own = format!("generated/apps/{service}/");
        for path in &touched {
            assert!(
                path.starts_with(&own) || path == "generated/.fleetc-manifest",
                "{service}: {path} is not its own"
            );
        }
    }
}
