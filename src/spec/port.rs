use schemars::JsonSchema;
use serde::Deserialize;

/// A port the service's container listens on, under its name (`http`, `grpc`, `redis`…: at
/// most 15 lowercase letters, digits and dashes, as Kubernetes names ports).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"port": 7070, "protocol": "grpc"}))]
pub struct ContainerPort {
    /// The port the container listens on.
    #[schemars(example = 7070)]
    pub port: i64,
    /// What the port speaks: `http` (the default), `grpc`, `tcp` or `udp`. It decides the
    /// default probes, the Service's `appProtocol`, and whether a route can reach the port.
    #[serde(default)]
    pub protocol: PortProtocol,
    /// The port number the Service exposes it on (default: the container port), for callers
    /// that dial a fixed number.
    #[serde(default)]
    #[schemars(example = 80)]
    pub expose: Option<i64>,
}

/// What a port speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PortProtocol {
    /// HTTP/1.1 (or HTTP/2 with TLS): HTTP probes, reachable by a route.
    #[default]
    Http,
    /// gRPC over HTTP/2 cleartext: gRPC health probes, `appProtocol: grpc` on the Service.
    Grpc,
    /// Any other TCP protocol (a database, a broker): TCP probes.
    Tcp,
    /// UDP: no probe can check it.
    Udp,
}

impl PortProtocol {
    /// What the port runs over, as Kubernetes names it: UDP, or TCP for every other protocol.
    pub fn transport(self) -> &'static str {
        match self {
            Self::Udp => "UDP",
            _ => "TCP",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Grpc => "grpc",
            Self::Tcp => "tcp",
            Self::Udp => "udp",
        }
    }
}
