use schemars::JsonSchema;
use serde::Deserialize;

/// A probe: an HTTP path on the service's first HTTP port (`"/ready"`), a table saying what it
/// checks and how often, or `false` for none.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ProbeSetting {
    /// An HTTP GET of this path on the service's first HTTP port.
    Path(String),
    /// `false`: no probe of this kind.
    Off(bool),
    /// What the probe checks (one of `http`, `grpc`, `tcp`, `exec`), and its timings.
    Check(Probe),
}

/// What a probe checks (exactly one of `http`, `grpc`, `tcp` and `exec`), and how often.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"grpc": "grpc", "period": 10, "failures": 3}))]
pub struct Probe {
    /// An HTTP GET of this path.
    #[serde(default)]
    #[schemars(example = &"/ready")]
    pub http: Option<String>,
    /// The port an `http` probe asks, by name (default: the service's first HTTP port).
    #[serde(default)]
    pub port: Option<String>,
    /// The gRPC health service, on the port of this name.
    #[serde(default)]
    #[schemars(example = &"grpc")]
    pub grpc: Option<String>,
    /// The service a `grpc` probe asks the health service about (default: the server as a
    /// whole).
    #[serde(default)]
    pub service: Option<String>,
    /// A TCP connection to the port of this name.
    #[serde(default)]
    #[schemars(example = &"redis")]
    pub tcp: Option<String>,
    /// A command run in the container: the probe passes when it exits 0.
    #[serde(default)]
    #[schemars(example = ["redis-cli", "ping"])]
    pub exec: Option<Vec<String>>,
    /// Seconds between probes (default 10 for liveness, 5 for readiness and startup).
    #[serde(default)]
    pub period: Option<i64>,
    /// Seconds a probe may take (default 2).
    #[serde(default)]
    pub timeout: Option<i64>,
    /// Failures in a row before the probe fails (default 3; 30 for startup).
    #[serde(default)]
    pub failures: Option<i64>,
    /// Seconds after the container starts before the first probe (default 0).
    #[serde(default)]
    pub delay: Option<i64>,
}
