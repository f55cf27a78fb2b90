use indexmap::IndexMap;
use serde_json::{Value, json};

use super::scope::ServiceScope;
use super::scope::colour_name;
use crate::emit::header::{header_named, kustomization};
use crate::model::{Colour, ServiceModel};
use crate::tree::Tree;
use crate::tree::layout::colour_dir;
use crate::tree::origin::{Gathered, key};

/// The Deployment of one colour, as every environment starts from it. Its selector includes
/// the colour, so the two colours never claim each other's pods.
pub(super) fn emit(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    colour: Colour,
    tree: &mut Tree,
) {
    let dir = colour_dir(&service.name, colour);
    let head = header_named(scope.spec_name, &format!("services.{}", service.name));
    let path = format!("{dir}/deployment.yaml");
    let mut origins = tree.gather();
    pod_template_origins(service, &mut origins);
    tree.record(&path, origins);
    tree.insert_yaml(path, &head, vec![deployment(service, colour)]);
    let kustomization = kustomization(&[json!("deployment.yaml")]);
    let path = format!("{dir}/kustomization.yaml");
    let mut origins = tree.gather();
    origins.file(|| vec![key(&["services", &service.name])]);
    tree.record(&path, origins);
    tree.insert_yaml(path, &head, vec![kustomization]);
}

/// What the lines of a workload's pod template (at `spec.template` of the file's first
/// document) come from: probes, ports, and the service for the rest.
pub(super) fn pod_template_origins(service: &ServiceModel, origins: &mut Gathered) {
    let svc = service.name.as_str();
    let container = ["spec", "template", "spec", "containers", "0"];
    let at = |rest: &[&'static str]| -> Vec<&str> { [&container[..], rest].concat() };
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        origins.node(0, &at(&[probe]), || {
            vec![
                key(&["services", svc, "probes"]),
                key(&["defaults", "probes"]),
            ]
        });
    }
    origins.node(0, &at(&["ports", "0"]), || {
        vec![key(&["services", svc, "port"]), key(&["defaults", "port"])]
    });
    origins.node(0, &at(&["ports", "1"]), || {
        super::base::metrics_keys(svc, "port")
    });
    origins.file(|| vec![key(&["services", svc])]);
}

fn deployment(service: &ServiceModel, colour: Colour) -> Value {
    let mut selector = service.selector();
    selector.insert("version".to_owned(), colour.as_str().to_owned());
    let mut metadata_labels = service.labels.clone();
    metadata_labels.insert("app".to_owned(), service.name.clone());
    metadata_labels.insert("version".to_owned(), colour.as_str().to_owned());
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": { "name": colour_name(&service.name, colour), "labels": metadata_labels },
        "spec": {
            "replicas": 1,
            "revisionHistoryLimit": 5,
            "selector": { "matchLabels": selector },
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": { "maxSurge": "25%", "maxUnavailable": 0 },
            },
            "template": pod_template(service, &metadata_labels),
        },
    })
}

/// The pod every workload of the service runs: hardened and probed. Environments patch in
/// image, the base image that version was built on, resources and variables.
pub(super) fn pod_template(service: &ServiceModel, pod_labels: &IndexMap<String, String>) -> Value {
    let mut container = json!({
        "name": service.name,
        "image": service.repository,
        "imagePullPolicy": "Always",
        "ports": [{ "name": "http", "containerPort": service.port, "protocol": "TCP" }],
        "securityContext": {
            "allowPrivilegeEscalation": false,
            "readOnlyRootFilesystem": true,
            "runAsNonRoot": true,
            "capabilities": { "drop": ["ALL"] },
        },
        "volumeMounts": [{ "name": "tmp", "mountPath": "/tmp" }],
    });
    if let Some(endpoint) = &service.monitoring.metrics
        && super::metrics::metrics_port_name(service, endpoint) == "metrics"
    {
        container["ports"]
            .as_array_mut()
            .expect("ports is a list")
            .push(json!({
                "name": "metrics",
                "containerPort": endpoint.port,
                "protocol": "TCP",
            }));
    }
    let probes = &service.probes;
    let c = container.as_object_mut().expect("container is an object");
    c.insert("livenessProbe".into(), http_probe(&probes.liveness, 10, 3));
    c.insert("readinessProbe".into(), http_probe(&probes.readiness, 5, 3));
    if let Some(startup) = &probes.startup {
        c.insert("startupProbe".into(), http_probe(startup, 5, 30));
    }
    json!({
        "metadata": { "labels": pod_labels },
        "spec": {
            "serviceAccountName": service.name,
            "automountServiceAccountToken": false,
            "securityContext": {
                "runAsNonRoot": true,
                "runAsUser": 10001,
                "runAsGroup": 10001,
                "fsGroup": 10001,
                "seccompProfile": { "type": "RuntimeDefault" },
            },
            "containers": [container],
            "volumes": [{ "name": "tmp", "emptyDir": {} }],
        },
    })
}

fn http_probe(path: &str, period: u32, failures: u32) -> Value {
    json!({
        "httpGet": { "path": path, "port": "http" },
        "periodSeconds": period,
        "failureThreshold": failures,
        "timeoutSeconds": 2,
    })
}
