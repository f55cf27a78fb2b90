use schemars::JsonSchema;
use serde::Deserialize;

use super::PerEnv;

/// OpenTelemetry settings applied to every workload.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observability {
    /// OTLP endpoint traces and metrics are sent to.
    pub otlp_endpoint: String,
    /// Parent-based trace sampling ratio, for every environment or per environment.
    #[serde(default)]
    pub sample_ratio: Option<PerEnv<f64>>,
}
