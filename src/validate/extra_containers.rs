//! Sidecars and init containers: names a pod can hold, an image in a declared registry at a
//! version each environment accepts, variables and resources as for the service's own
//! container, and a sidecar's ports and probes within the one network of the pod.

use super::context::Context;
use super::images::check_image;
use super::names::dns_label_problem;
use super::ports::port_name_problem;
use super::probes::{Probed, check_probes};
use super::releases::version_problem;
use super::resources::check_resources;
use super::secrets::variable_name_problem;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{ContainerSettings, PortProtocol, Service, Spec};

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (svc, service) in &spec.services {
        let mut taken: Vec<&str> = vec![svc.as_str()];
        for container in service.extra_container_settings() {
            check_name(cx, svc, &container, &taken);
            taken.push(container.name);
            check_container(cx, svc, service, &container);
        }
        check_sidecar_ports(cx, svc, service);
    }
}

fn check_name(cx: &mut Context<'_>, svc: &str, container: &ContainerSettings<'_>, taken: &[&str]) {
    let at = ["services", svc, container.table, container.name];
    let problem = dns_label_problem(container.name)
        .map(str::to_owned)
        .or_else(|| {
            taken.contains(&container.name).then(|| {
                if container.name == svc {
                    "it is the name of the service's own container".to_owned()
                } else {
                    "another container of the pod has it".to_owned()
                }
            })
        });
    if let Some(problem) = problem {
        cx.report(
            Diagnostic::error(format!(
                "container name `{}` of `{svc}` cannot be used: {problem}",
                container.name.escape_debug()
            ))
            .at(cx.spans.key(&at))
            .label("invalid container name")
            .help("a name of its own in the pod: lowercase letters, digits and `-`, at most 63 (for example `envoy`)"),
        );
    }
}

fn check_container(
    cx: &mut Context<'_>,
    svc: &str,
    service: &Service,
    container: &ContainerSettings<'_>,
) {
    let at = |key: &'static str| vec!["services", svc, container.table, container.name, key];
    let owner = format!("{svc}.{}", container.name);
    match (container.image, container.version) {
        (Some(image), Some(version)) => {
            check_image(cx, image, &at("image"), &owner);
            check_version(cx, service, &owner, version, &at("version"));
        }
        (Some(_), None) => cx.report(
            Diagnostic::error(format!("`{owner}` names an image and no version of it"))
                .at(cx.spans.key(&at("image")))
                .label("which version?")
                .help("give its tag, with the digest where an environment requires digests: `version = \"1.36.1@sha256:…\"`"),
        ),
        (None, Some(_)) => cx.report(
            Diagnostic::error(format!("`{owner}` gives a version but no image"))
                .at(cx.spans.key(&at("version")))
                .label("version of what?")
                .help("name the image's repository (`image = \"docker.io/library/busybox\"`), or leave both out to run the service's own image at its version"),
        ),
        (None, None) => {}
    }
    for (key, given) in [("command", container.command), ("args", container.args)] {
        if given.is_some_and(Vec::is_empty) {
            cx.report(
                Diagnostic::error(format!("`{key}` of `{owner}` is empty"))
                    .at(cx.spans.value(&at(key)))
                    .label("runs nothing")
                    .help(format!(
                        "leave `{key}` out to run the image's own, or list the words"
                    )),
            );
        }
    }
    for variable in container.env.keys() {
        if let Some(problem) = variable_name_problem(variable) {
            let mut key = at("env");
            key.push(variable);
            cx.report(
                Diagnostic::error(format!(
                    "variable name `{}` of `{owner}` is not one Kubernetes accepts: {problem}",
                    variable.escape_debug()
                ))
                .at(cx.spans.key(&key))
                .label("invalid name")
                .help("for example `LOG_LEVEL`: letters, digits, `_`, `-` and `.`"),
            );
        }
    }
    if let Some(resources) = container.resources {
        check_resources(cx, resources, &at("resources"));
    }
    super::extra_secrets::check(cx, svc, service, container);
}

/// A version each environment the service runs in accepts: a valid tag, and a digest where
/// one requires digests.
fn check_version(cx: &mut Context<'_>, service: &Service, owner: &str, version: &str, at: &[&str]) {
    if let Some(problem) = version_problem(version) {
        cx.report(
            Diagnostic::error(format!(
                "version `{}` of `{owner}` is not an image tag: {problem}",
                version.escape_debug()
            ))
            .at(cx.spans.value(at))
            .label("invalid version")
            .help("a tag, optionally with its digest: `1.36.1` or `1.36.1@sha256:…`"),
        );
        return;
    }
    let wanting: Vec<&str> = digest_environments(cx.spec, service);
    if !version.contains('@') && !wanting.is_empty() {
        cx.report(
            Diagnostic::error(format!(
                "`{owner}` runs `{version}` without a digest, which {} requires",
                wanting.join(", ")
            ))
            .at(cx.spans.value(at))
            .label("no digest")
            .help("pin it: `version = \"<tag>@sha256:<digest>\"`"),
        );
    }
}

