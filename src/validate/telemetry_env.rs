//! With traces on, fleetc writes the OpenTelemetry SDK variables itself: a service's own
//! variable of the same name would replace one of them without a word. A service's resource
//! attributes are added to fleetc's, unless they name one of fleetc's keys; its endpoint and
//! protocol replace fleetc's when the pair they make agrees (4317 gRPC, 4318 OTLP/HTTP); the
//! service name, propagators and sampler are fleetc's alone.

use indexmap::IndexMap;

use super::context::Context;
use super::env_tables::env_tables;
use super::places::{list, place_name, places_of, push_new};
use crate::formats::otel::{self, ENDPOINT, PROTOCOL, RESOURCE_ATTRIBUTES};
use crate::source::diagnostic::Diagnostic;
use crate::spec::{OtlpProtocol, inherited_at, origin_at};

pub(super) fn check(cx: &mut Context<'_>) {
    let Some(observability) = &cx.spec.observability else {
        return;
    };
    let Some(endpoint) = &observability.otlp_endpoint else {
        return;
    };
    let protocol = observability
        .protocol
        .unwrap_or(OtlpProtocol::Grpc)
        .as_str();
    estate_pair(cx, endpoint, protocol);
    for (path, variables) in env_tables(cx.spec) {
        for (variable, value) in variables {
            let mut at: Vec<&str> = path.iter().map(String::as_str).collect();
            at.push(variable);
            if variable == RESOURCE_ATTRIBUTES {
                attributes(cx, value, &at);
            } else if variable == PROTOCOL && !otel::PROTOCOLS.contains(&value.as_str()) {
                cx.report(
                    Diagnostic::error(format!(
                        "`{PROTOCOL}` `{}` is not an OTLP protocol",
                        value.escape_debug()
                    ))
                    .at(cx.spans.value(&at))
                    .label("unknown protocol")
                    .help("one of `grpc`, `http/protobuf` or `http/json`"),
                );
            } else if let Some(help) = reserved(variable) {
                cx.report(
                    Diagnostic::error(format!(
                        "`{variable}` is written by fleetc, as traces are on (`otlp_endpoint` in `[observability]`)"
                    ))
                    .at(cx.spans.value(&at))
                    .label("written by fleetc")
                    .help(help),
                );
            }
        }
    }
    service_pairs(cx, endpoint, protocol);
}

/// What to do instead of setting one of the variables fleetc alone writes.
fn reserved(variable: &str) -> Option<&'static str> {
    match variable {
        otel::SERVICE_NAME => {
            Some("remove it: fleetc names each service's traces after the service")
        }
        otel::PROPAGATORS => Some(
            "remove it: fleetc writes `tracecontext,baggage`, the W3C context the Ingress joins traces by",
        ),
        otel::SAMPLER | otel::SAMPLER_ARG => Some(
            "remove it, and set `sample_ratio` in `[observability]` (for every environment or per environment): fleetc samples parent-based by that ratio",
        ),
        _ => None,
    }
}

fn attributes(cx: &mut Context<'_>, value: &str, at: &[&str]) {
    if let Some(entry) = otel::malformed_attribute(value) {
        cx.report(
            Diagnostic::error(format!(
                "resource attribute `{}` in `{RESOURCE_ATTRIBUTES}` is not `key=value`",
                entry.escape_debug()
            ))
            .at(cx.spans.value(at))
            .label("not `key=value`")
            .help("a list of `key=value` separated by `,`, such as `team.tier=gold,k8s.cluster.name=eu`"),
        );
        return;
    }
    for key in otel::attribute_keys(value) {
        if otel::FLEETC_ATTRIBUTES.contains(&key) {
            cx.report(
                Diagnostic::error(format!(
                    "resource attribute `{key}` is written by fleetc, which adds the service's own attributes after its own"
                ))
                .at(cx.spans.value(at))
                .label("written by fleetc")
                .help(format!(
                    "remove `{key}=…`; fleetc writes {} itself",
                    otel::FLEETC_ATTRIBUTES.map(|k| format!("`{k}`")).join(", ")
                )),
            );
        }
    }
}

