//! How Prometheus finds a service: a Service over every pod of the service and a
//! ServiceMonitor on it. The main Service selects the live colour only, and Argo Rollouts
//! points the active and preview Services at the same pods once a release settles, so
//! scraping through either would miss the idle colour or count pods twice.

use serde_json::{Value, json};

use super::scope::ServiceScope;
use crate::emit::promql;
use crate::model::{MetricsEndpoint, ServiceModel};
use crate::naming::table;

/// The container port metrics are read from: `metrics`, or the service's own port that
/// serves them.
pub(super) fn metrics_port_name<'a>(
    service: &'a ServiceModel,
    endpoint: &MetricsEndpoint,
) -> &'a str {
    service
        .ports
        .iter()
        .find(|p| p.port == endpoint.port)
        .map_or("metrics", |p| p.name.as_str())
}

/// The label the ServiceMonitor picks the metrics Service by, and no other Service carries.
const SCRAPED: (&str, &str) = ("fleetc.io/scrape", "metrics");

pub(super) fn metrics_service(service: &ServiceModel, endpoint: &MetricsEndpoint) -> Value {
    let mut object_labels = service.labels.clone();
    object_labels.insert(SCRAPED.0.to_owned(), SCRAPED.1.to_owned());
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": table::METRICS_SERVICE.build(&[&service.name]),
            "labels": object_labels,
        },
        "spec": {
            "type": "ClusterIP",
            "selector": service.selector(),
            "ports": [{
                "name": "metrics",
                "port": endpoint.port,
                "targetPort": metrics_port_name(service, endpoint),
                "protocol": "TCP",
            }],
        },
    })
}

/// Scrapes every pod of the service and labels its series the way fleetc's queries read
/// them: `service` (the service, not the metrics Service), `colour` and `version`, and for a
/// Rollout the ReplicaSet hash its analysis picks the canary's pods by.
pub(super) fn service_monitor(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    endpoint: &MetricsEndpoint,
) -> Value {
    let mut object_labels = service.labels.clone();
    object_labels.extend(scope.enterprise.monitoring.prometheus_selector.clone());
    let mut selector = service.selector();
    selector.insert(SCRAPED.0.to_owned(), SCRAPED.1.to_owned());
    let relabel = |source: &str, target: &str| json!({ "sourceLabels": [source], "targetLabel": target, "action": "replace" });
    let mut relabelings = vec![
        relabel(
            "__meta_kubernetes_pod_label_app_kubernetes_io_name",
            "service",
        ),
        relabel("__meta_kubernetes_pod_label_version", "colour"),
        relabel(
            "__meta_kubernetes_pod_label_app_kubernetes_io_version",
            "version",
        ),
    ];
    if service.rollout.is_some() {
        relabelings.push(relabel(
            "__meta_kubernetes_pod_label_rollouts_pod_template_hash",
            promql::POD_TEMPLATE_HASH,
        ));
    }
    json!({
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "ServiceMonitor",
        "metadata": {
            "name": table::SERVICE_MONITOR.build(&[&service.name]),
            "labels": object_labels,
        },
        "spec": {
            "selector": { "matchLabels": selector },
            "endpoints": [{
                "port": "metrics",
                "path": endpoint.path,
                "interval": "30s",
                "relabelings": relabelings,
            }],
        },
    })
}

/// The NetworkPolicy rule that lets Prometheus reach the metrics port through the
/// environment's default deny.
pub(super) fn prometheus_ingress_rule(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    endpoint: &MetricsEndpoint,
) -> Value {
    json!({
        "from": [{
            "namespaceSelector": {
                "matchLabels": {
                    "kubernetes.io/metadata.name": scope.enterprise.monitoring.prometheus_namespace,
                },
            },
        }],
        "ports": [{ "port": metrics_port_name(service, endpoint), "protocol": "TCP" }],
    })
}
