//! The usual edits of the bundled spec, each planned as a reviewer reads it: every change has
//! a named kind, and the catch-all `configuration` never appears.

use crate::common;

use common::Workspace;
use serde_json::Value;

const BUNDLED: &str = "spec/enterprise.toml";

/// The kinds of every Application change `plan --format json` reports after an edit.
fn kinds_after(edit: impl FnOnce(&Workspace)) -> (Vec<String>, Value) {
    let ws = Workspace::with_spec(BUNDLED);
    assert_eq!(ws.run(&["build"]).0, 0);
    edit(&ws);
    let (code, stdout, stderr) = ws.run(&["plan", "--format", "json", "--today", "2026-12-01"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let mut kinds: Vec<String> = report["environments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["applications"].as_array().unwrap().clone())
        .flat_map(|a| a["changes"].as_array().unwrap().clone())
        .map(|c| c["kind"].as_str().unwrap().to_owned())
        .collect();
    kinds.sort();
    kinds.dedup();
    (kinds, report)
}

/// The usual edits: what each is, the text it replaces, with what, and the kind it must get.
const EDITS: &[(&str, &str, &str, &str)] = &[
    (
        "version",
        "version = \"1.12.0\"",
        "version = \"1.13.0\"",
        "image",
    ),
    (
        "replicas",
        "replicas = { dev = 1, staging = 2, prod = 3 }",
        "replicas = { dev = 1, staging = 2, prod = 4 }",
        "replicas",
    ),
    (
        "resources",
        "cpu = \"250m\", memory = \"256Mi\"",
        "cpu = \"300m\", memory = \"256Mi\"",
        "resources",
    ),
    (
        "variables",
        "env = { LOG_FORMAT = \"json\" }",
        "env = { LOG_FORMAT = \"logfmt\" }",
        "variables",
    ),
    (
        "sampling",
        "sample_ratio = { dev = 1.0, staging = 0.5, prod = 0.05 }",
        "sample_ratio = { dev = 1.0, staging = 0.5, prod = 0.1 }",
        "variables",
    ),
    (
        "probes",
        "readiness = \"/ready\" }",
        "readiness = \"/readyz\" }",
        "probes",
    ),
    ("port", "port = 9000", "port = 9001", "ports"),
    (
        "route",
        "route = \"/cart\"",
        "route = \"/basket\"",
        "routes",
    ),
    (
        "callers",
        "depends_on = [\"catalog\", \"pricing\"]",
        "depends_on = [\"catalog\"]",
        "policies",
    ),
    (
        "autoscaling",
        "autoscaling = { max = { prod = 20 } }",
        "autoscaling = { max = { prod = 30 } }",
        "replicas",
    ),
    (
        "autoscaling target",
        "cpu = 70 }",
        "cpu = 60 }",
        "autoscaling",
    ),
    (
        "canary steps",
        "{ weight = 50, pause = \"10m\" }",
        "{ weight = 40, pause = \"10m\" }",
        "delivery",
    ),
    (
        "base image",
        "base = \"go:1.22\"\nroute = \"/auth\"",
        "base = \"go:1.21\"\nroute = \"/auth\"",
        "base-image",
    ),
    (
        "certificate issuer",
        "issuer = \"northwind-internal-ca\"",
        "issuer = \"northwind-ca-2027\"",
        "certificates",
    ),
    (
        "acme solver",
        "hosted_zone_id = \"Z04518373N6CF3H5Q8JBL\"",
        "hosted_zone_id = \"Z0999999999999999999\"",
        "certificates",
    ),
    (
        "team",
        "[services.cart]\nteam = \"commerce\"",
        "[services.cart]\nteam = \"web\"",
        "labels",
    ),
    (
        "pull policy",
        "[services.cart]\nteam = \"commerce\"",
        "[services.cart]\npull = \"if-not-present\"\nteam = \"commerce\"",
        "pull-policy",
    ),
    (
        "security",
        "[services.cart]\nteam = \"commerce\"",
        "[services.cart]\nsecurity = { user = 999, writable_root = true }\nteam = \"commerce\"",
        "security",
    ),
    (
        "no memory limit",
        "cpu = \"250m\", memory = \"256Mi\"",
        "cpu = \"250m\", memory = \"256Mi\", memory_limit = false",
        "resources",
    ),
];

#[test]
fn the_usual_edits_are_each_named_and_never_the_catch_all() {
    assert_named(EDITS);
}

#[test]
fn monitoring_edits_are_named_metrics_alerts_and_dashboard() {
    assert_named(&[
        (
            "metrics path",
            "metrics = { path = \"/actuator/prometheus\" }",
            "metrics = { path = \"/actuator/metrics\" }",
            "metrics",
        ),
        (
            "objectives",
            "analysis = { success_rate = 0.995, p99_latency_ms = 300 }",
            "analysis = { success_rate = 0.995, p99_latency_ms = 350 }",
            "alerts",
        ),
        (
            "objectives on the dashboard",
            "analysis = { success_rate = 0.995, p99_latency_ms = 300 }",
            "analysis = { success_rate = 0.995, p99_latency_ms = 350 }",
            "dashboard",
        ),
        (
            "alert severity",
            "staging = \"ticket\", prod = \"page\" }",
            "staging = \"page\", prod = \"page\" }",
            "alerts",
        ),
    ]);
}

#[test]
fn secret_edits_are_named_by_variable_or_store() {
    let edits: &[(&str, &str, &str, &str)] = &[
        (
            "secret reference",
            "DB_PASSWORD = \"prod/users/db#password\"",
            "DB_PASSWORD = \"prod/users/db-v2#password\"",
            "secrets",
        ),
        (
            "secret added",
            "secrets = { PSP_API_KEY = \"payments/psp-sandbox#api-key\" }",
            "secrets = { PSP_API_KEY = \"payments/psp-sandbox#api-key\", PSP_WEBHOOK_SECRET = \"payments/psp-sandbox#webhook\" }",
            "secrets",
        ),
        (
            "secret refresh",
            "refresh = \"15m\"",
            "refresh = \"5m\"",
            "secrets",
        ),
        (
            "secret store",
            "secret_store.aws = { region = \"eu-west-1\" }",
            "secret_store.aws = { region = \"eu-central-1\" }",
            "secret-store",
        ),
    ];
    assert_named(edits);
}

fn assert_named(edits: &[(&str, &str, &str, &str)]) {
    for (name, from, to, expected) in edits {
        let (kinds, report) = kinds_after(|ws| ws.edit_spec(from, to));
        assert!(
            kinds.contains(&(*expected).to_owned()),
            "{name}: {kinds:?}\n{report:#}"
        );
        assert!(
            !kinds.contains(&"configuration".to_owned()),
            "{name}: {kinds:?}\n{report:#}"
        );
    }
}

#[test]
fn release_promote_and_retire_are_named_as_colours() {
    for (steps, expected) in [
        (
            &[&["release", "cart", "1.13.0", "--env", "dev"][..]][..],
            "colour",
        ),
        (
            &[&["promote", "users", "--env", "prod"][..]][..],
            "colour-switch",
        ),
        (
            &[
                &["promote", "users", "--env", "prod"][..],
                &["build"][..],
                &["retire", "users", "--env", "prod"][..],
            ][..],
            "colour",
        ),
    ] {
        let (kinds, report) = kinds_after(|ws| {
            for step in steps {
                assert_eq!(ws.run(step).0, 0, "{step:?}");
            }
        });
        assert!(
            kinds.contains(&expected.to_owned()),
            "{steps:?}: {kinds:?}\n{report:#}"
        );
        assert!(!kinds.contains(&"configuration".to_owned()), "{report:#}");
    }
}
