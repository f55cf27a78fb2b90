//! Probe paths: each becomes the `httpGet.path` a kubelet requests on the container port, so
//! anything but a URL path (a `grpc:` or `tcp` probe, an empty string) would fail every
//! probe once deployed.

use super::context::Context;
use crate::formats::http_path::http_path_problem;
use crate::source::diagnostic::Diagnostic;
use crate::spec::Probes;

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    if let Some(probes) = &spec.defaults.probes {
        check_probes(cx, probes, &["defaults", "probes"]);
    }
    for (name, service) in &spec.services {
        if let Some(probes) = &service.probes {
            check_probes(cx, probes, &["services", name, "probes"]);
        }
    }
}

fn check_probes(cx: &mut Context<'_>, probes: &Probes, at: &[&str]) {
    for (which, path) in [
        ("liveness", &probes.liveness),
        ("readiness", &probes.readiness),
        ("startup", &probes.startup),
    ] {
        let Some(problem) = path.as_deref().and_then(http_path_problem) else {
            continue;
        };
        let path = path.as_deref().unwrap_or_default();
        cx.report(
            Diagnostic::error(format!(
                "{which} probe path `{}` is not an HTTP path: {problem}",
                path.escape_debug()
            ))
            .at(cx.spans.value(&[at, &[which]].concat()))
            .label("invalid path")
            .help("probes are HTTP GETs on the service's port: a path starting with `/`, such as `/healthz`; the spec has no gRPC or TCP probes"),
        );
    }
}
