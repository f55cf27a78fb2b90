use indexmap::IndexMap;

use crate::spec::{SecretRef, SecretStore};

/// An environment's secret store, as the ClusterSecretStore fleetc writes for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretStoreModel {
    /// Name of the ClusterSecretStore.
    pub name: String,
    /// How often External Secrets reads the values again.
    pub refresh: String,
    pub settings: SecretStore,
}

/// The variables one service reads from its environment's store, through one Kubernetes
/// Secret that an ExternalSecret keeps in step with the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentSecrets {
    /// The ClusterSecretStore the ExternalSecret reads from.
    pub store: String,
    pub refresh: String,
    /// Name of the ExternalSecret and of the Secret it writes.
    pub target: String,
    /// Variable → what it reads from the store; the Secret's key is the variable's name.
    pub variables: IndexMap<String, SecretRef>,
}
