use schemars::JsonSchema;
use serde::Deserialize;

/// The shared CI workflow template and the waves in which new versions of it roll out.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ci {
    /// `owner/repo/path/to/workflow.yml` of the reusable workflow.
    pub template: String,
    /// Version every service uses unless a wave names it.
    pub version: String,
    /// Services that move to a newer template version first.
    #[serde(default)]
    pub waves: Vec<CiWave>,
}

/// Services that use a template version other than the default, ahead of the others.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"version": "v3.0.0", "services": ["users"]}))]
pub struct CiWave {
    /// Template version the wave's services use (`vMAJOR.MINOR.PATCH`).
    pub version: String,
    /// The services in the wave; a service is in one wave at most.
    pub services: Vec<String>,
}
