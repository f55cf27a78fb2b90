//! A service's ports and the probes that check them.

use crate::model::{PortModel, ProbeCheck, ProbeModel, ResolvedProbes};
use crate::spec::{Defaults, PortProtocol, Probe, ProbeSetting, Probes, Service};

/// The container port of the one `http` port of a service that lists no ports.
pub(crate) const DEFAULT_PORT: u16 = 8080;
/// The Service port the one `http` port of a service that lists no ports is exposed on.
const DEFAULT_EXPOSE: u16 = 80;
const DEFAULT_LIVENESS: &str = "/healthz";
const DEFAULT_READINESS: &str = "/ready";

/// The ports the service lists, or its one `http` port (`port`, exposed on 80).
pub(crate) fn ports(service: &Service, defaults: &Defaults) -> Vec<PortModel> {
    if !service.kind.serves() {
        return Vec::new();
    }
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

/// The port a route reaches: the one the service names, or its first `http` port, else its
/// first `grpc` port where the ingress controller routes gRPC (`grpc`).
pub(crate) fn route_port(service: &Service, ports: &[PortModel], grpc: bool) -> Option<String> {
    service.route.as_ref()?;
    service.route_port.clone().or_else(|| {
        let first = |protocol| ports.iter().find(|p| p.protocol == protocol);
        first(PortProtocol::Http)
            .or_else(|| first(PortProtocol::Grpc).filter(|_| grpc))
            .map(|p| p.name.clone())
    })
}

/// The port probes check unless told otherwise: the first that a probe can check.
pub(crate) fn probed_port(ports: &[PortModel]) -> Option<&PortModel> {
    ports.iter().find(|p| p.protocol != PortProtocol::Udp)
}

/// Which probe, with the timings it has unless the spec says otherwise.
#[derive(Clone, Copy)]
struct Kind {
    period: u32,
    failures: u32,
    /// The path an HTTP port is probed on unless the spec says otherwise; none for startup.
    path: Option<&'static str>,
}

const LIVENESS: Kind = Kind {
    period: 10,
    failures: 3,
    path: Some(DEFAULT_LIVENESS),
};
const READINESS: Kind = Kind {
    period: 5,
    failures: 3,
    path: Some(DEFAULT_READINESS),
};
const STARTUP: Kind = Kind {
    period: 5,
    failures: 30,
    path: None,
};
const DEFAULT_TIMEOUT: u32 = 2;

/// The service's probes, each the service's own setting, else the one of `[defaults]` where
/// the service is probed over HTTP, else what its first port that can be probed speaks: an
/// HTTP GET of `/healthz` and `/ready`, the gRPC health service, a TCP connection. A service
/// with nothing to probe has no probes.
pub(crate) fn probes(
    service: &Service,
    defaults: &Defaults,
    ports: &[PortModel],
) -> ResolvedProbes {
    let resolve = |kind: Kind, pick: fn(&Probes) -> Option<&ProbeSetting>| {
        let own = service.probes.as_ref().and_then(pick);
        let inherited = defaults.probes.as_ref().and_then(pick);
        probe(kind, own, inherited, ports)
    };
    ResolvedProbes {
        liveness: resolve(LIVENESS, |p| p.liveness.as_ref()),
        readiness: resolve(READINESS, |p| p.readiness.as_ref()),
        startup: resolve(STARTUP, |p| p.startup.as_ref()),
    }
}

/// The probes a sidecar is given, and no others: it has no defaults to fall back on.
pub(crate) fn given_probes(probes: Option<&Probes>, ports: &[PortModel]) -> ResolvedProbes {
    let resolve = |kind: Kind, pick: fn(&Probes) -> Option<&ProbeSetting>| {
        let own = probes.and_then(pick)?;
        probe(kind, Some(own), None, ports)
    };
    ResolvedProbes {
        liveness: resolve(LIVENESS, |p| p.liveness.as_ref()),
        readiness: resolve(READINESS, |p| p.readiness.as_ref()),
        startup: resolve(STARTUP, |p| p.startup.as_ref()),
    }
}

fn probe(
    kind: Kind,
    own: Option<&ProbeSetting>,
    inherited: Option<&ProbeSetting>,
    ports: &[PortModel],
) -> Option<ProbeModel> {
    // A command needs no port: a worker without ports may still be probed by one.
    let probed = probed_port(ports);
    let http = ports.iter().find(|p| p.protocol == PortProtocol::Http);
    let by_http = probed.is_some_and(|p| p.protocol == PortProtocol::Http);
    let setting = own.or(inherited.filter(|_| by_http));
    let timed = |check| ProbeModel {
        check,
        period: kind.period,
        timeout: DEFAULT_TIMEOUT,
        failures: kind.failures,
        delay: 0,
    };
    match setting {
        Some(ProbeSetting::Off(_)) => None,
        Some(ProbeSetting::Path(path)) => Some(timed(ProbeCheck::Http {
            path: path.clone(),
            port: http?.name.clone(),
        })),
        Some(ProbeSetting::Check(spec)) => checked(kind, spec, ports),
        None => default_probe(kind, probed?).map(timed),
    }
}

/// What a probe checks unless the spec says otherwise: what the probed port speaks.
fn default_probe(kind: Kind, probed: &PortModel) -> Option<ProbeCheck> {
    match probed.protocol {
        PortProtocol::Http => kind.path.map(|path| ProbeCheck::Http {
            path: path.to_owned(),
            port: probed.name.clone(),
        }),
        _ if kind.path.is_none() => None,
        _ => Some(match probed.protocol {
            PortProtocol::Grpc => ProbeCheck::Grpc {
                port: probed.port,
                service: None,
            },
            _ => ProbeCheck::Tcp {
                port: probed.name.clone(),
            },
        }),
    }
}

/// A probe the spec writes as a table: its check on the port it names, its timings.
fn checked(kind: Kind, spec: &Probe, ports: &[PortModel]) -> Option<ProbeModel> {
    let named = |name: &str| ports.iter().find(|p| p.name == name);
    let check = if let Some(path) = &spec.http {
        let port = match &spec.port {
            Some(name) => named(name)?,
            None => ports.iter().find(|p| p.protocol == PortProtocol::Http)?,
        };
        ProbeCheck::Http {
            path: path.clone(),
            port: port.name.clone(),
        }
    } else if let Some(port) = &spec.grpc {
        ProbeCheck::Grpc {
            port: named(port)?.port,
            service: spec.service.clone(),
        }
    } else if let Some(port) = &spec.tcp {
        ProbeCheck::Tcp {
            port: named(port)?.name.clone(),
        }
    } else {
        ProbeCheck::Exec {
            command: spec.exec.clone()?,
        }
    };
    let seconds = |value: Option<i64>, default: u32| {
        value.and_then(|v| u32::try_from(v).ok()).unwrap_or(default)
    };
    Some(ProbeModel {
        check,
        period: seconds(spec.period, kind.period),
        timeout: seconds(spec.timeout, DEFAULT_TIMEOUT),
        failures: seconds(spec.failures, kind.failures),
        delay: seconds(spec.delay, 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(text: &str) -> (Service, Defaults) {
        #[derive(serde::Deserialize)]
        struct Both {
            service: Service,
            #[serde(default)]
            defaults: Defaults,
        }
        let both: Both = toml::from_str(text).unwrap();
        (both.service, both.defaults)
    }

    fn resolved(text: &str) -> ResolvedProbes {
        let (service, defaults) = service(text);
        probes(&service, &defaults, &ports(&service, &defaults))
    }

    const SERVICE: &str = "[service]\nteam = \"t\"\nbase = \"b:1\"\nversion = \"1\"\n";

    #[test]
    fn defaults_paths_apply_only_where_the_probed_port_speaks_http() {
        let defaults = "[defaults]\nprobes = { liveness = \"/live\" }\n";
        let http = resolved(&format!("{SERVICE}{defaults}"));
        assert_eq!(
            http.liveness.unwrap().check,
            ProbeCheck::Http {
                path: "/live".to_owned(),
                port: "http".to_owned()
            }
        );
        let grpc = resolved(&format!(
            "{SERVICE}ports.grpc = {{ port = 7070, protocol = \"grpc\" }}\n{defaults}"
        ));
        assert_eq!(
            grpc.liveness.unwrap().check,
            ProbeCheck::Grpc {
                port: 7070,
                service: None
            }
        );
        assert_eq!(grpc.startup, None, "no startup probe unless written");
    }

    #[test]
    fn a_probe_turned_off_is_none_and_a_table_keeps_its_timings() {
        let probes = resolved(&format!(
            "{SERVICE}probes.readiness = false\nprobes.liveness = {{ http = \"/x\", period = 30, delay = 4 }}\n"
        ));
        assert_eq!(probes.readiness, None);
        let liveness = probes.liveness.unwrap();
        assert_eq!(
            (
                liveness.period,
                liveness.delay,
                liveness.timeout,
                liveness.failures
            ),
            (30, 4, 2, 3)
        );
    }

    #[test]
    fn a_udp_only_service_has_no_probes() {
        let probes = resolved(&format!(
            "{SERVICE}ports.stats = {{ port = 8125, protocol = \"udp\" }}\n"
        ));
        assert_eq!((probes.liveness, probes.readiness), (None, None));
    }
}
