//! A service's secrets in one environment: an ExternalSecret that External Secrets turns into
//! a Kubernetes Secret from the environment's store, and the variables that read it. The tree
//! holds where each value lives, never the value.

use serde_json::{Map, Value, json};

use super::origins::setting;
use super::scope::labels;
use crate::emit::policies::SYNCED_LABEL;
use crate::model::{Deployment, DeploymentSecrets, ServiceModel};
use crate::tree::origin::{Gathered, Origin, StoreSetting, key};

pub(super) const FILE: &str = "externalsecret.yaml";

/// Stakater Reloader restarts a workload whose annotation names a Secret that changed: the
/// way a rotated value reaches variables, which a running container never rereads.
pub(super) const RELOAD_ANNOTATION: &str = "secret.reloader.stakater.com/reload";

pub(super) fn external_secret(service: &ServiceModel, secrets: &DeploymentSecrets) -> Value {
    // The Secret is written by the controller, not synced by Argo CD, yet it comes from what
    // Argo CD synced: it carries the synced label, which production's policy requires of
    // every Secret.
    let mut secret_labels = service.labels.clone();
    let (key, value) = SYNCED_LABEL;
    secret_labels.insert(key.to_owned(), value.to_owned());
    let data: Vec<Value> = secrets
        .variables
        .iter()
        .map(|(variable, reference)| {
            let mut remote = Map::new();
            remote.insert("key".into(), json!(reference.key));
            if let Some(property) = &reference.property {
                remote.insert("property".into(), json!(property));
            }
            json!({ "secretKey": variable, "remoteRef": remote })
        })
        .collect();
    json!({
        "apiVersion": "external-secrets.io/v1",
        "kind": "ExternalSecret",
        "metadata": { "name": secrets.target, "labels": labels(service) },
        "spec": {
            "refreshInterval": secrets.refresh,
            "secretStoreRef": { "kind": "ClusterSecretStore", "name": secrets.store },
            "target": {
                "name": secrets.target,
                "creationPolicy": "Owner",
                "deletionPolicy": "Retain",
                "template": { "metadata": { "labels": secret_labels } },
            },
            "data": data,
        },
    })
}

/// What the lines of the ExternalSecret come from: the store's settings, each reference.
pub(super) fn origins(
    service: &ServiceModel,
    deployment: &Deployment,
    secrets: &DeploymentSecrets,
    origins: &mut Gathered,
) {
    let store = |setting| {
        vec![Origin::SecretStore {
            env: deployment.environment.clone(),
            cluster: deployment.cluster.clone(),
            setting,
        }]
    };
    origins.node(0, &["spec", "refreshInterval"], || {
        store(StoreSetting::Refresh)
    });
    origins.node(0, &["spec", "secretStoreRef"], || {
        store(StoreSetting::Store)
    });
    for (index, variable) in secrets.variables.keys().enumerate() {
        let index = index.to_string();
        origins.node(0, &["spec", "data", &index], || {
            vec![setting(service, deployment, &["secrets", variable])]
        });
    }
    origins.file(|| vec![key(&["services", &service.name, "secrets"])]);
}

/// The container variables that read the Secret, one per variable, under the variable's name;
/// a secret the service reads as a file is no variable.
pub(super) fn variables<'a>(
    service: &'a ServiceModel,
    secrets: &'a DeploymentSecrets,
) -> impl Iterator<Item = Value> + 'a {
    let as_file = |variable: &String| service.secret_files.values().any(|v| v == variable);
    secrets
        .variables
        .keys()
        .filter(move |v| !as_file(v))
        .map(|variable| {
            json!({
                "name": variable,
                "valueFrom": { "secretKeyRef": { "name": secrets.target, "key": variable } },
            })
        })
}
