//! Every name fleetc generates from spec names. Emitters build names through these entries
//! and validation derives the longest spec name each entry allows, so a limit is written once.

use super::Generated::{
    WithConfigFiles, WithMetrics, WithPreview, WithoutClusters, WithoutNamespace,
};
use super::NameRule::{
    Dns1035Label, Dns1123Label, Dns1123Subdomain, KyvernoPolicy, KyvernoRule, LabelValue,
};
use super::Part::{Fixed, Hash, OneOf, Spec};
use super::SpecName::{
    BaseImage, BaseVersion, Cluster, Enterprise, Environment, Namespace, Service, Team,
};
use super::{Generated, NamePattern, Part};

const fn pattern(kind: &'static str, parts: &'static [Part], rule: super::NameRule) -> NamePattern {
    NamePattern {
        kind,
        parts,
        rule,
        when: Generated::Always,
    }
}

/// The policies fleetc writes per environment, `<enterprise>-<env>-<policy>`.
pub(crate) const POLICY_NAMES: &[&str] = &[
    "restrict-registry",
    "require-image-tag",
    "require-workload-hygiene",
    "pod-security",
    "require-image-digest",
    "deny-blocked-base-images",
    "require-argocd-managed",
    "secrets-by-reference",
];

pub(crate) const COLOURS: &[&str] = &["blue", "green"];

pub(crate) const INGRESS: NamePattern = pattern("Ingress", &[Spec(Enterprise)], Dns1123Subdomain);
pub(crate) const PREVIEW_INGRESS: NamePattern = pattern(
    "Ingress",
    &[Spec(Enterprise), Fixed("-preview")],
    Dns1123Subdomain,
);
/// The Ingress of an environment's gRPC routes, and of their preview.
pub(crate) const GRPC_INGRESS: NamePattern = pattern(
    "Ingress",
    &[Spec(Enterprise), OneOf(&["-grpc", "-grpc-preview"])],
    Dns1123Subdomain,
);
/// The TLS Secret of an Ingress, named after it.
pub(crate) const TLS_SECRET: NamePattern = pattern(
    "Secret",
    &[Spec(Enterprise), OneOf(&["", "-preview"]), Fixed("-tls")],
    Dns1123Subdomain,
);
/// The cert-manager Certificate of an environment's hosts; its Secret is [`TLS_SECRET`]
/// without `-preview`, the one name both Ingresses read.
pub(crate) const CERTIFICATE: NamePattern =
    pattern("Certificate", &[Spec(Enterprise)], Dns1123Subdomain);
/// The ACME ClusterIssuer fleetc writes for an environment: cluster-scoped, so named after the
/// environment, and environments sharing a cluster never write the same one.
pub(crate) const CLUSTER_ISSUER: NamePattern = pattern(
    "ClusterIssuer",
    &[
        Spec(Enterprise),
        Fixed("-"),
        Spec(Environment),
        Fixed("-acme"),
    ],
    Dns1123Subdomain,
);
/// The Secret holding an ACME account's private key, in cert-manager's namespace.
pub(crate) const ACME_ACCOUNT_SECRET: NamePattern = pattern(
    "Secret",
    &[
        Spec(Enterprise),
        Fixed("-"),
        Spec(Environment),
        Fixed("-acme-account"),
    ],
    Dns1123Subdomain,
);
pub(crate) const ROOT_APPLICATION: NamePattern = pattern(
    "Argo CD Application",
    &[Spec(Enterprise), Fixed("-root")],
    Dns1123Label,
);
pub(crate) const DEFAULT_NAMESPACE: NamePattern = pattern(
    "Namespace",
    &[Spec(Enterprise), Fixed("-"), Spec(Environment)],
    Dns1123Label,
)
.only(WithoutNamespace);
pub(crate) const NAMESPACE: NamePattern = pattern("Namespace", &[Spec(Namespace)], Dns1123Label);
/// The AppProject and the ApplicationSet of an environment.
pub(crate) const PROJECT: NamePattern = pattern(
    "AppProject",
    &[Spec(Enterprise), Fixed("-"), Spec(Environment)],
    Dns1123Subdomain,
);
pub(crate) const ENVIRONMENT_APPLICATION: NamePattern = pattern(
    "Argo CD Application",
    &[
        Spec(Enterprise),
        Fixed("-"),
        Spec(Environment),
        Fixed("-platform"),
    ],
    Dns1123Label,
)
.only(WithoutClusters);
pub(crate) const POLICY: NamePattern = pattern(
    "Kyverno ClusterPolicy",
    &[
        Spec(Enterprise),
        Fixed("-"),
        Spec(Environment),
        Fixed("-"),
        OneOf(POLICY_NAMES),
    ],
    KyvernoPolicy,
);
pub(crate) const BLOCKED_BASE_RULE: NamePattern = pattern(
    "Kyverno rule",
    &[Fixed("deny-blocked-"), Spec(BaseImage)],
    KyvernoRule,
);
pub(crate) const SERVICE: NamePattern = pattern("Service", &[Spec(Service)], Dns1035Label);
pub(crate) const PREVIEW_SERVICE: NamePattern =
    pattern("Service", &[Spec(Service), Fixed("-preview")], Dns1035Label).only(WithPreview);
