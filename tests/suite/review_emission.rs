//! `diff --base` emits only the services whose files can differ; for every kind of edit, what
//! it reports must equal what comparing the two complete trees reports.

use fleetc::Date;
use fleetc::Source;
use fleetc::emit_for_review;
use fleetc::{CompileOptions, TreeMade, compile};
use fleetc::{Impact, impact};

const BUNDLED: &str = include_str!("../../spec/enterprise.toml");
const EDGE_CASES: &str = include_str!("../../golden/edge-cases/enterprise.toml");

fn today() -> Date {
    Date::parse("2026-06-01").unwrap()
}

fn complete(before: &str, after: &str) -> Impact {
    let before = compile(
        &Source::new("spec/enterprise.toml", before),
        CompileOptions::from(today()).making(TreeMade::KeepingDocuments),
    )
    .unwrap();
    let after = compile(
        &Source::new("spec/enterprise.toml", after),
        CompileOptions::from(today()).making(TreeMade::KeepingDocuments),
    )
    .unwrap();
    impact(&before.tree, &after.tree, &after.model).unwrap()
}

fn partial(before: &str, after: &str) -> (Impact, usize) {
    let before = compile(
        &Source::new("spec/enterprise.toml", before),
        CompileOptions::from(today()).making(TreeMade::Nothing),
    )
    .unwrap();
    let after = compile(
        &Source::new("spec/enterprise.toml", after),
        CompileOptions::from(today()).making(TreeMade::Nothing),
    )
    .unwrap();
    let (old, new) = emit_for_review(&before.model, &after.model);
    let services = new
        .paths()
        .filter(|p| p.ends_with("/base/kustomization.yaml"))
        .count();
    (impact(&old, &new, &after.model).unwrap(), services)
}

fn report(impact: &Impact) -> String {
    let diffs: Vec<&str> = impact.applications().map(|a| a.diff.as_str()).collect();
    format!(
        "{}\n{}\n{}",
        impact.to_text(),
        impact.to_json(),
        diffs.join("\n")
    )
}