/// `[observability]`'s own pair: its endpoint on a well-known port and its protocol.
fn estate_pair(cx: &mut Context<'_>, endpoint: &str, protocol: &str) {
    if otel::agrees(endpoint, protocol) {
        return;
    }
    let Some((port, served)) = otel::port_protocol(endpoint) else {
        return;
    };
    cx.report(
        Diagnostic::error(format!(
            "otlp_endpoint `{endpoint}` is on {served}'s port {port}, but `protocol` is `{protocol}`"
        ))
        .at(cx.spans.value(&["observability", "otlp_endpoint"]))
        .label("endpoint and protocol disagree")
        .help(PAIR_HELP),
    );
}

const PAIR_HELP: &str = "an endpoint goes with its protocol: on port 4317, `grpc`; on port 4318, `http/protobuf` or `http/json` (`OTEL_EXPORTER_OTLP_PROTOCOL = \"http/protobuf\"` beside a service's own endpoint, `protocol` in `[observability]`)";

/// A service's endpoint or protocol, with the other half of the pair its own or fleetc's, at
/// each place it runs: they must agree there.
fn service_pairs(cx: &mut Context<'_>, estate_endpoint: &str, estate_protocol: &str) {
    let spec = cx.spec;
    let mut found: IndexMap<(Vec<String>, String), Vec<String>> = IndexMap::new();
    for (name, service) in &spec.services {
        for place in places_of(spec, service) {
            let env = inherited_at(&spec.defaults, service, &place).env;
            let (own_endpoint, own_protocol) = (env.get(ENDPOINT), env.get(PROTOCOL));
            if own_endpoint.is_none() && own_protocol.is_none() {
                continue;
            }
            let endpoint = own_endpoint.map_or(estate_endpoint, String::as_str);
            let protocol = own_protocol.map_or(estate_protocol, String::as_str);
            if !otel::PROTOCOLS.contains(&protocol) || otel::agrees(endpoint, protocol) {
                continue;
            }
            let Some((port, served)) = otel::port_protocol(endpoint) else {
                continue;
            };
            let origin = |variable: &str| {
                origin_at(&spec.defaults, service, &place, |s| {
                    s.env.contains_key(variable)
                })
            };
            let blame_endpoint = match (origin(ENDPOINT), origin(PROTOCOL)) {
                (Some(endpoint), Some(protocol)) => endpoint >= protocol,
                (endpoint, _) => endpoint.is_some(),
            };
            let whence = |own: bool, what: &str| {
                if own {
                    format!("`{what}`")
                } else {
                    "fleetc's, from `[observability]`".to_owned()
                }
            };
            let (variable, message) = if blame_endpoint {
                (
                    ENDPOINT,
                    format!(
                        "`{ENDPOINT}` `{endpoint}` is on {served}'s port {port}, but the protocol is `{protocol}` ({})",
                        whence(own_protocol.is_some(), PROTOCOL)
                    ),
                )
            } else {
                (
                    PROTOCOL,
                    format!(
                        "`{PROTOCOL}` `{protocol}` disagrees with the endpoint `{endpoint}` on {served}'s port {port} ({})",
                        whence(own_endpoint.is_some(), ENDPOINT)
                    ),
                )
            };
            let layer = origin(variable).expect("the blamed variable is the service's");
            let mut at = layer.key_path(name, &place);
            at.extend(["env".to_owned(), variable.to_owned()]);
            push_new(found.entry((at, message)).or_default(), &place_name(&place));
        }
    }
    for ((at, message), places) in found {
        let at: Vec<&str> = at.iter().map(String::as_str).collect();
        cx.report(
            Diagnostic::error(format!("{message} in {}", list(&places)))
                .at(cx.spans.value(&at))
                .label("endpoint and protocol disagree")
                .help(PAIR_HELP),
        );
    }
}
