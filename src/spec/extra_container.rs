use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{ContainerPort, Probes, Resources};

/// A container that runs to completion before the service's own starts (a schema migration,
/// waiting for a dependency, fetching configuration), in the order the spec lists them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"command": ["/app/migrate", "--wait"]}))]
pub struct InitContainer {
    /// The image's repository, in a registry the estate declares (default: the service's own
    /// image, at the version each environment runs).
    #[serde(default)]
    #[schemars(example = &"docker.io/library/busybox")]
    pub image: Option<String>,
    /// The tag of `image`, with its digest where an environment requires digests; required
    /// with `image`.
    #[serde(default)]
    #[schemars(example = &"1.36.1")]
    pub version: Option<String>,
    /// What the container runs instead of its image's entrypoint.
    #[serde(default)]
    pub command: Option<Vec<String>>,
    /// Arguments instead of its image's.
    #[serde(default)]
    pub args: Option<Vec<String>>,
    /// Its variables, by name.
    #[serde(default)]
    pub env: IndexMap<String, String>,
    /// Variables of the service's `secrets` it reads too, by name, from the service's Secret
    /// (a migration's database password); before its own `env`, so those may name them.
    #[serde(default)]
    #[schemars(example = ["DB_PASSWORD"])]
    pub secrets: Vec<String>,
    /// Its requests and limits (default: 100m CPU, 128Mi memory, limited to the request).
    #[serde(default)]
    pub resources: Option<Resources>,
}

/// A container that runs beside the service's own for the whole life of the pod (a proxy, a
/// log shipper, a flag daemon): a Kubernetes native sidecar, started before the service's
/// container and stopped after it, so a job's sidecar never keeps it from completing.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"image": "docker.io/envoyproxy/envoy", "version": "v1.31.2", "ports": {"admin": {"port": 9901}}}))]
pub struct Sidecar {
    /// The image's repository, in a registry the estate declares (default: the service's own
    /// image, at the version each environment runs).
    #[serde(default)]
    pub image: Option<String>,
    /// The tag of `image`, with its digest where an environment requires digests; required
    /// with `image`.
    #[serde(default)]
    pub version: Option<String>,
    /// What the container runs instead of its image's entrypoint.
    #[serde(default)]
    pub command: Option<Vec<String>>,
    /// Arguments instead of its image's.
    #[serde(default)]
    pub args: Option<Vec<String>>,
    /// Its variables, by name.
    #[serde(default)]
    pub env: IndexMap<String, String>,
    /// Variables of the service's `secrets` it reads too, by name, from the service's Secret
    /// (a migration's database password); before its own `env`, so those may name them.
    #[serde(default)]
    #[schemars(example = ["DB_PASSWORD"])]
    pub secrets: Vec<String>,
    /// Its requests and limits (default: 100m CPU, 128Mi memory, limited to the request).
    #[serde(default)]
    pub resources: Option<Resources>,
    /// The ports it listens on, by name: declared on its container, never exposed by the
    /// service's Service. A pod has one network, so no two containers share a number.
    #[serde(default)]
    pub ports: IndexMap<String, ContainerPort>,
    /// Its probes, checked only where given: an HTTP path, a table, or nothing.
    #[serde(default)]
    pub probes: Option<Probes>,
}
