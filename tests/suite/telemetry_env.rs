//! A service's own OpenTelemetry variables beside the ones fleetc writes from `[observability]`:
//! resource attributes are merged, an endpoint and protocol that agree replace fleetc's pair,
//! and `$(NAME)` references that Kubernetes cannot expand are located warnings.

use crate::common;

use common::Workspace;

/// The variables of the first container of `service`'s live workload in `place`, by name.
fn variables(ws: &Workspace, service: &str, place: &str) -> Vec<(String, String)> {
    let (code, stdout, stderr) = ws.run(&["render", service, place]);
    assert_eq!(code, 0, "{stderr}");
    let documents = fleetc::parse_documents(&stdout).unwrap();
    let workload = documents
        .iter()
        .find(|d| d["spec"]["template"]["spec"]["containers"].is_array())
        .unwrap();
    workload["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap().to_owned(),
                v["value"].as_str().map_or_else(String::new, str::to_owned),
            )
        })
        .collect()
}

fn value<'a>(variables: &'a [(String, String)], name: &str) -> &'a str {
    &variables.iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn a_services_resource_attributes_are_added_to_fleetcs() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    ws.edit_spec(
        "env = { SESSION_TTL = \"3600\" }",
        "env = { SESSION_TTL = \"3600\", OTEL_RESOURCE_ATTRIBUTES = \"team.tier=gold,k8s.cluster.name=eu\" }",
    );
    let variables = variables(&ws, "users", "dev");
    let attributes = value(&variables, "OTEL_RESOURCE_ATTRIBUTES");
    assert_eq!(
        attributes,
        "service.namespace=northwind,service.version=1.5.0,deployment.environment.name=dev,fleetc.colour=blue,team.tier=gold,k8s.cluster.name=eu"
    );
    let named = variables
        .iter()
        .filter(|(n, _)| n == "OTEL_RESOURCE_ATTRIBUTES")
        .count();
    assert_eq!(named, 1);
}

#[test]
fn an_endpoint_and_protocol_that_agree_replace_fleetcs_pair() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    ws.edit_spec(
        "env = { SESSION_TTL = \"3600\" }",
        "env = { SESSION_TTL = \"3600\", OTEL_EXPORTER_OTLP_ENDPOINT = \"http://localhost:4318\", OTEL_EXPORTER_OTLP_PROTOCOL = \"http/protobuf\" }",
    );
    let variables = variables(&ws, "users", "dev");
    assert_eq!(
        value(&variables, "OTEL_EXPORTER_OTLP_ENDPOINT"),
        "http://localhost:4318"
    );
    assert_eq!(
        value(&variables, "OTEL_EXPORTER_OTLP_PROTOCOL"),
        "http/protobuf"
    );
    // Half of the pair alone contradicts the half fleetc writes: refused at the value.
    ws.edit_spec(", OTEL_EXPORTER_OTLP_PROTOCOL = \"http/protobuf\"", "");
    let (code, _, stderr) = ws.run(&["build", "--color", "never"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("`OTEL_EXPORTER_OTLP_ENDPOINT` `http://localhost:4318` is on OTLP/HTTP's port 4318, but the protocol is `grpc`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("OTEL_EXPORTER_OTLP_PROTOCOL = \"http/protobuf\""),
        "{stderr}"
    );
    assert!(stderr.contains("--> spec/enterprise.toml:133:"), "{stderr}");
}

#[test]
fn a_reference_kubernetes_cannot_expand_is_a_located_warning() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    ws.edit_spec(
        "env = { LOG_FORMAT = \"json\" }",
        "env = { LOG_FORMAT = \"json\", GREETING = \"hello $(SESSION_TTL) $$(LITERAL) $(OTEL_SERVICE_NAME)\" }",
    );
    ws.edit_spec(
        "env = { SESSION_TTL = \"3600\" }",
        "env = { SESSION_TTL = \"3600\", SESSION_URL = \"https://$(SESSION_HOST)/s?ttl=$(SESSION_TTL)\" }",
    );
    let (code, _, stderr) = ws.run(&["validate", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    // `[defaults]` comes before the service: its reference to a service variable stays literal.
    assert!(
        stderr.contains("warning: `$(SESSION_TTL)` in `GREETING` is not expanded: `SESSION_TTL` comes after `GREETING`"),
        "{stderr}"
    );
    assert!(stderr.contains("--> spec/enterprise.toml:113:"), "{stderr}");
    assert!(
        stderr.contains("warning: `$(SESSION_HOST)` in `SESSION_URL` is not expanded: no variable `SESSION_HOST` is defined"),
        "{stderr}"
    );
    assert!(stderr.contains("--> spec/enterprise.toml:133:"), "{stderr}");
    // An escape, a variable defined before, and fleetc's own variables are no warning.
    assert!(!stderr.contains("`$(LITERAL)`"), "{stderr}");
    assert!(
        !stderr.contains("`$(SESSION_TTL)` in `SESSION_URL`"),
        "{stderr}"
    );
    assert!(!stderr.contains("`$(OTEL_SERVICE_NAME)`"), "{stderr}");
    assert_eq!(stderr.matches("warning:").count(), 2, "{stderr}");
}
