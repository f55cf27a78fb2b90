//! The keys a service's cloud identity in one place can be written at, for the Kustomize and
//! Terraform files that carry it.

use crate::model::Deployment;
use crate::tree::origin::{Origin, key};

/// The keys of the identity of service `svc` where `deployment` runs it, most specific
/// first: the cluster's own table, the environment's, the service's; in each, the key of the
/// provider it names, then the table.
pub(super) fn identity_keys(svc: &str, deployment: &Deployment) -> Vec<Origin> {
    let env = deployment.environment.as_str();
    let provider = deployment
        .identity
        .as_ref()
        .map_or("", |identity| identity.provider.key());
    let mut tables: Vec<Vec<&str>> = Vec::new();
    if let Some(cluster) = &deployment.cluster {
        tables.push(vec!["services", svc, "overrides", env, "clusters", cluster]);
    }
    tables.push(vec!["services", svc, "overrides", env]);
    tables.push(vec!["services", svc]);
    let mut found = Vec::new();
    for table in tables {
        found.push(key(&[&table[..], &["identity", provider]].concat()));
        found.push(key(&[&table[..], &["identity"]].concat()));
    }
    found
}