/// The ServiceAccount, PodDisruptionBudget, NetworkPolicy and Rollout of a service.
pub(crate) const SERVICE_OBJECT: NamePattern =
    pattern("ServiceAccount", &[Spec(Service)], Dns1123Subdomain);
pub(crate) const CONTAINER: NamePattern = pattern("container", &[Spec(Service)], Dns1123Label);
/// The Deployment and HorizontalPodAutoscaler of one colour.
pub(crate) const COLOUR_DEPLOYMENT: NamePattern = pattern(
    "Deployment",
    &[Spec(Service), Fixed("-"), OneOf(COLOURS)],
    Dns1123Subdomain,
);
pub(crate) const ANALYSIS_TEMPLATE: NamePattern = pattern(
    "AnalysisTemplate",
    &[Spec(Service), Fixed("-analysis")],
    Dns1123Subdomain,
);
/// The Service every pod of a service is scraped through, whatever its colour or revision.
pub(crate) const METRICS_SERVICE: NamePattern =
    pattern("Service", &[Spec(Service), Fixed("-metrics")], Dns1035Label).only(WithMetrics);
/// The ServiceMonitor of a service.
pub(crate) const SERVICE_MONITOR: NamePattern =
    pattern("ServiceMonitor", &[Spec(Service)], Dns1123Subdomain).only(WithMetrics);
/// The alert rules of a service in one environment.
pub(crate) const ALERT_RULES: NamePattern = pattern(
    "PrometheusRule",
    &[Spec(Service), Fixed("-slo")],
    Dns1123Subdomain,
)
.only(WithMetrics);
/// The ConfigMap holding a service's Grafana dashboard.
pub(crate) const DASHBOARD: NamePattern = pattern(
    "ConfigMap",
    &[Spec(Service), Fixed("-dashboard")],
    Dns1123Subdomain,
)
.only(WithMetrics);
/// How many hexadecimal digits of a hash a name carries: ten, as Kustomize's generators do.
pub(crate) const HASH_LEN: usize = 10;
/// The volume of the service's Secret its secret files are mounted from.
pub(crate) const SECRET_FILES_VOLUME: &str = "secret-files";
/// The volume of the ConfigMap its configuration files are mounted from.
pub(crate) const CONFIG_FILES_VOLUME: &str = "config-files";

/// The ConfigMap of a service's configuration files in one place, named after a hash of them.
pub(crate) const CONFIG_FILES: NamePattern = pattern(
    "ConfigMap",
    &[Spec(Service), Fixed("-config-"), Hash(HASH_LEN)],
    Dns1123Subdomain,
)
.only(WithConfigFiles);
/// The ConfigMap holding an environment's overview dashboard.
pub(crate) const OVERVIEW_DASHBOARD: NamePattern = pattern(
    "ConfigMap",
    &[Spec(Enterprise), Fixed("-overview-dashboard")],
    Dns1123Subdomain,
);
/// The ClusterSecretStore of an environment.
pub(crate) const CLUSTER_SECRET_STORE: NamePattern = pattern(
    "ClusterSecretStore",
    &[Spec(Enterprise), Fixed("-"), Spec(Environment)],
    Dns1123Subdomain,
);
/// The ExternalSecret of a service in an environment, and the Secret it writes.
pub(crate) const SERVICE_SECRET: NamePattern = pattern(
    "ExternalSecret",
    &[Spec(Service), Fixed("-secrets")],
    Dns1123Subdomain,
);
pub(crate) const SERVICE_APPLICATION: NamePattern = pattern(
    "Argo CD Application",
    &[Spec(Service), Fixed("-"), Spec(Environment)],
    Dns1123Label,
)
.only(WithoutClusters);
/// The Application of a service in one cluster of an environment that lists clusters.
pub(crate) const CLUSTER_SERVICE_APPLICATION: NamePattern = pattern(
    "Argo CD Application",
    &[
        Spec(Service),
        Fixed("-"),
        Spec(Environment),
        Fixed("-"),
        Spec(Cluster),
    ],
    Dns1123Label,
);
/// The Application of the shared objects of one cluster of an environment.
pub(crate) const CLUSTER_PLATFORM_APPLICATION: NamePattern = pattern(
    "Argo CD Application",
    &[
        Spec(Enterprise),
        Fixed("-"),
        Spec(Environment),
        Fixed("-"),
        Spec(Cluster),
        Fixed("-platform"),
    ],
    Dns1123Label,
);
pub(crate) const CLUSTER_LABEL: NamePattern =
    pattern("label fleetc.io/cluster", &[Spec(Cluster)], LabelValue);
