//! A service's ports: named as Kubernetes names ports, each number once, and everything that
//! names a port (the route, HTTP probe paths, metrics) naming one that can serve it.

use std::collections::HashMap;

use super::context::Context;
use super::numbers::check_port;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{ContainerPort, DEFAULT_METRICS_PORT, PortProtocol, Service};

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (name, service) in &spec.services {
        let at = |rest: &[&'static str]| -> Vec<&str> {
            [&["services", name.as_str()][..], rest].concat()
        };
        if let Some(ports) = &service.ports {
            if service.port.is_some() {
                cx.report(
                    Diagnostic::error(format!("`{name}` writes both `port` and `ports`"))
                        .at(cx.spans.key(&at(&["port"])))
                        .label("one of the two")
                        .help("list every port under `ports` (an `http` port exposed on 80 is `http = { port = 8080, expose = 80 }`) and leave `port` out"),
                );
            }
            if ports.is_empty() {
                cx.report(
                    Diagnostic::error(format!("`{name}` lists no ports"))
                        .at(cx.spans.value(&at(&["ports"])))
                        .label("empty")
                        .help("a service's workload serves at least one port: list it, or leave `ports` out for one `http` port on `port`"),
                );
            }
            check_listed(cx, name, ports);
        }
        check_references(cx, name, service);
    }
}

/// Each port: a name Kubernetes accepts, numbers in range, no number twice.
fn check_listed(
    cx: &mut Context<'_>,
    service: &str,
    ports: &indexmap::IndexMap<String, ContainerPort>,
) {
    let mut listening: HashMap<(i64, &str), &str> = HashMap::new();
    let mut exposed: HashMap<(i64, &str), &str> = HashMap::new();
    for (port_name, port) in ports {
        let at = ["services", service, "ports", port_name.as_str()];
        if let Some(problem) = port_name_problem(port_name) {
            cx.report(
                Diagnostic::error(format!("port name `{port_name}` {problem}"))
                    .at(cx.spans.key(&at))
                    .label("invalid port name")
                    .help("a port name is at most 15 lowercase letters, digits and dashes, with a letter, and no dash at either end or twice in a row (`http`, `grpc`, `redis`)"),
            );
        }
        check_port(cx, port.port, &[&at[..], &["port"]].concat());
        if let Some(expose) = port.expose {
            check_port(cx, expose, &[&at[..], &["expose"]].concat());
        }
        let transport = port.protocol.transport();
        for (number, seen, what, key) in [
            (port.port, &mut listening, "both listen on", "port"),
            (
                port.expose.unwrap_or(port.port),
                &mut exposed,
                "are both exposed on",
                "expose",
            ),
        ] {
            if let Some(first) = seen.insert((number, transport), port_name) {
                let key = if key == "expose" && port.expose.is_none() {
                    "port"
                } else {
                    key
                };
                cx.report(
                    Diagnostic::error(format!(
                        "ports `{first}` and `{port_name}` of `{service}` {what} {number}"
                    ))
                    .at(cx.spans.value(&[&at[..], &[key]].concat()))
                    .label("taken by another port")
                    .help("give each port a number of its own"),
                );
            }
        }
    }
}

/// The ports of a service by name and protocol: those it lists, or its one `http` port.
pub(super) fn ports_of(service: &Service) -> Vec<(&str, PortProtocol)> {
    match &service.ports {
        Some(ports) => ports
            .iter()
            .map(|(name, port)| (name.as_str(), port.protocol))
            .collect(),
        None => vec![("http", PortProtocol::Http)],
    }
}

