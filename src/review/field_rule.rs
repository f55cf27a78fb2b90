//! Which kind of change a field of a rendered object belongs to, by the object's kind and
//! the field's path: the rules a reviewer applies when reading a manifest diff.

use super::Change;

/// What a changed field means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// A kind of change that needs no detail from the documents.
    Kind(Change),
    /// The image of the container at this index.
    Image(usize),
    BaseImage,
    /// An environment variable of the container at this index (compared by name).
    Variables(usize),
    /// What an ExternalSecret reads from the store (compared by variable).
    SecretReferences,
    /// A key of a ConfigMap or Secret.
    DataKey(String),
    /// The colour a Service selects.
    ColourSelector,
    /// Follows another change (the version label follows the image).
    Implied,
    /// No rule names it.
    Other,
}

pub const WORKLOADS: &[&str] = &["Deployment", "Rollout", "StatefulSet"];

/// What the rules call a ConfigMap that holds a Grafana dashboard: fleetc names every one
/// `<…>-dashboard` (the name table's dashboard patterns), and its keys are no variables.
pub const DASHBOARD: &str = "GrafanaDashboard";

/// The kind the rules read an object as.
pub fn rule_kind<'a>(kind: &'a str, name: &str) -> &'a str {
    if kind == "ConfigMap" && name.ends_with("-dashboard") {
        DASHBOARD
    } else {
        kind
    }
}

pub fn field(kind: &str, path: &[&str]) -> Field {
    let metadata = matches!(path, ["metadata", "labels" | "annotations", ..]);
    match kind {
        "Ingress" => Field::Kind(Change::Routes),
        "Certificate" | "ClusterIssuer" => Field::Kind(Change::Certificates),
        "NetworkPolicy" | "ClusterPolicy" | "Policy" => Field::Kind(Change::Policies),
        "PodDisruptionBudget" => Field::Kind(Change::DisruptionBudget),
        "AnalysisTemplate" => Field::Kind(Change::Delivery),
        "ServiceAccount" => Field::Kind(Change::ServiceAccount),
        "Namespace" => Field::Kind(Change::Namespace),
        "ServiceMonitor" | "PodMonitor" => Field::Kind(Change::Metrics),
        "PrometheusRule" => Field::Kind(Change::Alerts),
        DASHBOARD => Field::Kind(Change::Dashboard),
        "ClusterSecretStore" => Field::Kind(Change::SecretStore),
        "ExternalSecret" if metadata => Field::Kind(Change::Labels),
        "ExternalSecret" => Field::SecretReferences,
        "ConfigMap" | "Secret" => match path {
            ["data" | "stringData" | "binaryData", key, ..] => Field::DataKey((*key).to_owned()),
            _ if metadata => Field::Kind(Change::Labels),
            _ => Field::Other,
        },
        "HorizontalPodAutoscaler" => match path {
            ["spec", "minReplicas" | "maxReplicas"] => Field::Kind(Change::Replicas),
            _ if metadata => Field::Kind(Change::Labels),
            _ => Field::Kind(Change::Autoscaling),
        },
        "Service" => match path {
            ["spec", "selector", "version"] => Field::ColourSelector,
            ["spec", "ports", ..] => Field::Kind(Change::Ports),
            ["spec", "selector", ..] => Field::Kind(Change::Labels),
            _ if metadata => Field::Kind(Change::Labels),
            _ => Field::Other,
        },
        _ if WORKLOADS.contains(&kind) => workload_field(path),
        _ if metadata => Field::Kind(Change::Labels),
        _ => Field::Other,
    }
}

