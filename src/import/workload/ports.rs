//! The container's ports: one HTTP port the Service exposes on 80 is the spec's `port`; any
//! other set of named ports is its `ports` table, each with what it speaks and the number the
//! Service exposes it on.

use serde_json::Value;

use super::fields::take;
use super::found::Port;

/// A port of a Service: the container port it targets (a number or a name), the number it
/// exposes, and what it says the port speaks.
pub(crate) struct Exposed<'a> {
    pub target: &'a Value,
    pub port: Option<i64>,
    pub app_protocol: Option<&'a str>,
}

/// The Service ports of the Services in `services`.
pub(crate) fn exposed<'a>(services: &[&'a Value]) -> Vec<Exposed<'a>> {
    services
        .iter()
        .flat_map(|service| service["spec"]["ports"].as_array().into_iter().flatten())
        .map(|port| Exposed {
            target: port.get("targetPort").unwrap_or(&port["port"]),
            port: port["port"].as_i64(),
            app_protocol: port["appProtocol"].as_str(),
        })
        .collect()
}

/// What the container's ports say: the one HTTP port, or the named ports, and the port
/// named `metrics` apart (the spec's `metrics.port`).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Ports {
    pub single: Option<i64>,
    pub named: Vec<Port>,
    pub metrics: Option<i64>,
}

/// Reads the container's ports, taking them out of `main` when the spec can say them all.
pub(crate) fn read_ports(main: &mut Value, exposed: &[Exposed]) -> Ports {
    let Some(list) = main["ports"].as_array() else {
        return Ports::default();
    };
    let mut ports = Vec::new();
    for entry in list {
        let Some(fields) = entry.as_object() else {
            return Ports::default();
        };
        let known = fields
            .keys()
            .all(|key| matches!(key.as_str(), "name" | "containerPort" | "protocol"));
        let Some(number) = entry["containerPort"].as_i64().filter(|_| known) else {
            return Ports::default();
        };
        let name = entry["name"].as_str();
        let targets = |e: &&Exposed| {
            e.target.as_i64() == Some(number) || (name.is_some() && e.target.as_str() == name)
        };
        let service = exposed.iter().find(targets);
        let udp = entry["protocol"] == "UDP";
        let protocol = protocol(
            name.unwrap_or_default(),
            udp,
            service.and_then(|s| s.app_protocol),
        );
        let Some(name) = name
            .map(str::to_owned)
            .or_else(|| (list.len() == 1).then(|| protocol.to_owned()))
        else {
            return Ports::default();
        };
        ports.push(Port {
            name,
            number,
            protocol,
            expose: service
                .and_then(|s| s.port)
                .filter(|exposed| *exposed != number),
        });
    }
    take(main, &["ports"]);
    let metrics = ports
        .iter()
        .position(|p| p.name == "metrics" && p.expose.is_none())
        .map(|at| ports.remove(at).number);
    let exposed_on_80 = exposed.iter().all(|e| e.port == Some(80));
    match ports.as_slice() {
        [one] if one.protocol == "http" && one.name == "http" && exposed_on_80 => Ports {
            single: Some(one.number),
            named: Vec::new(),
            metrics,
        },
        _ => Ports {
            single: None,
            named: ports,
            metrics,
        },
    }
}

/// What a port speaks, by what its Service says, else by its name.
fn protocol(name: &str, udp: bool, app_protocol: Option<&str>) -> &'static str {
    if udp {
        return "udp";
    }
    match app_protocol.map(str::to_ascii_lowercase).as_deref() {
        Some("grpc" | "kubernetes.io/h2c") => return "grpc",
        Some("http" | "https" | "kubernetes.io/ws") => return "http",
        _ => {}
    }
    if name.contains("grpc") {
        "grpc"
    } else if name.starts_with("http")
        || matches!(name, "web" | "metrics" | "admin")
        || name.is_empty()
    {
        "http"
    } else {
        "tcp"
    }
}

/// The name of the port a probe's `port` (a number or a name) means, when it is one of them.
pub(crate) fn port_named<'a>(
    at: &Value,
    single: Option<i64>,
    ports: &'a [Port],
) -> Option<&'a str> {
    if single.is_some() && (at.as_i64() == single || at == "http") {
        return Some("http");
    }
    ports
        .iter()
        .find(|p| at.as_i64() == Some(p.number) || at.as_str() == Some(p.name.as_str()))
        .map(|p| p.name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_http_port_on_80_is_the_port_and_named_ports_are_the_ports_table() {
        let service = json!({ "spec": { "ports": [{ "port": 80, "targetPort": 8080 }] } });
        let mut main = json!({ "ports": [{ "containerPort": 8080 }] });
        let read = read_ports(&mut main, &exposed(&[&service]));
        assert_eq!((read.single, read.named.len()), (Some(8080), 0));
        assert_eq!(main, json!({}));

        let service = json!({ "spec": { "ports": [
            { "name": "grpc", "port": 9090, "targetPort": "grpc", "appProtocol": "grpc" },
            { "name": "db", "port": 5432, "targetPort": 15432 }
        ] } });
        let mut main = json!({ "ports": [
            { "name": "grpc", "containerPort": 9090 },
            { "name": "db", "containerPort": 15432 },
            { "name": "metrics", "containerPort": 9100 }
        ] });
        let read = read_ports(&mut main, &exposed(&[&service]));
        assert_eq!((read.single, read.metrics), (None, Some(9100)));
        let seen: Vec<(&str, i64, &str, Option<i64>)> = read
            .named
            .iter()
            .map(|p| (p.name.as_str(), p.number, p.protocol, p.expose))
            .collect();
        assert_eq!(
            seen,
            [
                ("grpc", 9090, "grpc", None),
                ("db", 15432, "tcp", Some(5432))
            ]
        );
    }

    #[test]
    fn a_port_with_fields_the_spec_does_not_say_stays() {
        let mut main = json!({ "ports": [{ "containerPort": 53, "hostPort": 53 }] });
        assert_eq!(read_ports(&mut main, &[]), Ports::default());
        assert!(main.get("ports").is_some());
    }
}
