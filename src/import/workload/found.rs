//! What an import reads of a service in one place, and what it leaves over.

use indexmap::IndexMap;
use serde_json::Value;

/// What a spec says of a service in one place.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Found {
    pub name: String,
    /// The team its labels name (`team`, `owner`, `app.kubernetes.io/team`).
    pub team: Option<String>,
    /// `deployment`, `worker`, `statefulset`, `cronjob` or `job`.
    pub kind: &'static str,
    /// The image repository and the tag (`tag` or `tag@sha256:…`).
    pub image: String,
    pub version: String,
    pub replicas: Option<i64>,
    pub resources: Quantities,
    pub port: Option<i64>,
    /// The named ports, when the container's are not the one HTTP port.
    pub ports: Vec<Port>,
    /// The port metrics are served on, from a port named `metrics`.
    pub metrics_port: Option<i64>,
    pub env: IndexMap<String, String>,
    /// Variable → `secret#key`, from `secretKeyRef`s.
    pub secrets: IndexMap<String, String>,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    pub schedule: Option<String>,
    pub timezone: Option<String>,
    pub route: Option<String>,
    /// The host the route was served on.
    pub route_host: Option<String>,
    pub autoscaling: Option<(i64, i64, Option<i64>)>,
    pub depends_on: Vec<String>,
    /// Each probe of the container (`liveness`, `readiness`, `startup`) the spec can say, as
    /// its inline table; a kind the container has no probe of is absent.
    pub probes: Vec<(&'static str, String)>,
    /// Whether the container had probes the spec cannot say (they are left over).
    pub probes_left: bool,
    /// The cloud identity of the pods' ServiceAccount: its key in `identity` and the value.
    pub identity: Option<(&'static str, String)>,
    /// The ServiceAccount the identity was read from.
    pub account: Option<String>,
    /// A PodDisruptionBudget of the pods: `min_available` or `max_unavailable`, and the value.
    pub disruption: Option<(&'static str, Value)>,
    /// Scratch volumes of the pod, mounted in the service's container.
    pub volumes: Vec<Scratch>,
    /// A StatefulSet's claimed volumes.
    pub storage: Vec<Claimed>,
    /// Configuration files of the service's container: its path → its text.
    pub config_files: IndexMap<String, String>,
    /// The ConfigMaps those files were read from.
    pub config_maps: Vec<String>,
    /// The pod's other containers the spec can say.
    pub sidecars: Vec<Sidecar>,
    /// The containers that run to completion before the service's own, in order.
    pub init_containers: Vec<Sidecar>,
    /// The fields of the place's objects the spec cannot say yet, by object and path.
    pub left_over: Vec<LeftOver>,
}

/// A field of an object the spec does not say: it goes to the service's escape hatch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LeftOver {
    /// `Kind/name` of the object.
    pub object: String,
    /// The field's path in the object (`spec.template.spec.volumes`), empty for a whole object.
    pub field: String,
}

pub(super) const WORKLOADS: [&str; 4] = ["Deployment", "StatefulSet", "CronJob", "Job"];

pub(crate) fn kind_of(object: &Value) -> &str {
    object["kind"].as_str().unwrap_or_default()
}

pub(super) fn name_of(object: &Value) -> &str {
    object["metadata"]["name"].as_str().unwrap_or_default()
}

pub(crate) fn object_name(object: &Value) -> String {
    format!("{}/{}", kind_of(object), name_of(object))
}

/// The pod template of a workload, and where it lies.
pub(super) fn pod_path(kind: &str) -> &'static [&'static str] {
    match kind {
        "CronJob" => &["spec", "jobTemplate", "spec", "template"],
        _ => &["spec", "template"],
    }
}

/// An `emptyDir` volume mounted in the service's container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scratch {
    pub name: String,
    pub path: String,
    pub size: Option<String>,
    pub memory: bool,
}

/// A volume each pod of a StatefulSet claims, mounted in the service's container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Claimed {
    pub name: String,
    pub path: String,
    pub size: String,
    pub class: Option<String>,
}

/// Another container of the pod, beside the service's for the life of the pod.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Sidecar {
    pub name: String,
    pub image: String,
    pub version: String,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    pub env: IndexMap<String, String>,
    pub resources: Quantities,
}

/// A container's requests and limits of CPU and memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Quantities {
    pub cpu: Option<String>,
    pub memory: Option<String>,
    pub cpu_limit: Option<String>,
    pub memory_limit: Option<String>,
}

impl Quantities {
    /// The spec's `resources` table of them, the keys given only.
    pub(crate) fn table(&self) -> IndexMap<String, String> {
        [
            ("cpu", &self.cpu),
            ("memory", &self.memory),
            ("cpu_limit", &self.cpu_limit),
            ("memory_limit", &self.memory_limit),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.clone().map(|value| (key.to_owned(), value)))
        .collect()
    }
}

/// One named port of the container, as the spec's `ports` says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Port {
    pub name: String,
    pub number: i64,
    /// `http`, `grpc`, `tcp` or `udp`.
    pub protocol: &'static str,
    /// The number the Service exposes it on, when not the container's.
    pub expose: Option<i64>,
}
