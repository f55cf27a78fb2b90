//! Probes: a path is a URL path the kubelet can request; a table checks exactly one thing, on a
//! port the service lists, with timings Kubernetes accepts; `false` turns a probe off.

use super::context::Context;
use super::ports::{listed, ports_of};
use crate::formats::http_path::http_path_problem;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{PortProtocol, Probe, ProbeSetting, Probes};

/// The ports a probe may check, and whose they are, as a message names them.
pub(super) struct Probed<'a> {
    pub ports: Vec<(&'a str, PortProtocol)>,
    pub whose: &'a str,
}

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    if let Some(probes) = &spec.defaults.probes {
        check_probes(cx, probes, None, &["defaults", "probes"]);
    }
    for (name, service) in &spec.services {
        if let Some(probes) = &service.probes {
            let probed = Probed {
                ports: ports_of(service),
                whose: "the service",
            };
            check_probes(cx, probes, Some(&probed), &["services", name, "probes"]);
        }
    }
}

pub(super) fn check_probes(
    cx: &mut Context<'_>,
    probes: &Probes,
    service: Option<&Probed<'_>>,
    at: &[&str],
) {
    for (which, setting) in [
        ("liveness", &probes.liveness),
        ("readiness", &probes.readiness),
        ("startup", &probes.startup),
    ] {
        let at = [at, &[which]].concat();
        match setting {
            None | Some(ProbeSetting::Off(false)) => {}
            Some(ProbeSetting::Off(true)) => cx.report(
                Diagnostic::error(format!("`true` is not a {which} probe"))
                    .at(cx.spans.value(&at))
                    .label("not a probe")
                    .help("write the probe (a path, or a table with one of `http`, `grpc`, `tcp`, `exec`), or `false` for none"),
            ),
            Some(ProbeSetting::Path(path)) => {
                check_path(cx, which, path, &at);
                if let Some(service) = service {
                    needs_http_port(cx, which, service, &at);
                }
            }
            Some(ProbeSetting::Check(probe)) => check_table(cx, which, probe, service, &at),
        }
    }
}

fn check_path(cx: &mut Context<'_>, which: &str, path: &str, at: &[&str]) {
    if let Some(problem) = http_path_problem(path) {
        cx.report(
            Diagnostic::error(format!(
                "{which} probe path `{}` is not an HTTP path: {problem}",
                path.escape_debug()
            ))
            .at(cx.spans.value(at))
            .label("invalid path")
            .help("an HTTP probe is a path starting with `/`, such as `/healthz`; a gRPC, TCP or command probe is a table: `{ grpc = \"grpc\" }`, `{ tcp = \"redis\" }`, `{ exec = [\"redis-cli\", \"ping\"] }`"),
        );
    }
}

/// An HTTP probe without a port of its own asks the container's first HTTP port.
fn needs_http_port(cx: &mut Context<'_>, which: &str, service: &Probed<'_>, at: &[&str]) {
    let ports = &service.ports;
    if ports
        .iter()
        .any(|(_, protocol)| *protocol == PortProtocol::Http)
    {
        return;
    }
    cx.report(
        Diagnostic::error(format!("the {which} probe is an HTTP path, but {} has no HTTP port", service.whose))
            .at(cx.spans.value(at))
            .label("nothing to probe it on")
            .help(format!(
                "its ports: {}; probe one of them with `{{ grpc = \"…\" }}` or `{{ tcp = \"…\" }}`, or leave the probe out to follow the first port",
                listed(ports)
            )),
    );
}

