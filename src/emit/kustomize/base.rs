use serde_json::{Value, json};

use super::{base_dir, labels};
use crate::emit::yaml::{file, header};
use crate::model::{Model, ServiceModel};
use crate::tree::Tree;

/// The objects every colour and environment share: the Service, the ServiceAccount and the
/// PodDisruptionBudget. The Service selects no colour here; each overlay adds the live one.
pub fn emit(model: &Model, service: &ServiceModel, tree: &mut Tree) {
    let dir = base_dir(&service.name);
    let head = header(model, &format!("services.{}", service.name));
    let files: [(&str, Value); 4] = [
        ("service.yaml", service_object(service)),
        ("serviceaccount.yaml", service_account(service)),
        ("pdb.yaml", disruption_budget(service)),
        (
            "kustomization.yaml",
            json!({
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": ["service.yaml", "serviceaccount.yaml", "pdb.yaml"],
            }),
        ),
    ];
    for (name, document) in files {
        tree.insert(format!("{dir}/{name}"), file(&head, &[document]));
    }
}

pub fn service_object(service: &ServiceModel) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": { "name": service.name, "labels": labels(service) },
        "spec": {
            "type": "ClusterIP",
            "selector": service.selector(),
            "ports": [{ "name": "http", "port": 80, "targetPort": "http", "protocol": "TCP" }],
        },
    })
}

fn service_account(service: &ServiceModel) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": { "name": service.name, "labels": labels(service) },
        "automountServiceAccountToken": false,
    })
}

/// Covers the pods of both colours: a drain never takes more than one pod of the service.
fn disruption_budget(service: &ServiceModel) -> Value {
    json!({
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": { "name": service.name, "labels": labels(service) },
        "spec": {
            "maxUnavailable": 1,
            "selector": { "matchLabels": service.selector() },
        },
    })
}
