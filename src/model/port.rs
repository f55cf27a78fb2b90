use crate::spec::PortProtocol;

/// A port of a service's container, and where its Service exposes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortModel {
    pub name: String,
    /// The port the container listens on.
    pub port: u16,
    pub protocol: PortProtocol,
    /// The port number the Service exposes it on.
    pub expose: u16,
}

/// What a probe checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeCheck {
    /// An HTTP GET of `path` on the port named `port`.
    Http { path: String, port: String },
    /// The gRPC health service on port number `port` (Kubernetes names no gRPC port by name).
    Grpc { port: u16 },
    /// A TCP connection to the port named `port`.
    Tcp { port: String },
}

/// The service's probes; none where nothing can be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedProbes {
    pub liveness: Option<ProbeCheck>,
    pub readiness: Option<ProbeCheck>,
    pub startup: Option<ProbeCheck>,
}
