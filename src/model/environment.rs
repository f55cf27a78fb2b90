use super::WindowKind;

#[derive(Debug, Clone, PartialEq)]
pub struct EnvironmentModel {
    pub name: String,
    /// The clusters the environment deploys to, in declaration order: one unnamed cluster
    /// when the spec lists none.
    pub clusters: Vec<super::ClusterModel>,
    pub domain: String,
    pub preview_domain: String,
    pub namespace: String,
    /// Argo CD `AppProject` the environment's Applications belong to.
    pub project: String,
    pub auto_sync: bool,
    pub production: bool,
    pub require_digest: bool,
    pub approvers: Vec<String>,
    pub sync_windows: Vec<SyncWindowModel>,
    /// Where the services of the environment read their secrets from.
    pub secret_store: Option<super::SecretStoreModel>,
    /// The cert-manager certificate of the environment's hosts, when the spec names an issuer.
    pub certificate: Option<super::CertificateModel>,
    /// The Pod Security Standard the environment enforces.
    pub pod_security: super::PodSecurityLevel,
    /// The services allowed more there, by `[[security_exceptions]]`.
    pub security_grants: Vec<super::SecurityGrant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SyncWindowModel {
    pub kind: WindowKind,
    pub schedule: String,
    pub duration: String,
    pub manual_sync: bool,
    pub timezone: Option<String>,
}

impl EnvironmentModel {
    /// The cluster named `name` (`None`: the environment's one unnamed cluster).
    pub fn cluster(&self, name: Option<&str>) -> Option<&super::ClusterModel> {
        self.clusters.iter().find(|c| c.name.as_deref() == name)
    }

    /// The environment as one of its clusters holds it: that cluster's hosts, secret store
    /// and certificate, and that cluster alone. The one cluster of an environment that lists
    /// none sees the environment itself.
    #[must_use]
    pub fn in_cluster(&self, cluster: &super::ClusterModel) -> Self {
        Self {
            clusters: vec![cluster.clone()],
            domain: cluster.domain.clone(),
            preview_domain: cluster.preview_domain.clone(),
            secret_store: cluster.secret_store.clone(),
            certificate: cluster.certificate.clone(),
            ..self.clone()
        }
    }

    /// Whether the environment lists clusters of its own (rather than being one cluster).
    pub fn lists_clusters(&self) -> bool {
        self.clusters.iter().any(|c| c.name.is_some())
    }
}
