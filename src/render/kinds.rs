//! Kinds kustomize treats apart.

/// Workload kinds whose pod template kustomize's label, annotation and name reference transformers know (built-in kinds only;
/// it does not know custom resources such as Argo Rollouts).
pub(super) const TEMPLATE_KINDS: &[&str] = &[
    "Deployment",
    "ReplicaSet",
    "DaemonSet",
    "StatefulSet",
    "Job",
    "ReplicationController",
];
