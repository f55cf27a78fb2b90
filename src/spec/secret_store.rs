//! Where an environment's secrets live. The spec names the store and, per service, which
//! entry of it each variable reads; the values stay in the store and never reach the spec
//! or the tree.

use schemars::JsonSchema;
use serde::Deserialize;

/// The secret store of one environment: exactly one provider, and how often External
/// Secrets reads the values again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"refresh": "1h", "aws": {"region": "eu-west-1"}}))]
pub struct SecretStore {
    /// How often the values are read again from the store (a Go duration, default `1h`); a
    /// rotated value reaches the Kubernetes Secret within this time.
    #[serde(default)]
    #[schemars(example = &"15m")]
    pub refresh: Option<String>,
    /// AWS Secrets Manager or Parameter Store.
    #[serde(default)]
    pub aws: Option<AwsStore>,
    /// HashiCorp Vault's KV engine, with Kubernetes authentication.
    #[serde(default)]
    pub vault: Option<VaultStore>,
    /// Google Cloud Secret Manager.
    #[serde(default)]
    pub gcp: Option<GcpStore>,
    /// Azure Key Vault.
    #[serde(default)]
    pub azure: Option<AzureStore>,
}

/// AWS: the External Secrets controller's own identity (IRSA, Pod Identity), optionally
/// assuming `role`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"region": "eu-west-1", "role": "arn:aws:iam::123456789012:role/external-secrets"}))]
pub struct AwsStore {
    /// AWS region of the store.
    #[schemars(example = &"eu-west-1")]
    pub region: String,
    /// IAM role ARN to assume.
    #[serde(default)]
    pub role: Option<String>,
    /// Which store holds the entries: `secrets-manager` (default) or `parameter-store`.
    #[serde(default)]
    pub service: AwsService,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AwsService {
    #[default]
    SecretsManager,
    ParameterStore,
}

/// Vault: the KV engine mounted at `path`, read with the Kubernetes auth method.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"server": "https://vault.example.internal:8200", "role": "external-secrets"}))]
pub struct VaultStore {
    /// Address of the Vault server.
    #[schemars(example = &"https://vault.example.internal:8200")]
    pub server: String,
    /// Mount path of the KV engine (default `secret`).
    #[serde(default)]
    pub path: Option<String>,
    /// KV engine version (default `v2`).
    #[serde(default)]
    pub version: VaultKv,
    /// Vault Enterprise namespace.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Vault role the controller's service account is bound to.
    #[schemars(example = &"external-secrets")]
    pub role: String,
    /// Mount path of the Kubernetes auth method (default `kubernetes`).
    #[serde(default)]
    pub auth_path: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum VaultKv {
    V1,
    #[default]
    V2,
}

/// Google Cloud: the controller's Workload Identity.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"project": "acme-prod"}))]
pub struct GcpStore {
    /// Project ID of the Secret Manager.
    #[schemars(example = &"acme-prod")]
    pub project: String,
    /// Region of regional secrets.
    #[serde(default)]
    pub location: Option<String>,
}

/// Azure Key Vault: Workload Identity through `service_account` (`namespace/name`), or the
/// node's managed identity (`identity_id` picks one of several).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"vault_url": "https://acme-prod.vault.azure.net", "tenant_id": "00000000-0000-0000-0000-000000000000"}))]
pub struct AzureStore {
    /// URL of the key vault.
    #[schemars(example = &"https://acme-prod.vault.azure.net")]
    pub vault_url: String,
    /// Azure tenant (directory) ID of the key vault.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Workload Identity: the service account, `namespace/name`, federated with Azure.
    #[serde(default)]
    #[schemars(example = &"external-secrets/external-secrets")]
    pub service_account: Option<String>,
    /// Managed identity: the client id of the identity to use.
    #[serde(default)]
    pub identity_id: Option<String>,
}

/// One provider's name, as the spec writes its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider<'a> {
    Aws(&'a AwsStore),
    Vault(&'a VaultStore),
    Gcp(&'a GcpStore),
    Azure(&'a AzureStore),
}

impl SecretStore {
    /// This store (a cluster's) over `below` (its environment's), key by key as every cluster
    /// setting inherits: `refresh`, and the provider. The provider is one key, whichever of
    /// `aws`, `vault`, `gcp` or `azure` names it: its table is the address and identity of one
    /// store, so a cluster naming a provider names a whole store, and mixes none of the
    /// environment's settings into it.
    #[must_use]
    pub fn over(&self, below: Option<&Self>) -> Self {
        let Some(below) = below else {
            return self.clone();
        };
        let provider = if self.providers().is_empty() {
            below
        } else {
            self
        };
        Self {
            refresh: self.refresh.clone().or_else(|| below.refresh.clone()),
            aws: provider.aws.clone(),
            vault: provider.vault.clone(),
            gcp: provider.gcp.clone(),
            azure: provider.azure.clone(),
        }
    }

    /// The providers the store names; a valid store names exactly one.
    pub fn providers(&self) -> Vec<Provider<'_>> {
        let mut found = Vec::new();
        found.extend(self.aws.as_ref().map(Provider::Aws));
        found.extend(self.vault.as_ref().map(Provider::Vault));
        found.extend(self.gcp.as_ref().map(Provider::Gcp));
        found.extend(self.azure.as_ref().map(Provider::Azure));
        found
    }
}

impl Provider<'_> {
    pub fn key(self) -> &'static str {
        match self {
            Self::Aws(_) => "aws",
            Self::Vault(_) => "vault",
            Self::Gcp(_) => "gcp",
            Self::Azure(_) => "azure",
        }
    }
}

/// What a secret reference names in the store: an entry, and optionally one property of it
/// (`users/db#password`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretRef {
    pub key: String,
    pub property: Option<String>,
}

impl SecretRef {
    /// `key` or `key#property`; why it is not one, otherwise.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (key, property) = match text.split_once('#') {
            Some((key, property)) => (key, Some(property)),
            None => (text, None),
        };
        if key.is_empty() {
            return Err("the entry before `#` is empty".to_owned());
        }
        if let Some(problem) = part_problem(key) {
            return Err(format!("the entry {problem}"));
        }
        if let Some(property) = property {
            if property.is_empty() {
                return Err("the property after `#` is empty".to_owned());
            }
            if property.contains('#') {
                return Err("it has more than one `#`".to_owned());
            }
            if let Some(problem) = part_problem(property) {
                return Err(format!("the property {problem}"));
            }
        }
        Ok(Self {
            key: key.to_owned(),
            property: property.map(str::to_owned),
        })
    }
}

/// Store entry names across providers: letters, digits and `/_+=.@-`, no leading or
/// trailing `/`, at most 512 characters.
fn part_problem(part: &str) -> Option<&'static str> {
    if part.len() > 512 {
        return Some("is longer than 512 characters");
    }
    if !part
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c))
    {
        return Some("holds characters other than letters, digits and `/_+=.@-`");
    }
    if part.starts_with('/') || part.ends_with('/') || part.contains("//") {
        return Some("has an empty path segment");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::SecretRef;

    #[test]
    fn a_reference_names_an_entry_and_maybe_a_property() {
        assert_eq!(
            SecretRef::parse("users/db#password"),
            Ok(SecretRef {
                key: "users/db".into(),
                property: Some("password".into())
            })
        );
        assert_eq!(SecretRef::parse("stripe-key").map(|r| r.property), Ok(None));
    }

    #[test]
    fn references_that_do_not_parse_say_why() {
        for bad in [
            "",
            "#password",
            "users/db#",
            "a#b#c",
            "users db",
            "/users",
            "users//db",
            "p\u{e4}ss",
        ] {
            assert!(SecretRef::parse(bad).is_err(), "{bad:?}");
        }
    }
}
