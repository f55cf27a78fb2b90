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
    /// The gRPC health service on port number `port` (Kubernetes names no gRPC port by name),
    /// about `service` or the server as a whole.
    Grpc { port: u16, service: Option<String> },
    /// A TCP connection to the port named `port`.
    Tcp { port: String },
    /// A command run in the container.
    Exec { command: Vec<String> },
}

/// A probe: what it checks, and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeModel {
    pub check: ProbeCheck,
    pub period: u32,
    pub timeout: u32,
    pub failures: u32,
    /// Seconds before the first probe; none written when 0.
    pub delay: u32,
}

/// The service's probes; none where nothing can be checked or the spec turns one off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolvedProbes {
    pub liveness: Option<ProbeModel>,
    pub readiness: Option<ProbeModel>,
    pub startup: Option<ProbeModel>,
}
