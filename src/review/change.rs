use serde::Serialize;

/// How one Application changed, as a reviewer would name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum AppChange {
    /// The Application appears or disappears.
    Added,
    Removed,
    /// A workload runs another image.
    Image {
        workload: String,
        from: String,
        to: String,
    },
    /// A workload runs a version built on another base image (the `fleetc.io/base-*` labels
    /// and annotation).
    BaseImage {
        workload: String,
        from: String,
        to: String,
    },
    /// Live traffic moves to the other colour.
    ColourSwitch {
        from: String,
        to: String,
    },
    /// A colour starts or stops running (a release starts or settles).
    Colour {
        workload: String,
        running: bool,
    },
    Replicas,
    /// The HorizontalPodAutoscaler's target, or autoscaling turned on or off.
    Autoscaling,
    Resources,
    /// When nodes pull the image (`imagePullPolicy`).
    PullPolicy,
    /// The pod's sidecars and init containers.
    Containers,
    /// Environment variables (and ConfigMap keys), by name.
    Variables {
        names: Vec<String>,
    },
    /// Where variables read from the secret store point (an ExternalSecret), by variable
    /// name: a reference changed, never a value, which the tree does not hold.
    Secrets {
        names: Vec<String>,
    },
    /// An environment's secret store: provider, its settings or who may use it.
    SecretStore,
    Probes,
    Ports,
    Routes,
    /// The certificate of the environment's hosts, or the issuer that signs it.
    Certificates,
    /// NetworkPolicies and Kyverno policies.
    Policies,
    /// Labels, annotations and selectors.
    Labels,
    /// How a new version rolls out: update strategy, canary steps, analysis.
    Delivery,
    DisruptionBudget,
    /// Security contexts and service account token mounting.
    Security,
    Volumes,
    /// Configuration files whose text changed, appeared or went, by their key in the
    /// ConfigMap (the file name of their path in the container).
    ConfigFiles {
        files: Vec<String>,
    },
    /// The persistent volumes a statefulset's pods claim.
    Storage,
    /// When a cron job runs: its schedule, time zone, or suspension.
    Schedule,
    /// Where pods run: node selector, tolerations, affinity, priority class, spreading.
    Scheduling,
    /// How a job's runs go: retries, deadlines, concurrency, history.
    Runs,
    ServiceAccount,
    /// The cloud identity the pods act as (their ServiceAccount's annotation), as
    /// `<provider> <identity>` or `none`.
    Identity {
        from: String,
        to: String,
    },
    /// A service let run at another Pod Security level than its environment enforces, by a
    /// `[[security_exceptions]]` entry: each level a policy grants, or `none`.
    SecurityException {
        service: String,
        from: String,
        to: String,
    },
    Namespace,
    /// Where and how Prometheus scrapes the service (its ServiceMonitor).
    Metrics,
    /// Alert rules: objectives, severity, routing labels, runbooks.
    Alerts,
    /// A Grafana dashboard.
    Dashboard,
    /// An object of the service's own, copied from a file beside the spec: added, removed or
    /// changed, whatever its kind.
    ExtraManifest {
        file: String,
        object: String,
    },
    /// Fields of a generated object that a patch from a file beside the spec sets.
    Patch {
        file: String,
        object: String,
        fields: Vec<String>,
    },
    /// What no rule above names: the object and the fields that differ.
    Configuration {
        object: String,
        fields: Vec<String>,
    },
}