pub(crate) const PART_OF_LABEL: NamePattern = pattern(
    "label app.kubernetes.io/part-of",
    &[Spec(Enterprise)],
    LabelValue,
);
pub(crate) const ENVIRONMENT_LABEL: NamePattern = pattern(
    "label fleetc.io/environment",
    &[Spec(Environment)],
    LabelValue,
);
pub(crate) const SERVICE_LABEL: NamePattern =
    pattern("label app.kubernetes.io/name", &[Spec(Service)], LabelValue);
pub(crate) const TEAM_LABEL: NamePattern =
    pattern("label fleetc.io/team", &[Spec(Team)], LabelValue);
pub(crate) const BASE_IMAGE_LABEL: NamePattern =
    pattern("label fleetc.io/base-image", &[Spec(BaseImage)], LabelValue);
pub(crate) const BASE_VERSION_LABEL: NamePattern = pattern(
    "label fleetc.io/base-version",
    &[Spec(BaseVersion)],
    LabelValue,
);

pub(crate) const ALL: &[NamePattern] = &[
    INGRESS,
    PREVIEW_INGRESS,
    GRPC_INGRESS,
    TLS_SECRET,
    CERTIFICATE,
    CLUSTER_ISSUER,
    ACME_ACCOUNT_SECRET,
    ROOT_APPLICATION,
    DEFAULT_NAMESPACE,
    NAMESPACE,
    PROJECT,
    ENVIRONMENT_APPLICATION,
    POLICY,
    BLOCKED_BASE_RULE,
    SERVICE,
    PREVIEW_SERVICE,
    SERVICE_OBJECT,
    CONTAINER,
    COLOUR_DEPLOYMENT,
    ANALYSIS_TEMPLATE,
    METRICS_SERVICE,
    SERVICE_MONITOR,
    ALERT_RULES,
    DASHBOARD,
    OVERVIEW_DASHBOARD,
    CLUSTER_SECRET_STORE,
    SERVICE_SECRET,
    SERVICE_APPLICATION,
    CLUSTER_SERVICE_APPLICATION,
    CLUSTER_PLATFORM_APPLICATION,
    CLUSTER_LABEL,
    PART_OF_LABEL,
    ENVIRONMENT_LABEL,
    SERVICE_LABEL,
    TEAM_LABEL,
    BASE_IMAGE_LABEL,
    BASE_VERSION_LABEL,
];

#[cfg(test)]
mod tests {
    use super::{ALL, COLOUR_DEPLOYMENT, POLICY, SERVICE_APPLICATION};

    #[test]
    fn names_join_their_parts_in_order() {
        assert_eq!(
            POLICY.build(&["acme", "prod", "restrict-registry"]),
            "acme-prod-restrict-registry"
        );
        assert_eq!(COLOUR_DEPLOYMENT.build(&["users", "green"]), "users-green");
        assert_eq!(SERVICE_APPLICATION.build(&["users", "dev"]), "users-dev");
    }

    #[test]
    fn every_pattern_leaves_room_for_its_spec_names() {
        for pattern in ALL {
            let spec_names = pattern.spec_names().count();
            assert!(spec_names > 0, "{}", pattern.kind);
            assert!(
                pattern.fixed_len() + spec_names <= pattern.rule.max_len(),
                "{}",
                pattern.kind
            );
        }
    }
}
