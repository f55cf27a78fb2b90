use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{Autoscaling, Resources, SecretStore};

/// One cluster of an environment: the environment's services run in each of its clusters,
/// rolled out wave by wave.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"server": "https://prod-us.k8s.example.internal", "region": "us-east-1", "domain": "us.api.example.com", "wave": 1}))]
pub struct Cluster {
    /// API server URL of the cluster, as registered in Argo CD.
    #[schemars(example = &"https://prod-us.k8s.example.internal")]
    pub server: String,
    /// Cloud region the cluster runs in.
    #[serde(default)]
    #[schemars(example = &"us-east-1")]
    pub region: Option<String>,
    /// DNS domain the cluster's Ingress serves (default: the environment's `domain`).
    #[serde(default)]
    #[schemars(example = &"us.api.example.com")]
    pub domain: Option<String>,
    /// Host for preview (idle colour) traffic (default: `preview.<domain>`).
    #[serde(default)]
    pub preview_domain: Option<String>,
    /// Rollout wave: clusters roll out in ascending wave, those of one wave together
    /// (default 0, the first).
    #[serde(default)]
    #[schemars(example = 1)]
    pub wave: Option<i64>,
    /// Node image (OS patch level) of this cluster, over the environment's
    /// `[terraform] node_image`.
    #[serde(default)]
    pub node_image: Option<String>,
    /// Where the services of this cluster read their secrets from, over the environment's
    /// store key by key: `refresh`, and the provider (a cluster naming one names a whole
    /// store; one naming none reads the environment's).
    #[serde(default)]
    pub secret_store: Option<SecretStore>,
    /// Settings of every service in this cluster, above `[defaults]` and below what a
    /// service sets itself.
    #[serde(default)]
    pub overrides: Option<ClusterDefaults>,
    /// The availability zones of the cluster's nodes, over the environment's `zones`: a
    /// workload of more than one pod spreads across them.
    #[serde(default)]
    #[schemars(example = ["us-east-1a", "us-east-1b"])]
    pub zones: Option<Vec<String>>,
}

/// What every service in one cluster inherits unless the service sets its own.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"replicas": 1}))]
pub struct ClusterDefaults {
    /// Replicas of every service in the cluster (the minimum, where autoscaling is on).
    #[serde(default)]
    pub replicas: Option<i64>,
    /// Container resources of every service in the cluster.
    #[serde(default)]
    pub resources: Option<Resources>,
    /// Autoscaling of every service in the cluster.
    #[serde(default)]
    pub autoscaling: Option<Autoscaling>,
    /// Environment variables set on every container in the cluster.
    #[serde(default)]
    pub env: IndexMap<String, String>,
    /// Where every service's pods run in the cluster: node labels, tolerated taints, node affinity, priority and zone
    /// spreading, over `[defaults]` key by key.
    #[serde(default)]
    pub scheduling: Option<super::Scheduling>,
}

/// Settings of one service in one cluster, over its environment's override key by key.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"replicas": 6}))]
pub struct ClusterOverride {
    /// Replicas of the service in this cluster (the minimum, where autoscaling is on).
    #[serde(default)]
    pub replicas: Option<i64>,
    /// Container resources of the service in this cluster.
    #[serde(default)]
    pub resources: Option<Resources>,
    /// Autoscaling of the service in this cluster.
    #[serde(default)]
    pub autoscaling: Option<Autoscaling>,
    /// Environment variables of the container in this cluster, variable by variable.
    #[serde(default)]
    pub env: IndexMap<String, String>,
    /// Secret references in this cluster, variable by variable.
    #[serde(default)]
    pub secrets: IndexMap<String, String>,
    /// The cloud identity the pods act as in this cluster, instead of the environment's.
    #[serde(default)]
    pub identity: Option<super::Identity>,
    /// Kubernetes objects of the service's own in this cluster, from YAML files beside the
    /// spec, copied into its overlay.
    #[serde(default)]
    pub manifests: Vec<String>,
    /// Another file beside the spec for a configuration file the service mounts, in this
    /// cluster: a path of the service's `config_files` → a file.
    #[serde(default)]
    pub config_files: IndexMap<String, String>,
    /// Patches of the service's objects in this cluster, from files beside the spec, applied
    /// after the environment's.
    #[serde(default)]
    pub patches: Vec<super::PatchFile>,
    /// Where the pods run: node labels, tolerated taints, node affinity, priority and zone
    /// spreading, in this cluster, key by key.
    #[serde(default)]
    pub scheduling: Option<super::Scheduling>,
}

impl Cluster {
    /// The wave the cluster rolls out in.
    pub fn wave_or_first(&self) -> u32 {
        self.wave
            .and_then(|wave| u32::try_from(wave).ok())
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::Cluster;

    fn cluster(toml: &str) -> Cluster {
        toml::from_str(&format!("server = \"https://x.example\"\n{toml}")).unwrap()
    }

    #[test]
    fn a_cluster_without_a_wave_rolls_out_in_the_first() {
        assert_eq!(cluster("").wave_or_first(), 0);
        assert_eq!(cluster("wave = 2").wave_or_first(), 2);
    }
}
