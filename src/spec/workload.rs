use schemars::JsonSchema;
use serde::Deserialize;

/// What a service runs as: the Kubernetes workload its pods belong to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WorkloadKind {
    /// A server behind a Service: blue/green colours or Argo Rollouts, probed, routable.
    #[default]
    Deployment,
    /// Long-running pods that serve nothing (a queue consumer, a load generator): no Service,
    /// no route, no probes unless given; rolls in place.
    Worker,
    /// Pods with a stable identity and their own persistent volumes, behind a headless
    /// Service, updated one at a time in order; rolls in place.
    StatefulSet,
    /// A job run on a schedule (`schedule`, `timezone`); rolls in place.
    CronJob,
    /// A job run once per version (a migration, a seed); a new version runs it again.
    Job,
}

impl WorkloadKind {
    pub const ALL: [Self; 5] = [
        Self::Deployment,
        Self::Worker,
        Self::StatefulSet,
        Self::CronJob,
        Self::Job,
    ];

    /// The name the spec writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deployment => "deployment",
            Self::Worker => "worker",
            Self::StatefulSet => "statefulset",
            Self::CronJob => "cronjob",
            Self::Job => "job",
        }
    }

    /// The Kubernetes kind of its workload object.
    pub fn object_kind(self) -> &'static str {
        match self {
            Self::Deployment | Self::Worker => "Deployment",
            Self::StatefulSet => "StatefulSet",
            Self::CronJob => "CronJob",
            Self::Job => "Job",
        }
    }

    /// Whether it takes connections: ports, a Service, routes and callers.
    pub fn serves(self) -> bool {
        matches!(self, Self::Deployment | Self::StatefulSet)
    }

    /// Whether a new version replaces the running one where it runs, with no second colour
    /// to switch traffic to: every kind but a Deployment, whose Service selects a colour.
    pub fn rolls_in_place(self) -> bool {
        self != Self::Deployment
    }

    /// Whether its pods run to completion rather than for ever.
    pub fn runs_to_completion(self) -> bool {
        matches!(self, Self::CronJob | Self::Job)
    }

    /// Where its object holds the pod template.
    pub fn pod_template_at(self) -> &'static [&'static str] {
        match self {
            Self::CronJob => &["spec", "jobTemplate", "spec", "template"],
            _ => &["spec", "template"],
        }
    }

    /// [`Self::pod_template_at`] as a JSON pointer.
    pub fn pod_template_pointer(self) -> String {
        self.pod_template_at()
            .iter()
            .fold(String::new(), |pointer, part| pointer + "/" + part)
    }

    /// Whether it runs a number of pods at once (`replicas`, autoscaling).
    pub fn has_replicas(self) -> bool {
        !self.runs_to_completion()
    }
}

/// How the pods of a `cronjob` or a `job` run to completion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"concurrency": "forbid", "deadline": "30m", "retries": 2}))]
pub struct RunSettings {
    /// For a `cronjob`: what happens when a run is due while the last one still runs:
    /// `forbid` (skip it, the default), `allow` (run both) or `replace` (stop the old one).
    #[serde(default)]
    pub concurrency: Option<Concurrency>,
    /// How long a run may take before it is stopped and counted failed (`30m`, `2h`; default:
    /// no limit).
    #[serde(default)]
    #[schemars(example = &"30m")]
    pub deadline: Option<String>,
    /// How often a failed pod is retried before the run fails (default 6, as Kubernetes).
    #[serde(default)]
    #[schemars(example = 2)]
    pub retries: Option<i64>,
    /// For a `cronjob`: how late a missed run may still start (`5m`; default: any time).
    #[serde(default)]
    #[schemars(example = &"5m")]
    pub start_within: Option<String>,
    /// For a `cronjob`: how many finished runs are kept to read, successful and failed
    /// (default 3 and 1).
    #[serde(default)]
    pub keep: Option<RunHistory>,
}

/// How many finished runs of a `cronjob` are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"succeeded": 3, "failed": 1}))]
pub struct RunHistory {
    #[serde(default)]
    pub succeeded: Option<i64>,
    #[serde(default)]
    pub failed: Option<i64>,
}

/// What a `cronjob` does when a run is due while the last still runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Concurrency {
    #[default]
    Forbid,
    Allow,
    Replace,
}

impl Concurrency {
    /// As Kubernetes writes `concurrencyPolicy`.
    pub fn policy(self) -> &'static str {
        match self {
            Self::Forbid => "Forbid",
            Self::Allow => "Allow",
            Self::Replace => "Replace",
        }
    }
}

/// A persistent volume of each pod of a `statefulset`, mounted at `path`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"path": "/data", "size": "10Gi"}))]
pub struct Storage {
    /// Where the volume is mounted in the container.
    #[schemars(example = &"/data")]
    pub path: String,
    /// The size each pod's volume is claimed with (a Kubernetes quantity, `10Gi`).
    #[schemars(example = &"10Gi")]
    pub size: String,
    /// The storage class (default: the cluster's default class).
    #[serde(default)]
    #[schemars(example = &"fast-ssd")]
    pub class: Option<String>,
}

/// A persistent volume's size and class in one environment, over the service's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"size": "100Gi"}))]
pub struct StorageOverride {
    #[serde(default)]
    pub size: Option<String>,
    #[serde(default)]
    pub class: Option<String>,
}

/// A scratch volume of the pod (an emptyDir): empty when the pod starts, gone when it ends.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"path": "/var/cache/app", "size": "1Gi"}))]
pub struct ScratchVolume {
    /// Where it is mounted in the service's container.
    #[schemars(example = &"/var/cache/app")]
    pub path: String,
    /// The most it may hold (a Kubernetes quantity): a pod past it is evicted.
    #[serde(default)]
    #[schemars(example = &"1Gi")]
    pub size: Option<String>,
    /// Held in memory (tmpfs) rather than on the node's disk; it counts against the
    /// container's memory limit.
    #[serde(default)]
    pub memory: bool,
}
