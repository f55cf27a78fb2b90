use indexmap::IndexMap;

use super::{PortModel, ResolvedProbes};

/// A container of the pod besides the service's own: a native sidecar, or an init container.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraContainerModel {
    pub name: String,
    /// Runs for the life of the pod (`restartPolicy: Always`) rather than to completion.
    pub sidecar: bool,
    /// `repository:tag[@digest]` of an image of its own; none for the service's own image, at
    /// the version each workload runs.
    pub image: Option<String>,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    pub env: IndexMap<String, String>,
    /// Variables it reads from the service's Secret, before `env`.
    pub secrets: Vec<String>,
    pub cpu: String,
    pub memory: String,
    pub cpu_limit: Option<String>,
    /// None where the spec says `memory_limit = false`.
    pub memory_limit: Option<String>,
    pub ports: Vec<PortModel>,
    pub probes: ResolvedProbes,
}

impl ExtraContainerModel {
    /// Whether the image is pinned by digest, so a node never needs to pull it again.
    pub fn pinned(&self) -> bool {
        self.image.as_ref().is_some_and(|image| image.contains('@'))
    }
}
