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
    /// Node image (OS patch level) per environment.
    #[serde(default)]
    pub node_image: Option<PerEnv<String>>,
}

/// A module pinned by tag for every environment, or with per-environment tags and a commit.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ModulePin {
    Tag(String),
    /// `version` (required), optional `commit`, and environment names mapped to tags.
    Detailed(IndexMap<String, String>),
}