impl AppChange {
    pub fn describe(&self) -> String {
        match self {
            Self::Added => "created".into(),
            Self::Removed => "deleted".into(),
            Self::Image { workload, from, to } => format!("image of {workload} {from} → {to}"),
            Self::BaseImage { workload, from, to } => {
                format!("base image of {workload} {from} → {to}")
            }
            Self::ColourSwitch { from, to } => format!("live colour {from} → {to}"),
            Self::Colour {
                workload,
                running: true,
            } => format!("{workload} starts"),
            Self::Colour {
                workload,
                running: false,
            } => format!("{workload} stops"),
            Self::Identity { from, to } => format!("identity {from} → {to}"),
            Self::SecurityException { service, from, to } => {
                format!("security exception {service} {from} → {to}")
            }
            Self::Variables { names } if names.is_empty() => "variables".into(),
            Self::Variables { names } => format!("variables {}", names.join(" ")),
            Self::Secrets { names } if names.is_empty() => "secrets".into(),
            Self::Secrets { names } => format!("secrets {}", names.join(" ")),
            Self::ConfigFiles { files } => format!("config files {}", files.join(" ")),
            Self::ExtraManifest { file, object } => format!("extra manifest {object} ({file})"),
            Self::Patch {
                file,
                object,
                fields,
            } => format!("patch {file}: {object} {}", fields.join(" ")),
            Self::Configuration { object, fields } => {
                format!("other: {object} {}", fields.join(" "))
            }
            other => other.kind().replace('-', " "),
        }
    }

    /// The name of the kind, as JSON writes it.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Image { .. } => "image",
            Self::BaseImage { .. } => "base-image",
            Self::ColourSwitch { .. } => "colour-switch",
            Self::Colour { .. } => "colour",
            Self::Replicas => "replicas",
            Self::Autoscaling => "autoscaling",
            Self::Resources => "resources",
            Self::PullPolicy => "pull-policy",
            Self::Containers => "containers",
            Self::Variables { .. } => "variables",
            Self::Secrets { .. } => "secrets",
            Self::SecretStore => "secret-store",
            Self::Probes => "probes",
            Self::Ports => "ports",
            Self::Routes => "routes",
            Self::Certificates => "certificates",
            Self::Policies => "policies",
            Self::Labels => "labels",
            Self::Delivery => "delivery",
            Self::DisruptionBudget => "disruption-budget",
            Self::Security => "security",
            Self::Volumes => "volumes",
            Self::ConfigFiles { .. } => "config-files",
            Self::Storage => "storage",
            Self::Schedule => "schedule",
            Self::Scheduling => "scheduling",
            Self::Runs => "runs",
            Self::ServiceAccount => "service-account",
            Self::Identity { .. } => "identity",
            Self::SecurityException { .. } => "security-exception",
            Self::Namespace => "namespace",
            Self::Metrics => "metrics",
            Self::Alerts => "alerts",
            Self::Dashboard => "dashboard",
            Self::ExtraManifest { .. } => "extra-manifest",
            Self::Patch { .. } => "patch",
            Self::Configuration { .. } => "configuration",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_named_as_json_names_it() {
        for change in [
            AppChange::Replicas,
            AppChange::DisruptionBudget,
            AppChange::ServiceAccount,
            AppChange::Variables { names: vec![] },
            AppChange::Secrets { names: vec![] },
            AppChange::SecretStore,
            AppChange::PullPolicy,
            AppChange::Containers,
            AppChange::ConfigFiles { files: vec![] },
            AppChange::Scheduling,
            AppChange::SecurityException {
                service: "s".into(),
                from: "none".into(),
                to: "baseline".into(),
            },
            AppChange::Identity {
                from: "none".into(),
                to: "aws arn:aws:iam::123456789012:role/r".into(),
            },
            AppChange::BaseImage {
                workload: "w".into(),
                from: "a".into(),
                to: "b".into(),
            },
        ] {
            let json = serde_json::to_value(&change).unwrap();
            assert_eq!(json["kind"], change.kind());
        }
        assert_eq!(AppChange::DisruptionBudget.describe(), "disruption budget");
        assert_eq!(AppChange::SecretStore.describe(), "secret store");
        assert_eq!(
            AppChange::Secrets {
                names: vec!["DB_PASSWORD".into()]
            }
            .describe(),
            "secrets DB_PASSWORD"
        );
    }
}
