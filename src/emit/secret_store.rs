//! The ClusterSecretStore of an environment (`envs/<env>/secret-store.yaml`): how External
//! Secrets reaches the environment's store. Only the environment's namespace may use it, so
//! environments sharing a cluster never read each other's secrets. It names where the
//! values live and how the controller authenticates; no credential is ever written.

use serde_json::{Map, Value, json};

use crate::model::{EnvironmentModel, Model};
use crate::spec::{AwsService, Provider, VaultKv};

pub(super) const FILE: &str = "secret-store.yaml";

pub(super) fn cluster_secret_store(model: &Model, env: &EnvironmentModel) -> Option<Value> {
    let store = env.secret_store.as_ref()?;
    let provider = store.settings.providers().into_iter().next()?;
    Some(json!({
        "apiVersion": "external-secrets.io/v1",
        "kind": "ClusterSecretStore",
        "metadata": {
            "name": store.name,
            "labels": {
                "app.kubernetes.io/part-of": model.enterprise.name,
                "app.kubernetes.io/managed-by": "fleetc",
                "fleetc.io/environment": env.name,
            },
        },
        "spec": {
            "conditions": [{ "namespaces": [env.namespace] }],
            "provider": provider_settings(provider),
        },
    }))
}

/// The provider block, in External Secrets' field names. Each leaves authentication to the
/// controller's own identity where the provider allows it (IRSA, Workload Identity, the
/// Kubernetes auth method), so no credential needs a place in Git.
fn provider_settings(provider: Provider<'_>) -> Value {
    match provider {
        Provider::Aws(aws) => {
            let mut settings = Map::new();
            let service = match aws.service {
                AwsService::SecretsManager => "SecretsManager",
                AwsService::ParameterStore => "ParameterStore",
            };
            settings.insert("service".into(), json!(service));
            settings.insert("region".into(), json!(aws.region));
            if let Some(role) = &aws.role {
                settings.insert("role".into(), json!(role));
            }
            json!({ "aws": settings })
        }
        Provider::Vault(vault) => {
            let mut settings = Map::new();
            settings.insert("server".into(), json!(vault.server));
            settings.insert(
                "path".into(),
                json!(vault.path.as_deref().unwrap_or("secret")),
            );
            let version = match vault.version {
                VaultKv::V1 => "v1",
                VaultKv::V2 => "v2",
            };
            settings.insert("version".into(), json!(version));
            if let Some(namespace) = &vault.namespace {
                settings.insert("namespace".into(), json!(namespace));
            }
            settings.insert(
                "auth".into(),
                json!({
                    "kubernetes": {
                        "mountPath": vault.auth_path.as_deref().unwrap_or("kubernetes"),
                        "role": vault.role,
                    },
                }),
            );
            json!({ "vault": settings })
        }
        Provider::Gcp(gcp) => {
            let mut settings = Map::new();
            settings.insert("projectID".into(), json!(gcp.project));
            if let Some(location) = &gcp.location {
                settings.insert("location".into(), json!(location));
            }
            json!({ "gcpsm": settings })
        }
        Provider::Azure(azure) => {
            let mut settings = Map::new();
            settings.insert("vaultUrl".into(), json!(azure.vault_url));
            if let Some(tenant) = &azure.tenant_id {
                settings.insert("tenantId".into(), json!(tenant));
            }
            if let Some((namespace, name)) = azure
                .service_account
                .as_deref()
                .and_then(|sa| sa.split_once('/'))
            {
                settings.insert("authType".into(), json!("WorkloadIdentity"));
                settings.insert(
                    "serviceAccountRef".into(),
                    json!({ "name": name, "namespace": namespace }),
                );
            } else {
                settings.insert("authType".into(), json!("ManagedIdentity"));
                if let Some(identity) = &azure.identity_id {
                    settings.insert("identityId".into(), json!(identity));
                }
            }
            json!({ "azurekv": settings })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::provider_settings;
    use crate::spec::SecretStore;

    fn provider(toml: &str) -> serde_json::Value {
        let store: SecretStore = toml::from_str(toml).unwrap();
        provider_settings(store.providers()[0])
    }

    #[test]
    fn each_provider_is_written_in_external_secrets_words() {
        assert_eq!(
            provider("aws = { region = \"eu-west-1\" }"),
            serde_json::json!({ "aws": { "service": "SecretsManager", "region": "eu-west-1" } })
        );
        assert_eq!(
            provider("vault = { server = \"https://v:8200\", role = \"eso\" }")["vault"]["auth"],
            serde_json::json!({ "kubernetes": { "mountPath": "kubernetes", "role": "eso" } })
        );
        assert_eq!(
            provider("gcp = { project = \"p\" }"),
            serde_json::json!({ "gcpsm": { "projectID": "p" } })
        );
        let azure = provider(
            "azure = { vault_url = \"https://k.vault.azure.net\", service_account = \"eso/eso\" }",
        );
        assert_eq!(azure["azurekv"]["authType"], "WorkloadIdentity");
        assert_eq!(
            azure["azurekv"]["serviceAccountRef"],
            serde_json::json!({ "name": "eso", "namespace": "eso" })
        );
        assert_eq!(
            provider("azure = { vault_url = \"https://k.vault.azure.net\" }")["azurekv"]["authType"],
            "ManagedIdentity"
        );
    }
}