fn check_table<'a>(
    cx: &mut Context<'_>,
    which: &str,
    probe: &Probe,
    service: Option<&Probed<'_>>,
    at: &[&'a str],
) {
    let key = |rest: &'a str| -> Vec<&'a str> { [at, &[rest]].concat() };
    let checks: Vec<&str> = [
        ("http", probe.http.is_some()),
        ("grpc", probe.grpc.is_some()),
        ("tcp", probe.tcp.is_some()),
        ("exec", probe.exec.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect();
    if checks.len() != 1 {
        let found = if checks.is_empty() {
            "checks nothing".to_owned()
        } else {
            format!("checks {} things: `{}`", checks.len(), checks.join("`, `"))
        };
        cx.report(
            Diagnostic::error(format!("the {which} probe {found}"))
                .at(cx.spans.value(at))
                .label("one of `http`, `grpc`, `tcp`, `exec`")
                .help("a probe checks one thing: an HTTP path, the gRPC health service on a port, a TCP port, or a command"),
        );
    }
    if let Some(path) = &probe.http {
        check_path(cx, which, path, &key("http"));
        if probe.port.is_none()
            && let Some(service) = service
        {
            needs_http_port(cx, which, service, &key("http"));
        }
    }
    for (field, used_with, set) in [
        ("port", "http", probe.port.is_some() && probe.http.is_none()),
        (
            "service",
            "grpc",
            probe.service.is_some() && probe.grpc.is_none(),
        ),
    ] {
        if set {
            cx.report(
                Diagnostic::error(format!(
                    "`{field}` belongs to a probe that checks `{used_with}`"
                ))
                .at(cx.spans.key(&key(field)))
                .label(format!("only with `{used_with}`"))
                .help(format!(
                    "leave `{field}` out, or make the probe check `{used_with}`"
                )),
            );
        }
    }
    if let Some(command) = &probe.exec
        && command.iter().all(|part| part.trim().is_empty())
    {
        cx.report(
            Diagnostic::error(format!("the {which} probe runs an empty command"))
                .at(cx.spans.value(&key("exec")))
                .label("nothing to run")
                .help("name the program and its arguments, such as `[\"redis-cli\", \"ping\"]`"),
        );
    }
    if let Some(service) = service {
        check_probed_ports(cx, which, probe, service, at);
    }
    check_timings(cx, which, probe, at);
}

/// The ports a probe names are ports of the service that a probe can check.
fn check_probed_ports(
    cx: &mut Context<'_>,
    which: &str,
    probe: &Probe,
    service: &Probed<'_>,
    at: &[&str],
) {
    let key = |rest: &'static str| -> Vec<&str> { [at, &[rest]].concat() };
    let ports = &service.ports;
    for (field, port) in [
        ("port", &probe.port),
        ("grpc", &probe.grpc),
        ("tcp", &probe.tcp),
    ] {
        let Some(port) = port else { continue };
        let problem = match ports.iter().find(|(name, _)| name == port) {
            None => Some(format!("names no port of {}", service.whose)),
            Some((_, PortProtocol::Udp)) => {
                Some("names a UDP port, which no probe can check".to_owned())
            }
            Some(_) => None,
        };
        if let Some(problem) = problem {
            cx.report(
                Diagnostic::error(format!(
                    "the {which} probe's `{field} = \"{port}\"` {problem}"
                ))
                .at(cx.spans.value(&key(field)))
                .label("no such port to probe")
                .help(format!("its ports: {}", listed(ports))),
            );
        }
    }
}

/// Seconds and counts Kubernetes accepts.
fn check_timings(cx: &mut Context<'_>, which: &str, probe: &Probe, at: &[&str]) {
    let key = |rest: &'static str| -> Vec<&str> { [at, &[rest]].concat() };
    for (field, value, least) in [
        ("period", probe.period, 1),
        ("timeout", probe.timeout, 1),
        ("failures", probe.failures, 1),
        ("delay", probe.delay, 0),
    ] {
        if let Some(value) = value
            && !(least..=3600).contains(&value)
        {
            cx.report(
                Diagnostic::error(format!("the {which} probe's `{field}` of {value} is out of range"))
                    .at(cx.spans.value(&key(field)))
                    .label(format!("expected {least} to 3600"))
                    .help("seconds (or, for `failures`, probes in a row) from 1 to 3600; `delay` may be 0"),
            );
        }
    }
}