/// The environments the service runs in that require digests.
fn digest_environments<'a>(spec: &'a Spec, service: &Service) -> Vec<&'a str> {
    spec.environments
        .iter()
        .filter(|(env, e)| {
            e.require_digest
                && service
                    .environments
                    .as_ref()
                    .is_none_or(|listed| listed.contains(env))
        })
        .map(|(env, _)| env.as_str())
        .collect()
}

/// A sidecar's ports have names Kubernetes accepts and numbers no other container of the pod
/// listens on; its probes check its own ports.
fn check_sidecar_ports(cx: &mut Context<'_>, svc: &str, service: &Service) {
    let spec = cx.spec;
    let mut numbers: Vec<(i64, String)> = match &service.ports {
        Some(ports) => ports
            .iter()
            .map(|(name, p)| (p.port, format!("`{svc}`'s port `{name}`")))
            .collect(),
        None if service.kind.serves() => vec![(
            service.port.or(spec.defaults.port).unwrap_or(8080),
            format!("`{svc}`'s port"),
        )],
        None => Vec::new(),
    };
    // Metrics on a port of their own are a port of the service's container, named `metrics`.
    let metrics = spec.metrics_of(service);
    let metrics_port = metrics
        .port
        .unwrap_or(i64::from(crate::spec::DEFAULT_METRICS_PORT));
    let metrics_apart = metrics.serves() && !numbers.iter().any(|(n, _)| *n == metrics_port);
    if metrics_apart {
        numbers.push((metrics_port, format!("`{svc}`'s metrics port")));
    }
    // Named ports are unique in a pod: probes and Services find them by name.
    let mut names: Vec<String> = match &service.ports {
        Some(ports) => ports.keys().cloned().collect(),
        None if service.kind.serves() => vec!["http".to_owned()],
        None => Vec::new(),
    };
    if metrics_apart {
        names.push("metrics".to_owned());
    }
    for (name, sidecar) in &service.sidecars {
        for (port_name, port) in &sidecar.ports {
            let at = ["services", svc, "sidecars", name, "ports", port_name];
            let clash = names
                .contains(port_name)
                .then_some("is already the name of another port of the pod");
            if let Some(problem) = port_name_problem(port_name).or(clash) {
                cx.report(
                    Diagnostic::error(format!(
                        "port name `{}` of `{svc}.{name}` {problem}",
                        port_name.escape_debug()
                    ))
                    .at(cx.spans.key(&at))
                    .label("invalid port name")
                    .help("for example `admin`: 1 to 15 lowercase letters, digits and dashes"),
                );
            }
            let port_at = [&at[..], &["port"]].concat();
            if !(1..=65535).contains(&port.port) {
                cx.report(
                    Diagnostic::error(format!(
                        "port {} of `{svc}.{name}` is no TCP or UDP port",
                        port.port
                    ))
                    .at(cx.spans.value(&port_at))
                    .label("out of range")
                    .help("a number from 1 to 65535"),
                );
            } else if let Some((_, owner)) = numbers.iter().find(|(n, _)| *n == port.port) {
                cx.report(
                    Diagnostic::error(format!(
                        "port {} of `{svc}.{name}` is already {owner}: the containers of a pod share one network",
                        port.port
                    ))
                    .at(cx.spans.value(&port_at))
                    .label("taken")
                    .help("give the sidecar a port no other container of the pod listens on"),
                );
            }
            if port.expose.is_some() {
                cx.report(
                    Diagnostic::error(format!(
                        "`expose` of `{svc}.{name}`'s port `{port_name}` exposes nothing: the Service exposes the service's own ports"
                    ))
                    .at(cx.spans.key(&[&at[..], &["expose"]].concat()))
                    .label("no Service port")
                    .help("leave `expose` out; callers reach a sidecar's port on the pod"),
                );
            }
            numbers.push((port.port, format!("`{svc}.{name}`'s port `{port_name}`")));
            names.push(port_name.clone());
        }
        if let Some(probes) = &sidecar.probes {
            let ports: Vec<(&str, PortProtocol)> = sidecar
                .ports
                .iter()
                .map(|(n, p)| (n.as_str(), p.protocol))
                .collect();
            let whose = format!("the sidecar `{name}`");
            let probed = Probed {
                ports,
                whose: &whose,
            };
            check_probes(
                cx,
                probes,
                Some(&probed),
                &["services", svc, "sidecars", name, "probes"],
            );
        }
    }
}
