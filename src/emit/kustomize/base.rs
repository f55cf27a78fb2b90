use serde_json::{Value, json};

use super::metrics;
use super::scope::ServiceScope;
use super::scope::labels;
use crate::emit::header::{header_named, kustomization};
use crate::model::{BudgetModel, BudgetValue, PortModel, ServiceModel, WorkloadKind};
use crate::naming::table;
use crate::spec::PortProtocol;
use crate::tree::Tree;
use crate::tree::layout::base_dir;
use crate::tree::origin::{Gathered, key};

/// The objects every colour and environment share: the Service, the ServiceAccount and the
/// PodDisruptionBudget. The Service selects no colour here; each overlay adds the live one.
pub(super) fn emit(scope: &ServiceScope<'_>, service: &ServiceModel, tree: &mut Tree) {
    let dir = base_dir(&service.name);
    let head = header_named(scope.spec_name, &format!("services.{}", service.name));
    let mut files: Vec<(String, Value)> = Vec::new();
    if service.kind.rolls_in_place() {
        files.push((
            super::workload::in_place_file(service.kind),
            super::workload::in_place_workload(service),
        ));
    }
    // Only what serves gets a Service: a client, a job or a cron job has no callers.
    if service.kind.serves() {
        files.push(("service.yaml".to_owned(), service_object(service)));
    }
    if let Some(endpoint) = &service.monitoring.metrics {
        files.push((
            "service-metrics.yaml".to_owned(),
            metrics::metrics_service(service, endpoint),
        ));
        files.push((
            "servicemonitor.yaml".to_owned(),
            metrics::service_monitor(scope, service, endpoint),
        ));
    }
    files.push(("serviceaccount.yaml".to_owned(), service_account(service)));
    if let Some(budget) = &service.disruption {
        files.push(("pdb.yaml".to_owned(), disruption_budget(service, budget)));
    }
    files.push((
        "networkpolicy.yaml".to_owned(),
        network_policy(scope, service),
    ));
    let mut resources: Vec<Value> = files.iter().map(|(name, _)| json!(name)).collect();
    for file in &service.own_manifests {
        resources.push(json!(super::escape_hatch::copy(file, &dir, tree)));
    }
    files.push(("kustomization.yaml".to_owned(), kustomization(&resources)));
    for (name, document) in files {
        let path = format!("{dir}/{name}");
        let mut origins = tree.gather();
        base_origins(scope, service, &name, &mut origins);
        if name == "kustomization.yaml" {
            let own = &service.own_manifests;
            super::escape_hatch::entry_origins("resources", &resources, own, &mut origins);
        }
        origins.file(|| vec![key(&["services", &service.name])]);
        tree.record(&path, origins);
        tree.insert_yaml(path, &head, vec![document]);
    }
}

/// What the lines of the base's file `name` come from, beyond the service itself.
fn base_origins(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    name: &str,
    origins: &mut Gathered,
) {
    let svc = service.name.as_str();
    let selector = &scope.enterprise.monitoring.prometheus_selector;
    match name {
        "service.yaml" => {
            for (index, port) in service.ports.iter().enumerate() {
                let index = index.to_string();
                origins.node(0, &["spec", "ports", &index], || {
                    super::origins::port_keys(svc, port)
                });
            }
        }
        "service-metrics.yaml" => {
            origins.node(0, &["spec", "ports", "0"], || {
                super::origins::metrics_keys(svc, "port")
            });
        }
        "servicemonitor.yaml" => {
            for label in selector.keys() {
                origins.node(0, &["metadata", "labels", label], || {
                    vec![
                        key(&["observability", "prometheus_selector", label]),
                        key(&["observability", "prometheus_selector"]),
                    ]
                });
            }
            let endpoint = ["spec", "endpoints", "0"];
            origins.node(0, &[&endpoint[..], &["path"]].concat(), || {
                super::origins::metrics_keys(svc, "path")
            });
            origins.node(0, &[&endpoint[..], &["port"]].concat(), || {
                super::origins::metrics_keys(svc, "port")
            });
        }
        "networkpolicy.yaml" => {
            let rules = network_policy_rules(service);
            for (index, rule) in rules.iter().enumerate() {
                let index = index.to_string();
                origins.node(0, &["spec", "ingress", &index], || match rule {
                    Rule::Ingress => vec![key(&["services", svc, "route"])],
                    Rule::Prometheus => vec![
                        key(&["observability", "prometheus_namespace"]),
                        key(&["services", svc, "metrics"]),
                        key(&["defaults", "metrics"]),
                    ],
                    Rule::Callers => service
                        .callers
                        .iter()
                        .map(|caller| key(&["services", caller, "depends_on"]))
                        .collect(),
                    Rule::Peers => vec![
                        key(&["services", svc, "kind"]),
                        key(&["services", svc, "ports"]),
                    ],
                });
            }
        }
        "pdb.yaml" => {
            for (field, setting) in [
                ("minAvailable", "min_available"),
                ("maxUnavailable", "max_unavailable"),
            ] {
                origins.node(0, &["spec", field], || {
                    vec![
                        key(&["services", svc, "disruption", setting]),
                        key(&["services", svc, "disruption"]),
                    ]
                });
            }
        }
        name if name == super::workload::in_place_file(service.kind) => {
            super::workload::in_place_origins(service, origins);
        }
        _ => {}
    }
}

