//! A service's scratch volumes: names and paths the pod can hold beside `/tmp` and its
//! persistent volumes, and sizes Kubernetes reads.

use super::config_files::is_file_path;
use super::context::Context;
use super::names::dns_label_problem;
use super::places::{list, places_without_secret};
use crate::formats::quantity::quantity_problem;
use crate::naming::table::{CONFIG_FILES_VOLUME, SECRET_FILES_VOLUME};
use crate::source::diagnostic::Diagnostic;
use crate::spec::{Security, Service, WorkloadKind};

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (svc, service) in &spec.services {
        let scratch = service.security.as_ref().is_none_or(Security::tmp);
        let mut names: Vec<(&str, &str)> = vec![
            (SECRET_FILES_VOLUME, "the volume of the secret files"),
            (CONFIG_FILES_VOLUME, "the volume of the configuration files"),
        ];
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
        let paths = check_secret_files(cx, svc, service, paths);
        super::config_files::check(cx, svc, service, &paths);
    }
}

/// Each secret file is mounted at a path of its own, from a variable of `secrets` the service
/// reads in every place it runs.
fn check_secret_files<'a>(
    cx: &mut Context<'_>,
    svc: &str,
    service: &'a Service,
    mut paths: Vec<(&'a str, String)>,
) -> Vec<(&'a str, String)> {
    let spec = cx.spec;
    for (path, variable) in &service.secret_files {
        let at = ["services", svc, "secret_files", path.as_str()];
        let trimmed = path.trim_end_matches('/');
        if !is_file_path(path) {
            cx.report(
                Diagnostic::error(format!(
                    "secret file `{}` of `{svc}` is not a file path in the container",
                    path.escape_debug()
                ))
                .at(cx.spans.key(&at))
                .label("not a file path")
                .help("an absolute path of letters, digits, `.`, `_`, `-` and `/`, without `..`: `/etc/orders/tls.key`"),
            );
        } else if let Some((_, by)) = paths.iter().find(|(p, _)| *p == trimmed) {
            cx.report(
                Diagnostic::error(format!(
                    "secret file `{path}` of `{svc}` is mounted where {by} is"
                ))
                .at(cx.spans.key(&at))
                .label("path taken")
                .help("mount it at a path of its own"),
            );
        }
        let missing = places_without_secret(spec, service, variable);
        if !missing.is_empty() {
            cx.report(
                Diagnostic::error(format!(
                    "secret file `{path}` of `{svc}` holds `{variable}`, which is no secret of `{svc}` in {}",
                    list(&missing)
                ))
                .at(cx.spans.value(&at))
                .label("no such secret")
                .help(format!(
                    "read it from the store first: `secrets = {{ {variable} = \"<entry>#<property>\" }}`; the file holds its value, and it is then no variable"
                )),
            );
        }
        paths.push((trimmed, format!("secret file `{path}`")));
    }
    paths
}
