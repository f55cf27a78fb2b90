//! A service's scratch volumes: names and paths the pod can hold beside `/tmp` and its
//! persistent volumes, and sizes Kubernetes reads.

use super::context::Context;
use super::names::dns_label_problem;
use crate::formats::quantity::quantity_problem;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{Security, WorkloadKind};

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (svc, service) in &spec.services {
        let scratch = service.security.as_ref().is_none_or(Security::tmp);
        let mut names: Vec<(&str, &str)> = Vec::new();
        let mut paths: Vec<(&str, String)> = Vec::new();
        if scratch {
            names.push(("tmp", "the pod's `/tmp`"));
            paths.push(("/tmp", "the pod's `/tmp`".to_owned()));
        }
        if service.kind == WorkloadKind::StatefulSet {
            for (name, storage) in &service.storage {
                names.push((name, "a persistent volume"));
                paths.push((
                    storage.path.trim_end_matches('/'),
                    format!("persistent volume `{name}`"),
                ));
            }
        }
        for (name, volume) in &service.volumes {
            let at = |key: &'static str| vec!["services", svc.as_str(), "volumes", name, key];
            let taken = names.iter().find(|(n, _)| n == name).map(|(_, by)| *by);
            if let Some(problem) = dns_label_problem(name)
                .map(str::to_owned)
                .or_else(|| taken.map(|by| format!("it is the name of {by}")))
            {
                cx.report(
                    Diagnostic::error(format!(
                        "volume name `{}` of `{svc}` cannot be used: {problem}",
                        name.escape_debug()
                    ))
                    .at(cx.spans.key(&["services", svc, "volumes", name]))
                    .label("invalid volume name")
                    .help("lowercase letters, digits and `-`, at most 63 (for example `cache`)"),
                );
            }
            let path = volume.path.trim_end_matches('/');
            if !volume.path.starts_with('/') || volume.path.split('/').any(|p| p == "..") {
                cx.report(
                    Diagnostic::error(format!(
                        "mount path `{}` of volume `{name}` of `{svc}` is not an absolute path",
                        volume.path.escape_debug()
                    ))
                    .at(cx.spans.value(&at("path")))
                    .label("not an absolute path")
                    .help("a path in the container starting with `/`, without `..`, for example `/var/cache/app`"),
                );
            } else if let Some((_, by)) = paths.iter().find(|(p, _)| *p == path) {
                cx.report(
                    Diagnostic::error(format!(
                        "volume `{name}` of `{svc}` is mounted at `{path}`, already taken by {by}"
                    ))
                    .at(cx.spans.value(&at("path")))
                    .label("path taken")
                    .help("mount it at a path of its own"),
                );
            }
            if let Some(size) = &volume.size
                && let Some(problem) = quantity_problem(size)
            {
                cx.report(
                    Diagnostic::error(format!(
                        "size `{}` of volume `{name}` of `{svc}` is not a Kubernetes quantity: {problem}",
                        size.escape_debug()
                    ))
                    .at(cx.spans.value(&at("size")))
                    .label("invalid quantity")
                    .help("bytes with a unit, for example `512Mi` or `1Gi`"),
                );
            }
            names.push((name, "another volume"));
            paths.push((path, format!("volume `{name}`")));
        }
    }
}
