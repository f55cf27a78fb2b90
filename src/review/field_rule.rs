//! Which kind of change a field of a rendered object belongs to, by the object's kind and
//! the field's path: the rules a reviewer applies when reading a manifest diff.

use super::AppChange;
use crate::model::EXCEPTIONS_ANNOTATION;
use crate::spec::IdentityProvider;

/// What a changed field means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Field {
    /// A kind of change that needs no detail from the documents.
    Kind(AppChange),
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
    /// The cloud identity a ServiceAccount's annotation names.
    Identity,
    /// The image (or pull policy) of the sidecar or init container at this index: a change
    /// of its own, unless it runs the service's image and so follows the release.
    InitImage(usize),
    /// The services a pod security policy lets run at more than its environment enforces.
    SecurityExceptions,
    /// Follows another change (the version label follows the image).
    Implied,
    /// No rule names it.
    Other,
}

pub(super) const WORKLOADS: &[&str] = &["Deployment", "Rollout", "StatefulSet", "CronJob", "Job"];

/// What the rules call a ConfigMap that holds a Grafana dashboard: fleetc names every one
/// `<…>-dashboard` (the name table's dashboard patterns), and its keys are no variables.
pub(super) const DASHBOARD: &str = "GrafanaDashboard";

/// What the rules call a ConfigMap that holds a service's configuration files: fleetc names
/// every one `<service>-config-<hash>` (the name table's configuration files pattern), and
/// its keys are files, not variables.
pub(super) const CONFIG_FILES: &str = "ConfigFiles";

/// The kind the rules read an object as.
pub(super) fn rule_kind<'a>(kind: &'a str, name: &str) -> &'a str {
    if kind == "ConfigMap" && name.ends_with("-dashboard") {
        DASHBOARD
    } else if kind == "ConfigMap" && is_config_files(name) {
        CONFIG_FILES
    } else {
        kind
    }
}

