/// The certificate of an environment's hosts: one cert-manager Certificate covering the live
/// and the preview host, whose Secret both Ingresses name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateModel {
    /// The Certificate, in the environment's namespace.
    pub name: String,
    /// The Secret the Certificate writes and the Ingresses read.
    pub secret_name: String,
    /// The live host, then the preview host.
    pub dns_names: Vec<String>,
    /// The ClusterIssuer that signs it.
    pub issuer: String,
    /// The ClusterIssuer fleetc writes, when the spec describes one rather than naming it.
    pub acme: Option<AcmeIssuer>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcmeIssuer {
    pub server: String,
    pub email: String,
    /// The account key's Secret, in cert-manager's own namespace.
    pub private_key_secret: String,
    pub solver: AcmeSolver,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AcmeSolver {
    /// Answered by a solver pod behind a temporary Ingress of this class.
    Http01 { ingress_class: String },
    Route53 {
        region: Option<String>,
        hosted_zone_id: Option<String>,
        role: Option<String>,
        access_key_secret: Option<String>,
    },
    Cloudflare {
        api_token_secret: String,
        api_token_key: String,
    },
}
