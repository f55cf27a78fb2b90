use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::PerEnv;

/// What every service inherits unless it sets its own, key by key and environment by
/// environment: a service setting `autoscaling.max.prod` keeps the default `max` of the others.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Container port (default 8080).
    #[serde(default)]
    #[schemars(example = 8080)]
    pub port: Option<i64>,
    /// Replicas, for every environment or per environment (default 1).
    #[serde(default)]
    pub replicas: Option<PerEnv<i64>>,
    /// Container resources (default: requests of 100m CPU and 128Mi memory).
    #[serde(default)]
    pub resources: Option<Resources>,
    /// Horizontal pod autoscaling.
    #[serde(default)]
    pub autoscaling: Option<Autoscaling>,
    /// HTTP probe paths.
    #[serde(default)]
    pub probes: Option<Probes>,
    /// Where services serve Prometheus metrics, or that they serve none.
    #[serde(default)]
    pub metrics: Option<super::Metrics>,
    /// Environment variables set on every container.
    #[serde(default)]
    pub env: IndexMap<String, String>,
    /// Where every service's pods run: node labels, tolerated taints, node affinity, priority and zone
    /// spreading.
    #[serde(default)]
    pub scheduling: Option<super::Scheduling>,
}

/// The requests a container gets when neither the service nor `[defaults]` sets one.
pub(crate) const DEFAULT_CPU: &str = "100m";
pub(crate) const DEFAULT_MEMORY: &str = "128Mi";

/// Container resources; requests, and optional limits (memory limit defaults to the request).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"cpu": "250m", "memory": "256Mi"}))]
pub struct Resources {
    /// CPU request (for example `250m`).
    #[serde(default)]
    pub cpu: Option<String>,
    /// Memory request (for example `256Mi`).
    #[serde(default)]
    pub memory: Option<String>,
    /// CPU limit (default: none).
    #[serde(default)]
    pub cpu_limit: Option<String>,
    /// Memory limit (default: the memory request), or `false` for none: the container may
    /// then use what the node has, and the cluster's policy names it as unlimited.
    #[serde(default)]
    pub memory_limit: Option<Limit>,
}

/// A limit: a quantity, or `false` for none.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Limit {
    Quantity(String),
    /// `false`: no limit.
    Off(bool),
}

impl Limit {
    pub fn quantity(&self) -> Option<&String> {
        match self {
            Self::Quantity(quantity) => Some(quantity),
            Self::Off(_) => None,
        }
    }
}

impl Resources {
    /// `self` with every field it leaves unset taken from `fallback`.
    #[must_use]
    pub fn or(&self, fallback: &Self) -> Self {
        Self {
            cpu: self.cpu.clone().or_else(|| fallback.cpu.clone()),
            memory: self.memory.clone().or_else(|| fallback.memory.clone()),
            cpu_limit: self
                .cpu_limit
                .clone()
                .or_else(|| fallback.cpu_limit.clone()),
            memory_limit: self
                .memory_limit
                .clone()
                .or_else(|| fallback.memory_limit.clone()),
        }
    }
}

/// Horizontal pod autoscaling on CPU; the replicas of an environment are its minimum.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"max": 6, "cpu": 75}))]
pub struct Autoscaling {
    /// Whether a `HorizontalPodAutoscaler` manages replicas (default true).
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Maximum replicas, for every environment or per environment (default 3 × replicas).
    #[serde(default)]
    pub max: Option<PerEnv<i64>>,
    /// Target average CPU utilization in percent (default 75).
    #[serde(default)]
    pub cpu: Option<i64>,
}

/// The service's probes, each an HTTP path, a table saying what it checks, or `false` for
/// none. Left out, a probe follows the service's first port that can be probed: HTTP paths
/// (`/healthz`, `/ready`), the gRPC health service, or a TCP connection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"liveness": "/healthz", "readiness": {"grpc": "grpc", "period": 10}}))]
pub struct Probes {
    /// Whether the container is alive: the kubelet restarts it when this fails.
    #[serde(default)]
    pub liveness: Option<super::ProbeSetting>,
    /// Whether the container takes traffic: its Service sends none while this fails.
    #[serde(default)]
    pub readiness: Option<super::ProbeSetting>,
    /// For slow starters: the other probes wait until this passes.
    #[serde(default)]
    pub startup: Option<super::ProbeSetting>,
}

impl Probes {
    #[must_use]
    pub fn or(&self, fallback: &Self) -> Self {
        Self {
            liveness: self.liveness.clone().or_else(|| fallback.liveness.clone()),
            readiness: self
                .readiness
                .clone()
                .or_else(|| fallback.readiness.clone()),
            startup: self.startup.clone().or_else(|| fallback.startup.clone()),
        }
    }
}
