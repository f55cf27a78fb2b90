//! What the files of a service's overlay are written from, as keys of the spec: shared by
//! the emitters of the overlay's files.

use crate::model::{Deployment, PortModel, ServiceModel};
use crate::tree::origin::{Origin, key};

/// What every file of an overlay comes from, after anything more specific: the release state
/// of its place (a cluster's own first), then the service.
pub(super) fn place_keys(service: &ServiceModel, deployment: &Deployment) -> Vec<Origin> {
    let mut found = Vec::new();
    if let Some(cluster) = &deployment.cluster {
        found.push(key(&[
            "services",
            &service.name,
            "overrides",
            &deployment.environment,
            "clusters",
            cluster,
        ]));
    }
    found.extend(state_keys(service, deployment, &[]));
    found.push(key(&["services", &service.name]));
    found
}

/// A key of the release state of the overlay's place with `rest` after it: the cluster's own
/// state (`deploy.<env>.clusters.<cluster>`) first, which wins where the spec writes it.
pub(super) fn state_keys(
    service: &ServiceModel,
    deployment: &Deployment,
    rest: &[&str],
) -> Vec<Origin> {
    let state = [
        "services",
        service.name.as_str(),
        "deploy",
        &deployment.environment,
    ];
    let mut found = Vec::new();
    if let Some(cluster) = &deployment.cluster {
        found.push(key(&[&state[..], &["clusters", cluster], rest].concat()));
    }
    found.push(key(&[&state[..], rest].concat()));
    found
}

pub(super) fn namespace_keys(deployment: &Deployment) -> Vec<Origin> {
    let env = &deployment.environment;
    vec![
        key(&["environments", env, "namespace"]),
        key(&["environments", env]),
    ]
}

/// A setting of the service as it applies in the overlay's place.
pub(super) fn setting(service: &ServiceModel, deployment: &Deployment, setting: &[&str]) -> Origin {
    Origin::Setting {
        service: service.name.clone(),
        env: deployment.environment.clone(),
        cluster: deployment.cluster.clone(),
        setting: setting.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// The keys behind the service's port `port`: its entry under `ports`, or `port`.
pub(super) fn port_keys(svc: &str, port: &PortModel) -> Vec<Origin> {
    vec![
        key(&["services", svc, "ports", &port.name]),
        key(&["services", svc, "ports"]),
        key(&["services", svc, "port"]),
        key(&["defaults", "port"]),
    ]
}

/// The keys of a service's metrics endpoint setting, most specific first.
pub(super) fn metrics_keys(svc: &str, setting: &str) -> Vec<Origin> {
    vec![
        key(&["services", svc, "metrics", setting]),
        key(&["services", svc, "metrics"]),
        key(&["defaults", "metrics", setting]),
        key(&["defaults", "metrics"]),
    ]
}
