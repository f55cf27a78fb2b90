//! A service's ports and the probes that check them.

use crate::model::{PortModel, ProbeCheck, ResolvedProbes};
use crate::spec::{Defaults, PortProtocol, Probes, Service};

/// The container port of the one `http` port of a service that lists no ports.
pub(crate) const DEFAULT_PORT: u16 = 8080;
/// The Service port the one `http` port of a service that lists no ports is exposed on.
const DEFAULT_EXPOSE: u16 = 80;
const DEFAULT_LIVENESS: &str = "/healthz";
const DEFAULT_READINESS: &str = "/ready";

/// The ports the service lists, or its one `http` port (`port`, exposed on 80).
pub(crate) fn ports(service: &Service, defaults: &Defaults) -> Vec<PortModel> {
    let number = |n: i64| u16::try_from(n).unwrap_or(DEFAULT_PORT);
    match &service.ports {
        Some(ports) => ports
            .iter()
            .map(|(name, port)| PortModel {
                name: name.clone(),
                port: number(port.port),
                protocol: port.protocol,
                expose: number(port.expose.unwrap_or(port.port)),
            })
            .collect(),
        None => vec![PortModel {
            name: "http".to_owned(),
            port: service.port.or(defaults.port).map_or(DEFAULT_PORT, number),
            protocol: PortProtocol::Http,
            expose: DEFAULT_EXPOSE,
        }],
    }
}

/// The port a route reaches: the one the service names, or its first `http` port.
pub(crate) fn route_port(service: &Service, ports: &[PortModel]) -> Option<String> {
    service.route.as_ref()?;
    service.route_port.clone().or_else(|| {
        ports
            .iter()
            .find(|p| p.protocol == PortProtocol::Http)
            .map(|p| p.name.clone())
    })
}

/// The port probes check unless told otherwise: the first that a probe can check.
pub(crate) fn probed_port(ports: &[PortModel]) -> Option<&PortModel> {
    ports.iter().find(|p| p.protocol != PortProtocol::Udp)
}

/// The service's probes. HTTP paths (the service's, over `[defaults]`, over `/healthz` and
/// `/ready`) check its first HTTP port when the probed port speaks HTTP, or when the service
/// writes paths of its own; a gRPC port is checked by the gRPC health service, a TCP port by
/// a connection; a service with nothing to check has no probes.
pub(crate) fn probes(
    service: &Service,
    defaults: &Defaults,
    ports: &[PortModel],
) -> ResolvedProbes {
    let none = ResolvedProbes {
        liveness: None,
        readiness: None,
        startup: None,
    };
    let Some(probed) = probed_port(ports) else {
        return none;
    };
    let own = service.probes.as_ref();
    let writes_paths = own.is_some_and(|p| *p != Probes::default());
    let http = ports.iter().find(|p| p.protocol == PortProtocol::Http);
    if let Some(http) = http
        && (probed.protocol == PortProtocol::Http || writes_paths)
    {
        let paths = [own, defaults.probes.as_ref()]
            .into_iter()
            .flatten()
            .fold(Probes::default(), |acc, p| acc.or(p));
        let check = |path: String| ProbeCheck::Http {
            path,
            port: http.name.clone(),
        };
        return ResolvedProbes {
            liveness: Some(check(
                paths
                    .liveness
                    .unwrap_or_else(|| DEFAULT_LIVENESS.to_owned()),
            )),
            readiness: Some(check(
                paths
                    .readiness
                    .unwrap_or_else(|| DEFAULT_READINESS.to_owned()),
            )),
            startup: paths.startup.map(check),
        };
    }
    let check = match probed.protocol {
        PortProtocol::Grpc => ProbeCheck::Grpc { port: probed.port },
        _ => ProbeCheck::Tcp {
            port: probed.name.clone(),
        },
    };
    ResolvedProbes {
        liveness: Some(check.clone()),
        readiness: Some(check),
        startup: None,
    }
}
