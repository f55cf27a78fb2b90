use indexmap::IndexMap;
use serde_json::{Value, json};

use super::scope::ServiceScope;
use super::scope::colour_name;
use crate::emit::header::{header_named, kustomization};
use crate::model::{Colour, ProbeCheck, ProbeModel, ServiceModel};
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
    let at = |rest: &[&'static str]| -> Vec<&'static str> { [&container[..], rest].concat() };
    // Probes are the spec's paths, or else what the probed port speaks.
    let probed = crate::resolve::ports::probed_port(&service.ports);
    for (probe, which) in [
        ("livenessProbe", "liveness"),
        ("readinessProbe", "readiness"),
        ("startupProbe", "startup"),
    ] {
        origins.node(0, &at(&[probe]), || {
            let mut found = vec![
                key(&["services", svc, "probes", which]),
                key(&["services", svc, "probes"]),
                key(&["defaults", "probes", which]),
                key(&["defaults", "probes"]),
            ];
            found.extend(
                probed
                    .map(|port| super::origins::port_keys(svc, port))
                    .unwrap_or_default(),
            );
            found
        });
    }
    for (index, port) in service.ports.iter().enumerate() {
        let index = index.to_string();
        let pointer = [&container[..], &["ports", &index]].concat();
        origins.node(0, &pointer, || super::origins::port_keys(svc, port));
    }
    let metrics = service.ports.len().to_string();
    let pointer = [&container[..], &["ports", &metrics]].concat();
    origins.node(0, &pointer, || super::origins::metrics_keys(svc, "port"));
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
        "ports": service.ports.iter().map(|p| json!({
            "name": p.name,
            "containerPort": p.port,
            "protocol": p.protocol.transport(),
        })).collect::<Vec<_>>(),
        "securityContext": {
            "allowPrivilegeEscalation": false,
            "readOnlyRootFilesystem": true,
            "runAsNonRoot": true,
            "capabilities": { "drop": ["ALL"] },
        },
        "volumeMounts": [{ "name": "tmp", "mountPath": "/tmp" }],
    });
    // Metrics on a port of their own get a container port named for them.
    if let Some(endpoint) = &service.monitoring.metrics
        && !service.ports.iter().any(|p| p.port == endpoint.port)
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
    for (field, probe) in [
        ("livenessProbe", &probes.liveness),
        ("readinessProbe", &probes.readiness),
        ("startupProbe", &probes.startup),
    ] {
        if let Some(probe) = probe {
            c.insert(field.into(), probe_object(probe));
        }
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

fn probe_object(probe: &ProbeModel) -> Value {
    let (kind, how) = match &probe.check {
        ProbeCheck::Http { path, port } => ("httpGet", json!({ "path": path, "port": port })),
        ProbeCheck::Grpc { port, service } => {
            let mut how = json!({ "port": port });
            if let Some(service) = service {
                how["service"] = json!(service);
            }
            ("grpc", how)
        }
        ProbeCheck::Tcp { port } => ("tcpSocket", json!({ "port": port })),
        ProbeCheck::Exec { command } => ("exec", json!({ "command": command })),
    };
    let mut object = serde_json::Map::new();
    object.insert(kind.into(), how);
    if probe.delay > 0 {
        object.insert("initialDelaySeconds".into(), json!(probe.delay));
    }
    object.insert("periodSeconds".into(), json!(probe.period));
    object.insert("failureThreshold".into(), json!(probe.failures));
    object.insert("timeoutSeconds".into(), json!(probe.timeout));
    Value::Object(object)
}
