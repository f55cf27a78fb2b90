use serde_json::Value;

/// Kustomize's legacy order: by kind in install order, then by name.
const KIND_ORDER: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];
const LAST: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

pub fn sort(documents: &mut [Value]) {
    documents.sort_by_key(|d| {
        let kind = d["kind"].as_str().unwrap_or("").to_owned();
        let rank = KIND_ORDER.iter().position(|k| *k == kind).unwrap_or(
            if LAST.contains(&kind.as_str()) {
                usize::MAX
            } else {
                KIND_ORDER.len()
            },
        );
        let name = d["metadata"]["name"].as_str().unwrap_or("").to_owned();
        let namespace = d["metadata"]["namespace"].as_str().unwrap_or("").to_owned();
        (rank, kind, namespace, name)
    });
}
