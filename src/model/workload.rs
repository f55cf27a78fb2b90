use crate::spec::Concurrency;

/// How a `cronjob` or a `job` runs to completion, with Kubernetes' defaults made explicit
/// where fleetc writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunModel {
    /// For a `cronjob`: when, and in which time zone.
    pub schedule: Option<String>,
    pub timezone: Option<String>,
    pub concurrency: Concurrency,
    /// Seconds a run may take (`activeDeadlineSeconds`).
    pub deadline: Option<u64>,
    /// Retries of a failed pod (`backoffLimit`).
    pub retries: u32,
    /// Seconds a missed run may still start (`startingDeadlineSeconds`).
    pub start_within: Option<u64>,
    pub keep_succeeded: u32,
    pub keep_failed: u32,
}

/// A persistent volume each pod of a `statefulset` claims, mounted at `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageMount {
    pub name: String,
    pub path: String,
}

/// A scratch volume (emptyDir) of the pod, mounted in the service's container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScratchMount {
    pub name: String,
    pub path: String,
    pub size: Option<String>,
    pub memory: bool,
}

/// A persistent volume's claim in one environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageClaim {
    pub name: String,
    pub size: String,
    pub class: Option<String>,
}