/// Whether a ConfigMap's name is one of configuration files: `-config-` and a hash.
fn is_config_files(name: &str) -> bool {
    let hash = crate::naming::table::HASH_LEN;
    name.len() > hash
        && name.is_char_boundary(name.len() - hash)
        && name[..name.len() - hash].ends_with("-config-")
        && name[name.len() - hash..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub(super) fn field(kind: &str, path: &[&str]) -> Field {
    let metadata = matches!(path, ["metadata", "labels" | "annotations", ..]);
    match kind {
        "Ingress" => Field::Kind(AppChange::Routes),
        "Certificate" | "ClusterIssuer" => Field::Kind(AppChange::Certificates),
        "ClusterPolicy" if path == ["metadata", "annotations", EXCEPTIONS_ANNOTATION] => {
            Field::SecurityExceptions
        }
        "NetworkPolicy" | "ClusterPolicy" | "Policy" => Field::Kind(AppChange::Policies),
        "PodDisruptionBudget" => Field::Kind(AppChange::DisruptionBudget),
        "AnalysisTemplate" => Field::Kind(AppChange::Delivery),
        "ServiceAccount" => match path {
            ["metadata", "annotations", annotation] if is_identity_annotation(annotation) => {
                Field::Identity
            }
            _ => Field::Kind(AppChange::ServiceAccount),
        },
        "Namespace" => Field::Kind(AppChange::Namespace),
        "ServiceMonitor" | "PodMonitor" => Field::Kind(AppChange::Metrics),
        "PrometheusRule" => Field::Kind(AppChange::Alerts),
        DASHBOARD => Field::Kind(AppChange::Dashboard),
        "ClusterSecretStore" => Field::Kind(AppChange::SecretStore),
        "ExternalSecret" if metadata => Field::Kind(AppChange::Labels),
        "ExternalSecret" => Field::SecretReferences,
        "ConfigMap" | "Secret" => match path {
            ["data" | "stringData" | "binaryData", key, ..] => Field::DataKey((*key).to_owned()),
            _ if metadata => Field::Kind(AppChange::Labels),
            _ => Field::Other,
        },
        "HorizontalPodAutoscaler" => match path {
            ["spec", "minReplicas" | "maxReplicas"] => Field::Kind(AppChange::Replicas),
            _ if metadata => Field::Kind(AppChange::Labels),
            _ => Field::Kind(AppChange::Autoscaling),
        },
        "Service" => match path {
            ["spec", "selector", "version"] => Field::ColourSelector,
            ["spec", "ports", ..] => Field::Kind(AppChange::Ports),
            ["spec", "selector", ..] => Field::Kind(AppChange::Labels),
            _ if metadata => Field::Kind(AppChange::Labels),
            _ => Field::Other,
        },
        "CronJob" => match path {
            // A CronJob's jobs are Jobs, read as one.
            ["spec", "jobTemplate", "spec", rest @ ..] => {
                field("Job", &[&["spec"][..], rest].concat())
            }
            ["spec", "schedule" | "timeZone" | "suspend"] => Field::Kind(AppChange::Schedule),
            [
                "spec",
                "concurrencyPolicy"
                | "startingDeadlineSeconds"
                | "successfulJobsHistoryLimit"
                | "failedJobsHistoryLimit",
            ] => Field::Kind(AppChange::Runs),
            _ => workload_field(path),
        },
        "Job" => match path {
            [
                "spec",
                "backoffLimit" | "activeDeadlineSeconds" | "completions" | "parallelism",
            ] => Field::Kind(AppChange::Runs),
            _ => workload_field(path),
        },
        "StatefulSet" => match path {
            ["spec", "volumeClaimTemplates", ..] => Field::Kind(AppChange::Storage),
            ["spec", "updateStrategy" | "podManagementPolicy", ..] => {
                Field::Kind(AppChange::Delivery)
            }
            _ => workload_field(path),
        },
        _ if WORKLOADS.contains(&kind) => workload_field(path),
        _ if metadata => Field::Kind(AppChange::Labels),
        _ => Field::Other,
    }
}

/// Whether a ServiceAccount's annotation names the cloud identity its pods act as.
fn is_identity_annotation(annotation: &str) -> bool {
    IdentityProvider::ALL
        .iter()
        .any(|provider| provider.annotation() == annotation)
}

fn workload_field(path: &[&str]) -> Field {
    const VERSION: &str = "app.kubernetes.io/version";
    // Names the Secret the workload restarts on; it comes and goes with the secrets.
    const RELOAD_ANNOTATION: &str = "secret.reloader.stakater.com/reload";
    // Lets Azure's webhook mutate the pods; it comes and goes with an Azure identity.
    const AZURE_POD_LABEL: &str = "azure.workload.identity/use";
    match path {
        ["metadata", "labels", VERSION]
        | [
            "spec",
            "template",
            "metadata",
            "labels",
            VERSION | AZURE_POD_LABEL,
        ]
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
            Field::Kind(AppChange::Labels)
        }
        ["spec", "replicas"] => Field::Kind(AppChange::Replicas),
        [
            "spec",
            "strategy"
            | "minReadySeconds"
            | "revisionHistoryLimit"
            | "progressDeadlineSeconds"
            | "paused",
            ..,
        ] => Field::Kind(AppChange::Delivery),
        ["spec", "template", "spec", rest @ ..] => pod_field(rest),
        _ => Field::Other,
    }
}

fn pod_field(path: &[&str]) -> Field {
    match path {
        ["initContainers", index, "image" | "imagePullPolicy"] => {
            index.parse().map_or(Field::Other, Field::InitImage)
        }
        ["initContainers", ..] => Field::Kind(AppChange::Containers),
        ["containers", index, rest @ ..] => {
            let Ok(index) = index.parse::<usize>() else {
                return Field::Other;
            };
            match rest {
                ["image"] => Field::Image(index),
                ["resources", ..] => Field::Kind(AppChange::Resources),
                ["imagePullPolicy"] => Field::Kind(AppChange::PullPolicy),
                ["env" | "envFrom", ..] => Field::Variables(index),
                ["livenessProbe" | "readinessProbe" | "startupProbe", ..] => {
                    Field::Kind(AppChange::Probes)
                }
                ["ports", ..] => Field::Kind(AppChange::Ports),
                ["securityContext", ..] => Field::Kind(AppChange::Security),
                ["volumeMounts", ..] => Field::Kind(AppChange::Volumes),
                _ => Field::Other,
            }
        }
        ["securityContext" | "automountServiceAccountToken", ..] => {
            Field::Kind(AppChange::Security)
        }
        // Names another ConfigMap only when the configuration files changed.
        ["volumes", _, "configMap", "name"] => Field::Implied,
        ["volumes", ..] => Field::Kind(AppChange::Volumes),
        ["serviceAccountName"] => Field::Kind(AppChange::ServiceAccount),
        [
            "nodeSelector"
            | "tolerations"
            | "affinity"
            | "priorityClassName"
            | "topologySpreadConstraints",
            ..,
        ] => Field::Kind(AppChange::Scheduling),
        _ => Field::Other,
    }
}

/// The kind of change an object that appears or goes is, other than a workload.
pub(super) fn object_change(kind: &str) -> Option<AppChange> {
    Some(match kind {
        "Service" | "Ingress" => AppChange::Routes,
        "Certificate" | "ClusterIssuer" => AppChange::Certificates,
        "HorizontalPodAutoscaler" => AppChange::Autoscaling,
        "NetworkPolicy" | "ClusterPolicy" | "Policy" => AppChange::Policies,
        "PodDisruptionBudget" => AppChange::DisruptionBudget,
        "AnalysisTemplate" => AppChange::Delivery,
        "ServiceAccount" => AppChange::ServiceAccount,
        "Namespace" => AppChange::Namespace,
        "ServiceMonitor" | "PodMonitor" => AppChange::Metrics,
        "PrometheusRule" => AppChange::Alerts,
        DASHBOARD => AppChange::Dashboard,
        "ClusterSecretStore" => AppChange::SecretStore,
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
            (format!("{pod}.resources.limits.cpu"), AppChange::Resources),
            (format!("{pod}.imagePullPolicy"), AppChange::PullPolicy),
            (
                "spec.template.spec.initContainers.0.command.1".into(),
                AppChange::Containers,
            ),
            (
                format!("{pod}.readinessProbe.httpGet.path"),
                AppChange::Probes,
            ),
            (format!("{pod}.ports.0.containerPort"), AppChange::Ports),
            (
                format!("{pod}.securityContext.runAsNonRoot"),
                AppChange::Security,
            ),
            (format!("{pod}.volumeMounts.0.name"), AppChange::Volumes),
            ("spec.replicas".into(), AppChange::Replicas),
            (
                "spec.strategy.canary.steps.0.setWeight".into(),
                AppChange::Delivery,
            ),
            (
                "spec.template.metadata.labels.team".into(),
                AppChange::Labels,
            ),
            ("metadata.annotations.note".into(), AppChange::Labels),
            ("spec.template.spec.volumes.0".into(), AppChange::Volumes),
            (
                "spec.template.spec.nodeSelector.pool".into(),
                AppChange::Scheduling,
            ),
            (
                "spec.template.spec.tolerations.0.key".into(),
                AppChange::Scheduling,
            ),
            (
                "spec.template.spec.affinity.nodeAffinity".into(),
                AppChange::Scheduling,
            ),
            (
                "spec.template.spec.priorityClassName".into(),
                AppChange::Scheduling,
            ),
            (
                "spec.template.spec.topologySpreadConstraints.0.whenUnsatisfiable".into(),
                AppChange::Scheduling,
            ),
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
            Field::Kind(AppChange::Replicas)
        );
        assert_eq!(
            kind("HorizontalPodAutoscaler", "spec.metrics.0.resource"),
            Field::Kind(AppChange::Autoscaling)
        );
        assert_eq!(
            kind("Service", "spec.ports.0.port"),
            Field::Kind(AppChange::Ports)
        );
        assert_eq!(
            kind("Service", "spec.selector.version"),
            Field::ColourSelector
        );
        assert_eq!(
            kind("Ingress", "metadata.annotations.x"),
            Field::Kind(AppChange::Routes)
        );
        assert_eq!(
            kind("Certificate", "spec.dnsNames.1"),
            Field::Kind(AppChange::Certificates)
        );
        assert_eq!(
            kind("ClusterIssuer", "spec.acme.solvers.0.dns01"),
            Field::Kind(AppChange::Certificates)
        );
        assert_eq!(
            object_change("ClusterIssuer"),
            Some(AppChange::Certificates)
        );
        assert_eq!(
            kind("ClusterPolicy", "spec.rules.0"),
            Field::Kind(AppChange::Policies)
        );
        assert_eq!(
            kind("PodDisruptionBudget", "spec.minAvailable"),
            Field::Kind(AppChange::DisruptionBudget)
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
            Field::Kind(AppChange::SecretStore)
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
    fn a_service_accounts_identity_annotation_is_its_identity() {
        let annotation = |key: &str| field("ServiceAccount", &["metadata", "annotations", key]);
        for key in [
            "eks.amazonaws.com/role-arn",
            "iam.gke.io/gcp-service-account",
            "azure.workload.identity/client-id",
        ] {
            assert_eq!(annotation(key), Field::Identity, "{key}");
        }
        assert_eq!(annotation("note"), Field::Kind(AppChange::ServiceAccount));
        let label = [
            "spec",
            "template",
            "metadata",
            "labels",
            "azure.workload.identity/use",
        ];
        assert_eq!(field("Deployment", &label), Field::Implied);
        let cron = [
            "spec",
            "jobTemplate",
            "spec",
            "template",
            "metadata",
            "labels",
            "azure.workload.identity/use",
        ];
        assert_eq!(field("CronJob", &cron), Field::Implied);
        let tolerations = [
            "spec",
            "jobTemplate",
            "spec",
            "template",
            "spec",
            "tolerations",
        ];
        assert_eq!(
            field("CronJob", &tolerations),
            Field::Kind(AppChange::Scheduling)
        );
    }

    #[test]
    fn monitoring_objects_are_named_by_what_they_watch() {
        assert_eq!(
            kind("ServiceMonitor", "spec.endpoints.0.path"),
            Field::Kind(AppChange::Metrics)
        );
        assert_eq!(
            kind("PrometheusRule", "spec.groups.0.rules.1.expr"),
            Field::Kind(AppChange::Alerts)
        );
        let dashboard = rule_kind("ConfigMap", "users-dashboard");
        assert_eq!(
            kind(dashboard, "data.users-prod.json"),
            Field::Kind(AppChange::Dashboard)
        );
        assert_eq!(rule_kind("ConfigMap", "users-settings"), "ConfigMap");
        assert_eq!(object_change("PrometheusRule"), Some(AppChange::Alerts));
    }

    #[test]
    fn a_config_map_of_configuration_files_is_told_by_its_hash_and_its_volume_follows_it() {
        assert_eq!(
            rule_kind("ConfigMap", "ledger-config-0c10b1b469"),
            CONFIG_FILES
        );
        for other in [
            "ledger-config",
            "ledger-config-0c10b1b46",
            "ledger-config-0C10B1B469",
            "ledger-settings-0c10b1b469",
            "ledger-config-0c10b1b46g",
        ] {
            assert_eq!(rule_kind("ConfigMap", other), "ConfigMap", "{other}");
        }
        assert_eq!(
            kind("Deployment", "spec.template.spec.volumes.1.configMap.name"),
            Field::Implied
        );
        assert_eq!(
            kind(
                "Deployment",
                "spec.template.spec.volumes.1.emptyDir.sizeLimit"
            ),
            Field::Kind(AppChange::Volumes)
        );
    }
}
