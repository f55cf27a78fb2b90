//! The namespace of an environment (or of one cluster of it): its name and the Pod Security
//! levels its admission enforces, warns and audits.

use serde_json::{Value, json};

use super::environment_origins::Shared;
use crate::model::{EnvironmentModel, Model, PodSecurityLevel};
use crate::tree::origin::{Gathered, key};

/// The level the namespace's admission enforces: the environment's, or the most permissive an
/// exception grants there, since admission cannot tell pods apart. The environment's own level
/// is still warned and audited against, and its Kyverno policy holds every other pod to it.
fn enforced_level(env: &EnvironmentModel) -> PodSecurityLevel {
    env.security_grants
        .iter()
        .map(|grant| grant.level)
        .fold(env.pod_security, PodSecurityLevel::max)
}

pub(super) fn namespace(model: &Model, env: &EnvironmentModel) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": env.namespace,
            "labels": {
                "app.kubernetes.io/part-of": model.enterprise.name,
                "app.kubernetes.io/managed-by": "fleetc",
                "fleetc.io/environment": env.name,
                "pod-security.kubernetes.io/enforce": enforced_level(env).as_str(),
                "pod-security.kubernetes.io/enforce-version": "latest",
                "pod-security.kubernetes.io/warn": env.pod_security.as_str(),
                "pod-security.kubernetes.io/audit": env.pod_security.as_str(),
            },
        },
    })
}

/// What the namespace's Pod Security labels come from: the environment's level, and the
/// exceptions that lift what admission enforces.
pub(super) fn origins(env: &EnvironmentModel, shared: Shared<'_>, origins: &mut Gathered) {
    for mode in ["warn", "audit"] {
        let label = format!("pod-security.kubernetes.io/{mode}");
        origins.node(0, &["metadata", "labels", &label], || {
            shared.setting(&["pod_security"])
        });
    }
    origins.node(
        0,
        &["metadata", "labels", "pod-security.kubernetes.io/enforce"],
        || {
            let mut found: Vec<_> = env
                .security_grants
                .iter()
                .filter(|grant| grant.level > env.pod_security)
                .map(|grant| key(&["security_exceptions", &grant.exception.to_string()]))
                .collect();
            found.extend(shared.setting(&["pod_security"]));
            found
        },
    );
}
