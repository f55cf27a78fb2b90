//! The OpenTelemetry SDK variables fleetc writes, and the values of the ones a service may add
//! to: resource attributes (`key=value,key=value`) and an OTLP endpoint with its protocol.

pub(crate) const SERVICE_NAME: &str = "OTEL_SERVICE_NAME";
pub(crate) const RESOURCE_ATTRIBUTES: &str = "OTEL_RESOURCE_ATTRIBUTES";
pub(crate) const ENDPOINT: &str = "OTEL_EXPORTER_OTLP_ENDPOINT";
pub(crate) const PROTOCOL: &str = "OTEL_EXPORTER_OTLP_PROTOCOL";
pub(crate) const PROPAGATORS: &str = "OTEL_PROPAGATORS";
pub(crate) const SAMPLER: &str = "OTEL_TRACES_SAMPLER";
pub(crate) const SAMPLER_ARG: &str = "OTEL_TRACES_SAMPLER_ARG";

/// Every variable fleetc writes when traces are on, in the order it writes them: first in the
/// container's list, before the spec's own.
pub(crate) const WRITTEN: [&str; 7] = [
    SERVICE_NAME,
    RESOURCE_ATTRIBUTES,
    ENDPOINT,
    PROTOCOL,
    PROPAGATORS,
    SAMPLER,
    SAMPLER_ARG,
];

/// The resource attributes fleetc writes (`service.name` through `OTEL_SERVICE_NAME`, which
/// the SDK lets win over an attribute of that name).
pub(crate) const FLEETC_ATTRIBUTES: [&str; 5] = [
    "service.name",
    "service.namespace",
    "service.version",
    "deployment.environment.name",
    "fleetc.colour",
];

/// The values of `OTEL_EXPORTER_OTLP_PROTOCOL` the SDKs read.
pub(crate) const PROTOCOLS: [&str; 3] = ["grpc", "http/protobuf", "http/json"];

/// One entry of a resource attribute list that is not `key=value`, if one is not.
pub(crate) fn malformed_attribute(value: &str) -> Option<&str> {
    value.split(',').find(|entry| {
        entry
            .split_once('=')
            .is_none_or(|(key, _)| key.trim().is_empty())
    })
}

/// The keys of a resource attribute list, in order.
pub(crate) fn attribute_keys(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(',')
        .filter_map(|entry| entry.split_once('='))
        .map(|(key, _)| key.trim())
}

/// The protocol the well-known OTLP port of `endpoint` is served with: 4317 gRPC, 4318 HTTP.
/// Another port, or an endpoint without one, says nothing.
pub(crate) fn port_protocol(endpoint: &str) -> Option<(u16, &'static str)> {
    let authority = endpoint
        .split_once("://")
        .map_or(endpoint, |(_, rest)| rest);
    let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (_, port) = host_port.rsplit_once(':')?;
    match port.parse().ok()? {
        4317 => Some((4317, "gRPC")),
        4318 => Some((4318, "OTLP/HTTP")),
        _ => None,
    }
}

/// Whether `protocol` is the one the endpoint's well-known port serves (any, on another port).
pub(crate) fn agrees(endpoint: &str, protocol: &str) -> bool {
    match port_protocol(endpoint) {
        Some((4317, _)) => protocol == "grpc",
        Some(_) => protocol.starts_with("http/"),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::{agrees, attribute_keys, malformed_attribute, port_protocol};

    #[test]
    fn attribute_lists_are_key_value_pairs() {
        let keys: Vec<&str> = attribute_keys("team.tier=gold, k8s.pod.name=$(POD)").collect();
        assert_eq!(keys, ["team.tier", "k8s.pod.name"]);
        assert_eq!(malformed_attribute("a=1,b=2"), None);
        assert_eq!(malformed_attribute("a=1,gold"), Some("gold"));
        assert_eq!(malformed_attribute("=1"), Some("=1"));
    }

    #[test]
    fn well_known_ports_name_their_protocol() {
        assert_eq!(port_protocol("http://c:4317"), Some((4317, "gRPC")));
        assert_eq!(
            port_protocol("https://u@c.example:4318/v1"),
            Some((4318, "OTLP/HTTP"))
        );
        assert_eq!(port_protocol("http://c:55680"), None);
        assert_eq!(port_protocol("http://c"), None);
        assert!(agrees("http://c:4317", "grpc"));
        assert!(!agrees("http://c:4317", "http/protobuf"));
        assert!(agrees("http://c:4318", "http/json"));
        assert!(!agrees("http://c:4318", "grpc"));
        assert!(agrees("http://c:9999", "grpc"));
    }
}