fn workload_field(path: &[&str]) -> Field {
    const VERSION: &str = "app.kubernetes.io/version";
    // Names the Secret the workload restarts on; it comes and goes with the secrets.
    const RELOAD_ANNOTATION: &str = "secret.reloader.stakater.com/reload";
    match path {
        ["metadata", "labels", VERSION]
        | ["spec", "template", "metadata", "labels", VERSION]
        | ["metadata", "annotations", RELOAD_ANNOTATION] => Field::Implied,
        [
            "spec",
            "template",
            "metadata",
            "labels",
            "fleetc.io/base-image" | "fleetc.io/base-version",
        ]
        | [
            "spec",
            "template",
            "metadata",
            "annotations",
            "fleetc.io/base-image-ref",
        ] => Field::BaseImage,
        ["metadata", ..] | ["spec", "template", "metadata", ..] | ["spec", "selector", ..] => {
            Field::Kind(Change::Labels)
        }
        ["spec", "replicas"] => Field::Kind(Change::Replicas),
        [
            "spec",
            "strategy"
            | "minReadySeconds"
            | "revisionHistoryLimit"
            | "progressDeadlineSeconds"
            | "paused",
            ..,
        ] => Field::Kind(Change::Delivery),
        ["spec", "template", "spec", rest @ ..] => pod_field(rest),
        _ => Field::Other,
    }
}

fn pod_field(path: &[&str]) -> Field {
    match path {
        ["containers", index, rest @ ..] => {
            let Ok(index) = index.parse::<usize>() else {
                return Field::Other;
            };
            match rest {
                ["image"] => Field::Image(index),
                ["resources", ..] => Field::Kind(Change::Resources),
                ["env" | "envFrom", ..] => Field::Variables(index),
                ["livenessProbe" | "readinessProbe" | "startupProbe", ..] => {
                    Field::Kind(Change::Probes)
                }
                ["ports", ..] => Field::Kind(Change::Ports),
                ["securityContext", ..] => Field::Kind(Change::Security),
                ["volumeMounts", ..] => Field::Kind(Change::Volumes),
                _ => Field::Other,
            }
        }
        ["securityContext" | "automountServiceAccountToken", ..] => Field::Kind(Change::Security),
        ["volumes", ..] => Field::Kind(Change::Volumes),
        ["serviceAccountName"] => Field::Kind(Change::ServiceAccount),
        _ => Field::Other,
    }
}

