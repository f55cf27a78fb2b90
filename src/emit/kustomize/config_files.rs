//! The configuration files of one overlay: the ConfigMap that holds them, and the operation
//! that points the pods at it where its files are not the service's own.

use serde_json::{Map, Value, json};

use super::pod::config_volume_index;
use crate::model::{ConfigFiles, Deployment, ServiceModel};
use crate::tree::origin::{Gathered, Origin, key};

pub(super) const FILE: &str = "config-files.yaml";

/// The ConfigMap, its keys in the order the spec lists the paths.
pub(super) fn config_map(service: &ServiceModel, config: &ConfigFiles) -> Value {
    let data: Map<String, Value> = config
        .files
        .iter()
        .map(|file| (file.mount.key.clone(), json!(file.text)))
        .collect();
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": { "name": config.name, "labels": service.labels },
        "data": data,
    })
}

/// Each key comes from its file beside the spec, and the entry that gives it here.
pub(super) fn origins(service: &ServiceModel, config: &ConfigFiles, origins: &mut Gathered) {
    for file in &config.files {
        origins.node(0, &["data", &file.mount.key], || {
            vec![
                Origin::Beside {
                    file: file.source.clone(),
                    line: None,
                },
                Origin::Key(file.entry.clone()),
            ]
        });
    }
    origins.node(0, &["metadata", "name"], || entry_keys(service, config));
}

/// The operation that mounts this place's ConfigMap instead of the base's, where the files
/// differ from the service's own.
pub(super) fn volume_op(
    service: &ServiceModel,
    deployment: &Deployment,
    template: &str,
) -> Option<Value> {
    let config = deployment.config.as_ref()?;
    (service.config_name.as_ref() != Some(&config.name)).then(|| {
        json!({
            "op": "replace",
            "path": format!(
                "{template}/spec/volumes/{}/configMap/name",
                config_volume_index(service)
            ),
            "value": config.name,
        })
    })
}

/// The entries whose files the ConfigMap holds here.
pub(super) fn entry_keys(service: &ServiceModel, config: &ConfigFiles) -> Vec<Origin> {
    let mut found: Vec<Origin> = config
        .files
        .iter()
        .map(|file| Origin::Key(file.entry.clone()))
        .collect();
    found.push(key(&["services", &service.name, "config_files"]));
    found
}
