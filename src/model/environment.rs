use super::WindowKind;

#[derive(Debug, Clone, PartialEq)]
pub struct EnvironmentModel {
    pub name: String,
    pub cluster: String,
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
}

#[derive(Debug, Clone, PartialEq)]
pub struct SyncWindowModel {
    pub kind: WindowKind,
    pub schedule: String,
    pub duration: String,
    pub manual_sync: bool,
    pub timezone: Option<String>,
}