/// Who a rule of the NetworkPolicy lets in.
enum Rule {
    Ingress,
    Prometheus,
    Callers,
    /// A statefulset's own pods, which dial one another by name through its headless Service.
    Peers,
}

/// The rules of the service's NetworkPolicy, in the order it lists them.
fn network_policy_rules(service: &ServiceModel) -> Vec<Rule> {
    let mut rules = Vec::new();
    if service.route.is_some() {
        rules.push(Rule::Ingress);
    }
    if service.monitoring.metrics.is_some() {
        rules.push(Rule::Prometheus);
    }
    if !service.callers.is_empty() {
        rules.push(Rule::Callers);
    }
    if service.kind == WorkloadKind::StatefulSet && !service.ports.is_empty() {
        rules.push(Rule::Peers);
    }
    rules
}

pub(super) fn service_object(service: &ServiceModel) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": { "name": table::SERVICE.build(&[&service.name]), "labels": labels(service) },
        "spec": service_spec(service),
    })
}

/// A statefulset's Service is headless: each pod keeps a name of its own
/// (`<pod>.<service>`), which is what its clients and peers dial.
fn service_spec(service: &ServiceModel) -> Value {
    let mut spec = json!({ "type": "ClusterIP" });
    if service.kind == WorkloadKind::StatefulSet {
        spec["clusterIP"] = json!("None");
    }
    spec["selector"] = json!(service.selector());
    spec["ports"] = json!(service.ports.iter().map(service_port).collect::<Vec<_>>());
    spec
}

/// A port of the Service: the container's port of that name, on the number it is exposed on,
/// with the application protocol meshes and load balancers read where it is not plain HTTP.
fn service_port(port: &PortModel) -> Value {
    let mut entry = json!({
        "name": port.name,
        "port": port.expose,
        "targetPort": port.name,
        "protocol": port.protocol.transport(),
    });
    if port.protocol == PortProtocol::Grpc {
        entry["appProtocol"] = json!("grpc");
    }
    entry
}

fn service_account(service: &ServiceModel) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": { "name": service.name, "labels": labels(service) },
        "automountServiceAccountToken": false,
    })
}

/// The Service that reaches the idle colour (`colour`) during a release, or, for Argo
/// Rollouts (`None`), the preview Service whose selector the controller manages.
pub(super) fn preview_service(
    service: &ServiceModel,
    colour: Option<crate::model::Colour>,
) -> Value {
    let mut object = service_object(service);
    object["metadata"]["name"] = json!(super::scope::preview_name(&service.name));
    object["metadata"]["labels"]["fleetc.io/preview"] = json!("true");
    if let Some(colour) = colour {
        object["spec"]["selector"]["version"] = json!(colour.as_str());
    }
    object
}

/// Covers the pods of both colours: a drain never takes more of the service's pods than its
/// budget lets it (one at a time, unless the service says otherwise).
fn disruption_budget(service: &ServiceModel, budget: &BudgetModel) -> Value {
    let (field, value) = match budget {
        BudgetModel::MinAvailable(value) => ("minAvailable", value),
        BudgetModel::MaxUnavailable(value) => ("maxUnavailable", value),
    };
    let value = match value {
        BudgetValue::Pods(pods) => json!(pods),
        BudgetValue::Percent(percent) => json!(percent),
    };
    let mut spec = serde_json::Map::new();
    spec.insert(field.into(), value);
    spec.insert(
        "selector".into(),
        json!({ "matchLabels": service.selector() }),
    );
    json!({
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": { "name": service.name, "labels": labels(service) },
        "spec": spec,
    })
}

/// Who may reach the service's pods: the ingress controller when the service has a route,
/// Prometheus on the metrics port, the services that declare they call it, and a
/// statefulset's own pods, its peers. The environment denies everything else.
fn network_policy(scope: &ServiceScope<'_>, service: &ServiceModel) -> Value {
    let port_entry =
        |port: &PortModel| json!({ "port": port.name, "protocol": port.protocol.transport() });
    let routed: Vec<Value> = service
        .ports
        .iter()
        .filter(|p| service.route_port.as_ref() == Some(&p.name))
        .map(port_entry)
        .collect();
    let port: Vec<Value> = service.ports.iter().map(port_entry).collect();
    let rules: Vec<Value> = network_policy_rules(service)
        .into_iter()
        .filter_map(|rule| match rule {
            Rule::Ingress => Some(json!({
                "from": [{
                    "namespaceSelector": {
                        "matchLabels": { "kubernetes.io/metadata.name": scope.enterprise.ingress_namespace },
                    },
                }],
                "ports": routed,
            })),
            Rule::Prometheus => service
                .monitoring
                .metrics
                .as_ref()
                .map(|endpoint| metrics::prometheus_ingress_rule(scope, service, endpoint)),
            Rule::Callers => Some(json!({
                "from": [{
                    "podSelector": {
                        "matchExpressions": [{
                            "key": "app.kubernetes.io/name",
                            "operator": "In",
                            "values": service.callers,
                        }],
                    },
                }],
                "ports": port,
            })),
            Rule::Peers => Some(json!({
                "from": [{ "podSelector": { "matchLabels": service.selector() } }],
                "ports": port,
            })),
        })
        .collect();
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": { "name": service.name, "labels": labels(service) },
        "spec": {
            "podSelector": { "matchLabels": service.selector() },
            "policyTypes": ["Ingress"],
            "ingress": rules,
        },
    })
}
