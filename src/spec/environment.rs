use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

/// One environment services are deployed to: a stage of the promotion order, running in one
/// cluster (`cluster`) or in several (`clusters`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// API server URL of the environment's one cluster, as registered in Argo CD (or
    /// `clusters`).
    #[serde(default)]
    #[schemars(example = &"https://prod.k8s.example.internal")]
    pub cluster: Option<String>,
    /// The clusters of the environment, by name, when it runs in more than one (or
    /// `cluster`).
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "examples": ["us"] }))]
    pub clusters: IndexMap<String, super::Cluster>,
    /// DNS domain the environment's Ingress serves (of every cluster that names none).
    #[schemars(example = &"api.example.com")]
    pub domain: String,
    /// Host for preview (idle colour) traffic; defaults to `preview.<domain>`.
    #[serde(default)]
    pub preview_domain: Option<String>,
    /// Namespace the services run in; defaults to `<enterprise>-<environment>`.
    #[serde(default)]
    pub namespace: Option<String>,
    /// `auto`: Argo CD syncs, prunes and self-heals; `manual`: a person syncs.
    #[serde(default)]
    pub sync: SyncMode,
    /// Whether this is a production environment (defaults to the last environment declared).
    #[serde(default)]
    pub production: Option<bool>,
    /// Images must be pinned by digest (`tag@sha256:…`).
    #[serde(default)]
    pub require_digest: bool,
    /// GitHub teams or users whose approval a change to this environment needs.
    #[serde(default)]
    #[schemars(example = ["@acme/sre"])]
    pub approvers: Vec<String>,
    /// Argo CD sync windows of the environment's project.
    #[serde(default)]
    pub sync_windows: Vec<SyncWindow>,
    /// Where the services' secrets are read from (`secrets` of a service).
    #[serde(default)]
    pub secret_store: Option<super::SecretStore>,
    /// Where the TLS certificate of the environment's hosts comes from (cert-manager).
    #[serde(default)]
    pub certificates: Option<super::Certificates>,
    /// The Pod Security Standard the environment enforces (`restricted`, the default,
    /// `baseline` or `privileged`); a service that needs more holds a `[[security_exceptions]]`.
    #[serde(default)]
    pub pod_security: super::PodSecurityLevel,
    /// The availability zones of the environment's nodes (of every cluster that names none):
    /// a workload of more than one pod spreads across them, and across nodes.
    #[serde(default)]
    #[schemars(example = ["eu-west-1a", "eu-west-1b", "eu-west-1c"])]
    pub zones: Vec<String>,
}

impl Environment {
    /// The environment's clusters by name: `None` alone for the one unnamed cluster of an
    /// environment that lists no `clusters`.
    pub fn cluster_slots(&self) -> Vec<Option<&str>> {
        super::Service::cluster_slots(self.clusters.keys().map(String::as_str))
    }

    /// The API servers the environment deploys to, each with the name of its cluster (none
    /// for the one cluster of an environment that lists no `clusters`).
    pub fn servers(&self) -> Vec<(Option<&str>, &str)> {
        self.cluster_slots()
            .into_iter()
            .filter_map(|slot| match slot {
                None => self.cluster.as_deref().map(|server| (None, server)),
                Some(name) => Some((Some(name), self.clusters[name].server.as_str())),
            })
            .collect()
    }

    /// The namespace services run in: the one the spec names, or `<enterprise>-<environment>`.
    pub fn namespace_or_default(&self, enterprise: &str, name: &str) -> String {
        self.namespace
            .clone()
            .unwrap_or_else(|| crate::naming::table::DEFAULT_NAMESPACE.build(&[enterprise, name]))
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SyncMode {
    #[default]
    Auto,
    Manual,
}

/// An Argo CD sync window.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"kind": "allow", "schedule": "0 9 * * 1-5", "duration": "8h", "timezone": "Europe/London"}))]
pub struct SyncWindow {
    /// `allow`: syncs happen only inside the environment's allow windows; `deny`: no sync
    /// happens while the window is open.
    pub kind: WindowKind,
    /// Cron schedule at which the window opens.
    #[schemars(example = &"0 9 * * 1-5")]
    pub schedule: String,
    /// How long the window stays open (for example `6h`).
    #[schemars(example = &"8h")]
    pub duration: String,
    /// Whether manual syncs are allowed while a deny window is active.
    #[serde(default)]
    pub manual_sync: bool,
    /// Time zone of the schedule (IANA name); UTC when absent.
    #[serde(default)]
    #[schemars(example = &"Europe/London")]
    pub timezone: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WindowKind {
    Allow,
    Deny,
}

#[cfg(test)]
mod tests {
    use super::Environment;

    fn environment(toml: &str) -> Environment {
        toml::from_str(&format!("domain = \"example.com\"\n{toml}")).unwrap()
    }

    #[test]
    fn an_environment_without_clusters_deploys_to_its_one_unnamed_cluster() {
        let env = environment("cluster = \"https://prod.example\"");
        assert_eq!(env.servers(), vec![(None, "https://prod.example")]);
    }

    #[test]
    fn an_environment_with_clusters_deploys_to_each_in_declaration_order() {
        let env = environment(
            "[clusters.us]\nserver = \"https://us.example\"\n[clusters.eu]\nserver = \"https://eu.example\"",
        );
        assert_eq!(
            env.servers(),
            vec![
                (Some("us"), "https://us.example"),
                (Some("eu"), "https://eu.example")
            ]
        );
    }
}

#[cfg(test)]
mod cluster_slot_tests {
    use super::Environment;

    fn environment(toml: &str) -> Environment {
        toml::from_str(&format!("domain = \"dev.example\"\n{toml}")).unwrap()
    }

    #[test]
    fn an_environment_without_clusters_is_one_unnamed_cluster() {
        let one = environment("cluster = \"https://k\"");
        assert_eq!(one.cluster_slots(), [None]);
        assert_eq!(one.servers(), [(None, "https://k")]);
        let two = environment(
            "[clusters.eu]\nserver = \"https://eu\"\n[clusters.us]\nserver = \"https://us\"",
        );
        assert_eq!(two.cluster_slots(), [Some("eu"), Some("us")]);
        assert_eq!(
            two.servers(),
            [(Some("eu"), "https://eu"), (Some("us"), "https://us")]
        );
    }
}