/// The ports of a service as a help line names them: `` `grpc` (grpc), `web` (http) ``.
pub(super) fn listed(ports: &[(&str, PortProtocol)]) -> String {
    ports
        .iter()
        .map(|(name, protocol)| format!("`{name}` ({})", protocol.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a route can reach instead of a port of `protocol`.
fn route_help(spec: &crate::spec::Spec, protocol: PortProtocol) -> String {
    if protocol == PortProtocol::Grpc {
        format!(
            "gRPC through the Ingress is written for ingress-nginx (`ingress_class = \"{}\"`), and this estate's class is `{}`: name an `http` port, or reach it inside the cluster by its Service",
            crate::spec::GRPC_INGRESS_CLASS,
            spec.enterprise.ingress_class
        )
    } else {
        "a route is a path prefix on the environment's Ingress: name an `http` or `grpc` port (TCP and UDP ports are reached inside the cluster, by their Service)".to_owned()
    }
}

/// The route, HTTP probe paths and metrics name ports that exist and can serve them.
fn check_references(cx: &mut Context<'_>, name: &str, service: &Service) {
    let at = |rest: &[&'static str]| -> Vec<&str> { [&["services", name][..], rest].concat() };
    let ports = ports_of(service);
    let grpc_routes = cx.spec.enterprise.routes_grpc();
    let routable = |protocol: PortProtocol| {
        protocol == PortProtocol::Http || (grpc_routes && protocol == PortProtocol::Grpc)
    };
    let first_routable = ports.iter().find(|(_, protocol)| routable(*protocol));
    match (&service.route, &service.route_port) {
        (None, Some(_)) => cx.report(
            Diagnostic::error(format!("`{name}` names a `route_port` but has no `route`"))
                .at(cx.spans.key(&at(&["route_port"])))
                .label("nothing reaches it")
                .help("add a `route`, or leave `route_port` out"),
        ),
        (Some(_), Some(port)) => match ports.iter().find(|(n, ..)| n == port) {
            None => cx.report(
                Diagnostic::error(format!("`{name}` has no port `{port}` for its route"))
                    .at(cx.spans.value(&at(&["route_port"])))
                    .label("no such port")
                    .help(format!("its ports: {}", listed(&ports))),
            ),
            Some((_, protocol)) if !routable(*protocol) => cx.report(
                Diagnostic::error(format!(
                    "the route of `{name}` reaches port `{port}`, which speaks {}",
                    protocol.as_str()
                ))
                .at(cx.spans.value(&at(&["route_port"])))
                .label("not a port a route reaches")
                .help(route_help(cx.spec, *protocol)),
            ),
            Some(_) => {}
        },
        (Some(_), None) if first_routable.is_none() => cx.report(
            Diagnostic::error(format!(
                "`{name}` has a route but no {} port",
                if grpc_routes { "HTTP or gRPC" } else { "HTTP" }
            ))
            .at(cx.spans.value(&at(&["route"])))
            .label("nothing to reach")
            .help(format!(
                "a route is a path prefix on the environment's Ingress; its ports: {}",
                listed(&ports)
            )),
        ),
        _ => {}
    }
    let metrics = cx.spec.metrics_of(service);
    let metrics_port = metrics.port.unwrap_or(i64::from(DEFAULT_METRICS_PORT));
    if metrics.serves()
        && let Some(number) = service
            .ports
            .as_ref()
            .and_then(|ports| ports.get("metrics"))
            .map(|port| port.port)
        && number != metrics_port
    {
        cx.report(
            Diagnostic::error(format!(
                "port `metrics` of `{name}` is {number}, but its metrics are served on {metrics_port}"
            ))
            .at(cx.spans.key(&at(&["ports", "metrics"])))
            .label("named like the metrics port")
            .help("name the port otherwise, or set `metrics.port` to it"),
        );
    }
}

/// What is wrong with a port name, as Kubernetes reads one (an IANA service name).
pub(crate) fn port_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() || name.len() > 15 {
        return Some("must be 1 to 15 characters long");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Some("may hold only lowercase letters, digits and dashes");
    }
    if !name.chars().any(|c| c.is_ascii_lowercase()) {
        return Some("needs at least one letter");
    }
    if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        return Some("may not start or end with a dash, or hold two in a row");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::port_name_problem;

    #[test]
    fn port_names_are_what_kubernetes_accepts() {
        for good in ["http", "grpc", "redis", "http-2", "a1", "amqp-management"] {
            assert_eq!(port_name_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "HTTP",
            "8080",
            "-http",
            "http-",
            "h--p",
            "a_b",
            "sixteen-chars-xx",
        ] {
            assert!(port_name_problem(bad).is_some(), "{bad}");
        }
    }
}
