use schemars::JsonSchema;
use serde::Deserialize;

/// A team that owns services.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"owners": ["@acme/identity"]}))]
pub struct Team {
    /// GitHub teams or users (`@org/team`, `@user`) that own the team's services.
    pub owners: Vec<String>,
    /// Free text for readers of the spec; nothing is generated from it.
    #[serde(default)]
    pub description: Option<String>,
}
