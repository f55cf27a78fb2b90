use schemars::JsonSchema;
use serde::Deserialize;

/// Where the certificate of an environment's hosts (live and preview) comes from: cert-manager,
/// through a ClusterIssuer the cluster already has (`issuer`) or one fleetc writes (`acme`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"issuer": "letsencrypt-prod"}))]
pub struct Certificates {
    /// Name of an existing cert-manager ClusterIssuer.
    #[serde(default)]
    #[schemars(example = &"letsencrypt-prod")]
    pub issuer: Option<String>,
    /// An ACME ClusterIssuer fleetc writes for this environment.
    #[serde(default)]
    pub acme: Option<Acme>,
}

/// An ACME account (Let's Encrypt or another ACME server) and how it proves the hosts are ours.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Acme {
    /// The ACME directory URL.
    #[serde(default)]
    #[schemars(example = &"https://acme-v02.api.letsencrypt.org/directory")]
    pub server: Option<String>,
    /// The account's contact address (expiry notices).
    #[serde(default)]
    #[schemars(example = &"platform@example.com")]
    pub email: Option<String>,
    /// Secret (in cert-manager's namespace) holding the account's private key; defaults to
    /// `<enterprise>-<environment>-acme-account`.
    #[serde(default)]
    pub private_key_secret: Option<String>,
    /// How the ACME server's challenge is answered; HTTP-01 through the estate's ingress
    /// class when absent.
    #[serde(default)]
    pub solver: Option<Solver>,
}

/// Exactly one challenge solver.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"http01": {}}))]
pub struct Solver {
    /// HTTP-01 through the estate's ingress class.
    #[serde(default)]
    pub http01: Option<Http01>,
    /// DNS-01 in an AWS Route53 hosted zone.
    #[serde(default)]
    pub route53: Option<Route53>,
    /// DNS-01 in a Cloudflare zone.
    #[serde(default)]
    pub cloudflare: Option<Cloudflare>,
}

/// HTTP-01 has nothing to set: it answers through the estate's `ingress_class`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Http01 {}

/// DNS-01 through Route53. Without `access_key_secret`, cert-manager uses its ambient
/// credentials (IRSA or the node's role), optionally assuming `role`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Route53 {
    /// AWS region of the Route53 API cert-manager calls.
    #[serde(default)]
    #[schemars(example = &"eu-west-1")]
    pub region: Option<String>,
    /// ID of the hosted zone that holds the hosts' records.
    #[serde(default)]
    #[schemars(example = &"Z0123456789ABCDEFGHIJ")]
    pub hosted_zone_id: Option<String>,
    /// IAM role to assume.
    #[serde(default)]
    #[schemars(example = &"arn:aws:iam::123456789012:role/cert-manager")]
    pub role: Option<String>,
    /// Secret (in cert-manager's namespace) with the keys `access-key-id` and
    /// `secret-access-key`.
    #[serde(default)]
    pub access_key_secret: Option<String>,
}

/// DNS-01 through Cloudflare, with an API token (never an API key).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cloudflare {
    /// Secret (in cert-manager's namespace) holding the API token.
    #[schemars(example = &"cloudflare-api-token")]
    pub api_token_secret: String,
    /// Key of the token in that Secret.
    #[serde(default = "default_api_token_key")]
    pub api_token_key: String,
}

fn default_api_token_key() -> String {
    "api-token".to_owned()
}