/// The kind of change an object that appears or goes is, other than a workload.
pub fn object_change(kind: &str) -> Option<Change> {
    Some(match kind {
        "Service" | "Ingress" => Change::Routes,
        "Certificate" | "ClusterIssuer" => Change::Certificates,
        "HorizontalPodAutoscaler" => Change::Autoscaling,
        "NetworkPolicy" | "ClusterPolicy" | "Policy" => Change::Policies,
        "PodDisruptionBudget" => Change::DisruptionBudget,
        "AnalysisTemplate" => Change::Delivery,
        "ServiceAccount" => Change::ServiceAccount,
        "Namespace" => Change::Namespace,
        "ServiceMonitor" | "PodMonitor" => Change::Metrics,
        "PrometheusRule" => Change::Alerts,
        DASHBOARD => Change::Dashboard,
        "ClusterSecretStore" => Change::SecretStore,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(object: &str, path: &str) -> Field {
        field(object, &path.split('.').collect::<Vec<_>>())
    }

    #[test]
    fn workload_fields_are_named() {
        let pod = "spec.template.spec.containers.0";
        assert_eq!(kind("Deployment", &format!("{pod}.image")), Field::Image(0));
        assert_eq!(
            kind("Rollout", &format!("{pod}.env.3.value")),
            Field::Variables(0)
        );
        for (path, change) in [
            (format!("{pod}.resources.limits.cpu"), Change::Resources),
            (format!("{pod}.readinessProbe.httpGet.path"), Change::Probes),
            (format!("{pod}.ports.0.containerPort"), Change::Ports),
            (
                format!("{pod}.securityContext.runAsNonRoot"),
                Change::Security,
            ),
            (format!("{pod}.volumeMounts.0.name"), Change::Volumes),
            ("spec.replicas".into(), Change::Replicas),
            (
                "spec.strategy.canary.steps.0.setWeight".into(),
                Change::Delivery,
            ),
            ("spec.template.metadata.labels.team".into(), Change::Labels),
            ("metadata.annotations.note".into(), Change::Labels),
            ("spec.template.spec.volumes.0".into(), Change::Volumes),
        ] {
            assert_eq!(kind("Deployment", &path), Field::Kind(change), "{path}");
        }
        let labels = ["spec", "template", "metadata", "labels"];
        assert_eq!(
            field(
                "Deployment",
                &[&labels[..], &["fleetc.io/base-version"]].concat()
            ),
            Field::BaseImage
        );
        assert_eq!(
            field(
                "Deployment",
                &[&labels[..], &["app.kubernetes.io/version"]].concat()
            ),
            Field::Implied
        );
    }

    #[test]
    fn other_objects_are_named_by_kind() {
        assert_eq!(
            kind("HorizontalPodAutoscaler", "spec.maxReplicas"),
            Field::Kind(Change::Replicas)
        );
        assert_eq!(
            kind("HorizontalPodAutoscaler", "spec.metrics.0.resource"),
            Field::Kind(Change::Autoscaling)
        );
        assert_eq!(
            kind("Service", "spec.ports.0.port"),
            Field::Kind(Change::Ports)
        );
        assert_eq!(
            kind("Service", "spec.selector.version"),
            Field::ColourSelector
        );
        assert_eq!(
            kind("Ingress", "metadata.annotations.x"),
            Field::Kind(Change::Routes)
        );
        assert_eq!(
            kind("Certificate", "spec.dnsNames.1"),
            Field::Kind(Change::Certificates)
        );
        assert_eq!(
            kind("ClusterIssuer", "spec.acme.solvers.0.dns01"),
            Field::Kind(Change::Certificates)
        );
        assert_eq!(object_change("ClusterIssuer"), Some(Change::Certificates));
        assert_eq!(
            kind("ClusterPolicy", "spec.rules.0"),
            Field::Kind(Change::Policies)
        );
        assert_eq!(
            kind("PodDisruptionBudget", "spec.minAvailable"),
            Field::Kind(Change::DisruptionBudget)
        );
        assert_eq!(
            kind("ConfigMap", "data.LOG_LEVEL"),
            Field::DataKey("LOG_LEVEL".into())
        );
        assert_eq!(
            kind("Deployment", "spec.template.spec.hostNetwork"),
            Field::Other
        );
        assert_eq!(
            kind("ExternalSecret", "spec.data.0.remoteRef.key"),
            Field::SecretReferences
        );
        assert_eq!(
            kind("ExternalSecret", "spec.refreshInterval"),
            Field::SecretReferences
        );
        assert_eq!(
            kind("ClusterSecretStore", "spec.provider.aws.region"),
            Field::Kind(Change::SecretStore)
        );
        assert_eq!(
            field(
                "Deployment",
                &[
                    "metadata",
                    "annotations",
                    "secret.reloader.stakater.com/reload"
                ]
            ),
            Field::Implied
        );
    }

    #[test]
    fn monitoring_objects_are_named_by_what_they_watch() {
        assert_eq!(
            kind("ServiceMonitor", "spec.endpoints.0.path"),
            Field::Kind(Change::Metrics)
        );
        assert_eq!(
            kind("PrometheusRule", "spec.groups.0.rules.1.expr"),
            Field::Kind(Change::Alerts)
        );
        let dashboard = rule_kind("ConfigMap", "users-dashboard");
        assert_eq!(
            kind(dashboard, "data.users-prod.json"),
            Field::Kind(Change::Dashboard)
        );
        assert_eq!(rule_kind("ConfigMap", "users-settings"), "ConfigMap");
        assert_eq!(object_change("PrometheusRule"), Some(Change::Alerts));
    }
}