/// Each edit: what it changes, the text it replaces, and with what.
const EDITS: &[(&str, &str, &str)] = &[
    (
        "a release",
        r#"deploy.prod = { blue = "2.1.0@sha256:cf3295631fa487200ab4052c8d77fddad3205973d26ac5d5d254ca8049eb932a", live = "blue" }"#,
        r#"deploy.prod = { blue = "2.1.0@sha256:cf3295631fa487200ab4052c8d77fddad3205973d26ac5d5d254ca8049eb932a", green = "2.2.0@sha256:cf3295631fa487200ab4052c8d77fddad3205973d26ac5d5d254ca8049eb932b", live = "blue" }"#,
    ),
    (
        "a new dependency changes the callee's network policy",
        r#"depends_on = ["catalog", "pricing"]"#,
        r#"depends_on = ["catalog", "pricing", "users"]"#,
    ),
    (
        "a default every service inherits",
        "env = { LOG_FORMAT = \"json\" }",
        "env = { LOG_FORMAT = \"text\" }",
    ),
    (
        "an environment's domain",
        "domain = \"staging.northwind.example\"",
        "domain = \"stage.northwind.example\"",
    ),
    (
        "the enterprise name",
        "name = \"northwind\"",
        "name = \"southwind\"",
    ),
    (
        "a team's owners",
        "owners = [\"@northwind/web\"]",
        "owners = [\"@northwind/frontend\"]",
    ),
    ("a service renamed", "notifications", "notices"),
    (
        "a canary's steps",
        "{ weight = 50, pause = \"10m\" }",
        "{ weight = 40, pause = \"10m\" }",
    ),
    (
        "a blocked base",
        "status = \"deprecated\", deadline = \"2027-01-31\"",
        "status = \"approved\"",
    ),
    (
        "a service's objectives",
        "analysis = { success_rate = 0.995, p99_latency_ms = 300 }",
        "analysis = { success_rate = 0.99, p99_latency_ms = 250 }",
    ),
    (
        "a service's metrics endpoint",
        "metrics = { port = 9000 }",
        "metrics = { port = 9100 }",
    ),
    (
        "the default metrics path",
        "metrics = { port = 9090, path = \"/metrics\" }",
        "metrics = { port = 9090, path = \"/prometheus\" }",
    ),
    (
        "an environment's alert severity",
        "staging = \"ticket\", prod = \"page\" }",
        "staging = \"page\", prod = \"page\" }",
    ),
    (
        "the runbook",
        "https://runbooks.northwind.example/{service}#{alert}",
        "https://wiki.northwind.example/runbooks/{service}/{alert}",
    ),
    (
        "a secret reference",
        "DB_PASSWORD = \"prod/users/db#password\"",
        "DB_PASSWORD = \"prod/users/db-v2#password\"",
    ),
    (
        "a secret store's refresh reaches every ExternalSecret of the environment",
        "refresh = \"15m\"",
        "refresh = \"5m\"",
    ),
    (
        "a secret store's provider",
        "secret_store.aws = { region = \"eu-west-1\" }",
        "secret_store.gcp = { project = \"northwind-staging\" }",
    ),
    (
        "an environment's certificate issuer",
        "issuer = \"northwind-internal-ca\"",
        "issuer = \"northwind-ca-2027\"",
    ),
    (
        "an ACME solver",
        "solver.route53 = { region = \"eu-west-1\", hosted_zone_id = \"Z04518373N6CF3H5Q8JBL\" }",
        "solver.cloudflare = { api_token_secret = \"cloudflare\" }",
    ),
    (
        "a service's security",
        "route = \"/cart\"",
        "route = \"/cart\"\nsecurity = { user = 999, writable_root = true, tmp = false }",
    ),
    (
        "an environment's Pod Security level",
        "domain = \"staging.northwind.example\"",
        "domain = \"staging.northwind.example\"\npod_security = \"baseline\"",
    ),
    (
        "a security exception",
        "[environments.dev]",
        "[[security_exceptions]]\nservice = \"cart\"\nlevel = \"privileged\"\nreason = \"r\"\n\n[environments.dev]",
    ),
    (
        "a sidecar and an init container",
        "route = \"/cart\"",
        "route = \"/cart\"\nsidecars.proxy = { command = [\"/proxy\"], ports.admin = { port = 9901 } }\ninit_containers.warm = { command = [\"/warm\"] }",
    ),
    (
        "a service's scheduling and budget",
        "route = \"/cart\"",
        "route = \"/cart\"\nscheduling = { node_selector = { \"node.kubernetes.io/pool\" = \"web\" }, tolerations = [{ key = \"web\", operator = \"Exists\" }], spread = \"strict\" }\ndisruption = { max_unavailable = \"25%\" }",
    ),
    (
        "an init container reading the service's secret",
        "secrets = { DB_PASSWORD = \"users/db#password\", SESSION_SIGNING_KEY = \"users/session#signing-key\" }",
        "secrets = { DB_PASSWORD = \"users/db#password\", SESSION_SIGNING_KEY = \"users/session#signing-key\" }\ninit_containers.migrate = { command = [\"/app/migrate\"], secrets = [\"DB_PASSWORD\"] }",
    ),
    (
        "a route to a gRPC port",
        "route = \"/cart\"",
        "route = \"/cart.v1.Cart\"\nports.grpc = { port = 9090, protocol = \"grpc\" }",
    ),
    (
        "an environment's zones",
        "domain = \"staging.northwind.example\"",
        "domain = \"staging.northwind.example\"\nzones = [\"eu-west-1a\", \"eu-west-1b\"]",
    ),
    ("nothing", "", ""),
];

/// Settings of the estate that reach every service's files without passing through its model.
const SCOPE_EDITS: &[(&str, &str, &str)] = &[
    (
        "the ingress controller's namespace",
        "ingress_namespace = \"kube-system\"",
        "ingress_namespace = \"ingress\"",
    ),
    (
        "the telemetry endpoint",
        "https://otel.edge.example:4318",
        "https://otel-collector.edge.example:4318",
    ),
    (
        "the labels Prometheus selects by",
        "team = \"yes\" }",
        "team = \"no\" }",
    ),
    (
        "the namespace Prometheus runs in",
        "prometheus_namespace = \"observability\"",
        "prometheus_namespace = \"monitoring\"",
    ),
    (
        "the dashboard label",
        "\"grafana.edge.example/dashboard\" = \"on\"",
        "\"grafana.edge.example/dashboard\" = \"yes\"",
    ),
];

#[test]
fn partial_emission_reports_exactly_what_complete_trees_report() {
    let cases = EDITS
        .iter()
        .map(|e| (BUNDLED, e))
        .chain(SCOPE_EDITS.iter().map(|e| (EDGE_CASES, e)));
    for (spec, (what, from, to)) in cases {
        let after = if from.is_empty() {
            spec.to_owned()
        } else {
            spec.replace(from, to)
        };
        assert!(from.is_empty() || after != spec, "{what}: the edit applies");
        let (partial, emitted) = partial(spec, &after);
        assert_eq!(report(&partial), report(&complete(spec, &after)), "{what}");
        if *what == "a release" {
            assert_eq!(emitted, 1, "a release emits its service alone");
        }
        if *what == "nothing" {
            assert_eq!(emitted, 0);
            assert!(partial.is_empty());
        }
    }
}
