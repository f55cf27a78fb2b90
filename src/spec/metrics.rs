use schemars::JsonSchema;
use serde::Deserialize;

/// The container port metrics are served on unless the spec says otherwise.
pub(crate) const DEFAULT_METRICS_PORT: u16 = 9090;

/// Where a service's pods serve Prometheus metrics, or that they serve none. Left out, a key
/// comes from `[defaults]`, then from fleetc's defaults (port 9090, path `/metrics`, on).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"port": 9090, "path": "/metrics"}))]
pub struct Metrics {
    /// `false` for a service that serves no metrics (a batch worker): no metrics Service,
    /// ServiceMonitor, alert rules or dashboard, which would only report it down. Default true.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Container port metrics are served on (default 9090); the service's own port may be it.
    #[serde(default)]
    #[schemars(example = 9090)]
    pub port: Option<i64>,
    /// HTTP path of the metrics (default `/metrics`).
    #[serde(default)]
    #[schemars(example = &"/metrics")]
    pub path: Option<String>,
}

impl Metrics {
    /// `self` with every key it leaves unset taken from `fallback`.
    #[must_use]
    pub fn or(&self, fallback: &Self) -> Self {
        Self {
            enabled: self.enabled.or(fallback.enabled),
            port: self.port.or(fallback.port),
            path: self.path.clone().or_else(|| fallback.path.clone()),
        }
    }
}

impl Metrics {
    /// Whether the pods serve metrics: unless told otherwise, they do.
    pub fn serves(&self) -> bool {
        self.enabled.unwrap_or(true)
    }
}
