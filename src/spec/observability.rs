use schemars::JsonSchema;
use serde::Deserialize;

use super::PerEnv;

/// OpenTelemetry settings applied to every workload.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observability {
    /// OTLP endpoint traces and metrics are sent to.
    #[schemars(example = &"http://otel-collector.observability:4317")]
    pub otlp_endpoint: String,
    /// OTLP protocol: `grpc` (default) or `http/protobuf`.
    #[serde(default)]
    pub protocol: Option<OtlpProtocol>,
    /// Parent-based trace sampling ratio, for every environment or per environment.
    #[serde(default)]
    pub sample_ratio: Option<PerEnv<f64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum OtlpProtocol {
    #[serde(rename = "grpc")]
    Grpc,
    #[serde(rename = "http/protobuf")]
    HttpProtobuf,
}

impl OtlpProtocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Grpc => "grpc",
            Self::HttpProtobuf => "http/protobuf",
        }
    }
}
