//! What a service's own objects may be: namespaced Kubernetes objects of its own, each
//! naming its `apiVersion`, `kind` and `metadata.name`. Nothing that would change what
//! governs the namespace: the cluster's policies (and exceptions to them), the namespace
//! itself, Argo CD's own objects, or anything cluster-scoped, which would reach beyond the
//! service's namespace and its owners.

use serde_json::Value;

/// Cluster-scoped kinds of Kubernetes and of the controllers fleetc deploys with, beyond
/// those whose name says so (`Cluster…`).
const CLUSTER_SCOPED: &[&str] = &[
    "APIService",
    "CSIDriver",
    "CSINode",
    "CertificateSigningRequest",
    "ComponentStatus",
    "CustomResourceDefinition",
    "DeviceClass",
    "FlowSchema",
    "IPAddress",
    "IngressClass",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "MutatingWebhookConfiguration",
    "Node",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "ResourceSlice",
    "RuntimeClass",
    "ServiceCIDR",
    "StorageClass",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
];

/// Kinds that say what the cluster admits: only the spec writes them.
const POLICY_KINDS: &[&str] = &[
    "Policy",
    "PolicyException",
    "CleanupPolicy",
    "ClusterPolicy",
    "ClusterCleanupPolicy",
];

/// Argo CD's own kinds: an Application of a service's would deploy what no plan shows.
const ARGO_KINDS: &[&str] = &["Application", "ApplicationSet", "AppProject"];

/// Why an object may not be one of a service's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    Policy,
    Namespace,
    Argo,
    ClusterScoped,
    Secret,
}

/// Whether an object of `kind` (of `api_version`) is refused, and why.
pub(crate) fn refused(api_version: &str, kind: &str) -> Option<Refused> {
    let group = api_version.split_once('/').map_or("", |(group, _)| group);
    if POLICY_KINDS.contains(&kind) || group.ends_with("kyverno.io") {
        Some(Refused::Policy)
    } else if kind == "Secret" && group.is_empty() {
        Some(Refused::Secret)
    } else if kind == "Namespace" {
        Some(Refused::Namespace)
    } else if ARGO_KINDS.contains(&kind) && group == "argoproj.io" {
        Some(Refused::Argo)
    } else if kind.starts_with("Cluster") || CLUSTER_SCOPED.contains(&kind) {
        Some(Refused::ClusterScoped)
    } else {
        None
    }
}

impl Refused {
    fn message(self, file: &str, kind: &str, name: &str) -> (String, String) {
        let held = format!("`{file}` holds {kind} `{name}`");
        match self {
            Self::Policy => (
                format!("{held}: the cluster's policies and their exceptions come from the spec alone"),
                "a service's files may not add, change or except a policy; ask the platform team".into(),
            ),
            Self::Namespace => (
                format!("{held}: fleetc writes each environment's namespace, and the service's objects go in it"),
                "leave the namespace out: the overlay puts every object in its environment's namespace".into(),
            ),
            Self::Argo => (
                format!("{held}: what Argo CD deploys comes from the spec alone, so the plan shows it"),
                "declare a service in the spec instead".into(),
            ),
            Self::Secret => (
                format!("{held}: secret values never go into the tree, which lives in Git"),
                "read them from the environment's secret store by reference: `secrets = { NAME = \"<entry>#<property>\" }`".into(),
            ),
            Self::ClusterScoped => (
                format!("{held}, which is cluster-scoped: a service's files add only objects of its namespace"),
                "ask the platform team to add it to the cluster".into(),
            ),
        }
    }
}

/// Every document of a manifest file is an object the service may own.
pub(super) fn check(file: &str, documents: &[Value]) -> Result<(), (String, String)> {
    if documents.is_empty() {
        return Err((
            format!("`{file}` holds no object"),
            "write one or more Kubernetes objects, separated by `---`".into(),
        ));
    }
    for (index, document) in documents.iter().enumerate() {
        let field = |pointer: &str| {
            document
                .pointer(pointer)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let (Some(api_version), Some(kind), Some(name)) = (
            field("/apiVersion"),
            field("/kind"),
            field("/metadata/name"),
        ) else {
            return Err((
                format!(
                    "document {} of `{file}` is not a Kubernetes object: it needs `apiVersion`, `kind` and `metadata.name`",
                    index + 1
                ),
                "write each object with its `apiVersion`, `kind` and `metadata.name`".into(),
            ));
        };
        if let Some(refused) = refused(api_version, kind) {
            return Err(refused.message(file, kind, name));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Refused, check, refused};

    #[test]
    fn policies_namespaces_argo_and_cluster_scoped_kinds_are_refused() {
        assert_eq!(
            refused("kyverno.io/v1", "ClusterPolicy"),
            Some(Refused::Policy)
        );
        assert_eq!(refused("kyverno.io/v1", "Policy"), Some(Refused::Policy));
        assert_eq!(
            refused("kyverno.io/v2", "PolicyException"),
            Some(Refused::Policy)
        );
        assert_eq!(refused("v1", "Namespace"), Some(Refused::Namespace));
        assert_eq!(refused("v1", "Secret"), Some(Refused::Secret));
        assert_eq!(
            refused("argoproj.io/v1alpha1", "Application"),
            Some(Refused::Argo)
        );
        assert_eq!(
            refused("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
            Some(Refused::ClusterScoped)
        );
        assert_eq!(
            refused("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
            Some(Refused::ClusterScoped)
        );
        assert_eq!(
            refused("cert-manager.io/v1", "ClusterIssuer"),
            Some(Refused::ClusterScoped)
        );
    }

    #[test]
    fn namespaced_objects_of_a_service_are_kept() {
        for (api_version, kind) in [
            ("policy/v1", "PodDisruptionBudget"),
            ("v1", "ConfigMap"),
            ("rbac.authorization.k8s.io/v1", "Role"),
            ("networking.k8s.io/v1", "NetworkPolicy"),
            ("keda.sh/v1alpha1", "ScaledObject"),
        ] {
            assert_eq!(refused(api_version, kind), None, "{kind}");
        }
    }

    #[test]
    fn a_document_without_its_kind_or_name_is_not_an_object() {
        let object = serde_json::json!({ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "a" } });
        assert!(check("a.yaml", std::slice::from_ref(&object)).is_ok());
        let nameless = serde_json::json!({ "apiVersion": "v1", "kind": "ConfigMap" });
        let (message, _) = check("a.yaml", &[object, nameless]).unwrap_err();
        assert!(message.starts_with("document 2 of `a.yaml`"), "{message}");
        assert!(check("a.yaml", &[serde_json::json!(["x"])]).is_err());
        assert!(check("a.yaml", &[]).is_err());
    }
}
