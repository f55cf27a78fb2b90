//! The cloud identity of a service's pods in each place, and the trust each identity needs
//! from the Terraform of the place.

use indexmap::IndexMap;

use crate::model::{ClusterModel, EnvironmentModel, ModuleInput, PodIdentity, ServiceModel};
use crate::spec::{IdentityProvider, Service};

/// The identity of the service's pods in `env` (in its `cluster`, when it lists clusters).
pub(crate) fn pod_identity(
    service: &Service,
    env: &str,
    cluster: Option<&str>,
) -> Option<PodIdentity> {
    let (identity, _) = service.identity_at(env, cluster)?;
    let (provider, id) = identity.single()?;
    Some(PodIdentity {
        provider,
        id: id.to_owned(),
    })
}

/// The input of the identity module that holds the trust of `provider`'s identities.
pub(crate) fn trust_input(provider: IdentityProvider) -> &'static str {
    match provider {
        IdentityProvider::Aws => "aws_roles",
        IdentityProvider::Gcp => "gcp_service_accounts",
        IdentityProvider::Azure => "azure_identities",
    }
}

/// The trust the identities of one cluster of `env` need, one input per cloud that has some:
/// each identity, in the order services first act as it, with who may act as it.
pub(crate) fn trust_inputs(
    env: &EnvironmentModel,
    cluster: &ClusterModel,
    services: &[ServiceModel],
) -> Vec<(String, ModuleInput)> {
    let mut by_provider: IndexMap<IdentityProvider, IndexMap<&str, Vec<String>>> =
        IdentityProvider::ALL
            .into_iter()
            .map(|provider| (provider, IndexMap::new()))
            .collect();
    for service in services {
        let Some(deployment) = service.deployment_at(&env.name, cluster.name.as_deref()) else {
            continue;
        };
        let Some(identity) = &deployment.identity else {
            continue;
        };
        let trusted = identity.trusted(&deployment.namespace, &service.name);
        let entry = by_provider[&identity.provider]
            .entry(identity.id.as_str())
            .or_default();
        if !entry.contains(&trusted) {
            entry.push(trusted);
        }
    }
    by_provider
        .into_iter()
        .filter(|(_, identities)| !identities.is_empty())
        .map(|(provider, identities)| {
            let entries = identities
                .into_iter()
                .map(|(id, trusted)| (id.to_owned(), trusted))
                .collect();
            (trust_input(provider).to_owned(), ModuleInput::Map(entries))
        })
        .collect()
}
