use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::PerEnv;

/// Traces (OpenTelemetry, on when `otlp_endpoint` is set) and the estate's Prometheus,
/// Alertmanager and Grafana, which every service's metrics, alerts and dashboards reach.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observability {
    /// OTLP endpoint traces are sent to; without it, workloads get no OpenTelemetry settings.
    #[serde(default)]
    #[schemars(example = &"http://otel-collector.observability:4317")]
    pub otlp_endpoint: Option<String>,
    /// OTLP protocol: `grpc` (default) or `http/protobuf`.
    #[serde(default)]
    pub protocol: Option<OtlpProtocol>,
    /// Parent-based trace sampling ratio, for every environment or per environment.
    #[serde(default)]
    pub sample_ratio: Option<PerEnv<f64>>,
    /// Labels the estate's Prometheus selects ServiceMonitors and PrometheusRules by
    /// (default `{ release = "prometheus" }`).
    #[serde(default)]
    #[schemars(example = serde_json::json!({"release": "prometheus"}))]
    pub prometheus_selector: Option<IndexMap<String, String>>,
    /// Namespace Prometheus runs in: each service's NetworkPolicy admits it to the metrics
    /// port, and a Rollouts analysis that names no `prometheus` queries its
    /// `prometheus-operated` Service (default `monitoring`).
    #[serde(default)]
    #[schemars(example = &"monitoring")]
    pub prometheus_namespace: Option<String>,
    /// `severity` label of the alerts, for every environment or per environment (default
    /// `page` in production environments, `ticket` elsewhere).
    #[serde(default)]
    #[schemars(example = serde_json::json!({"dev": "ticket", "prod": "page"}))]
    pub alert_severity: Option<PerEnv<String>>,
    /// Runbook of the alerts; `{service}` and `{alert}` are replaced by the service and the
    /// alert name.
    #[serde(default)]
    #[schemars(example = &"https://runbooks.example.com/{service}#{alert}")]
    pub runbook_url: Option<String>,
    /// Labels the Grafana dashboard sidecar loads ConfigMaps by (default
    /// `{ grafana_dashboard = "1" }`).
    #[serde(default)]
    #[schemars(example = serde_json::json!({"grafana_dashboard": "1"}))]
    pub dashboard_label: Option<IndexMap<String, String>>,
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
