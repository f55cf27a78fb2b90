use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::PerEnv;

/// Terraform module pins per environment.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Terraform {
    /// Git source of the module repository (`git::https://…`).
    pub source: String,
    /// Module name to version tag, or `{ version, commit, <env> = tag }`.
    #[serde(default)]
    pub modules: IndexMap<String, ModulePin>,
    /// Node image (OS patch level) per environment, so patches roll dev → staging → prod and
    /// roll back by reverting a pin.
    #[serde(default)]
    pub node_image: Option<PerEnv<String>>,
    /// The module that takes the `node_image` input (default `eks`).
    #[serde(default = "default_node_image_module")]
    pub node_image_module: String,
    /// The module that takes the GitHub OIDC `subjects` input (default `github-oidc`); each
    /// service's repository may assume the environment's deploy role from these branches.
    #[serde(default = "default_oidc_module")]
    pub oidc_module: String,
    /// The branches of each service's repository that may assume the deploy role.
    #[serde(default = "default_oidc_branches")]
    pub oidc_branches: Vec<String>,
    /// The module that takes the trust of the cloud identities services act as (default
    /// `workload-identity`): per AWS role, Google service account and Azure client ID, the
    /// service accounts of the cluster allowed to act as it.
    #[serde(default = "default_identity_module")]
    pub identity_module: String,
}

fn default_node_image_module() -> String {
    "eks".to_owned()
}

fn default_oidc_module() -> String {
    "github-oidc".to_owned()
}

fn default_identity_module() -> String {
    "workload-identity".to_owned()
}

fn default_oidc_branches() -> Vec<String> {
    vec!["main".to_owned()]
}

/// A module pinned by tag for every environment, or with per-environment tags and a commit.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ModulePin {
    Tag(String),
    /// `version` (required), optional `commit`, and environment names mapped to `tag` or
    /// `tag@commit`.
    Detailed(IndexMap<String, String>),
}
