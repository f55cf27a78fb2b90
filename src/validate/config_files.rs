//! Configuration files: each at a file path of its own in the container, and an environment
//! or a cluster gives another file only for a path the service mounts everywhere (the pod
//! template, its mounts among it, is the same in every place).

use super::context::Context;
use crate::naming::config_keys;
use crate::source::diagnostic::Diagnostic;
use crate::spec::Service;

pub(super) fn check(cx: &mut Context<'_>, svc: &str, service: &Service, taken: &[(&str, String)]) {
    let mut paths = taken.to_vec();
    for path in service.config_files.keys() {
        let at = ["services", svc, "config_files", path.as_str()];
        if !is_file_path(path) {
            cx.report(
                Diagnostic::error(format!(
                    "configuration file `{}` of `{svc}` is not a file path in the container",
                    path.escape_debug()
                ))
                .at(cx.spans.key(&at))
                .label("not a file path")
                .help("an absolute path of letters, digits, `.`, `_`, `-` and `/`, without `..`: `/etc/orders/config.yaml`"),
            );
        } else if let Some((_, by)) = paths.iter().find(|(p, _)| *p == path) {
            cx.report(
                Diagnostic::error(format!(
                    "configuration file `{path}` of `{svc}` is mounted where {by} is"
                ))
                .at(cx.spans.key(&at))
                .label("path taken")
                .help("mount it at a path of its own"),
            );
        }
        paths.push((path, format!("configuration file `{path}`")));
    }
    check_keys(cx, svc, service);
    for (env, over) in &service.overrides {
        let at = ["services", svc, "overrides", env.as_str()];
        let clusters = over
            .clusters
            .iter()
            .map(|(cluster, own)| (vec!["clusters", cluster.as_str()], &own.config_files));
        for (below, files) in std::iter::once((Vec::new(), &over.config_files)).chain(clusters) {
            for path in files.keys() {
                if service.config_files.contains_key(path) {
                    continue;
                }
                let key = [&at[..], &below[..], &["config_files", path.as_str()]].concat();
                cx.report(
                    Diagnostic::error(format!(
                        "`{}` is no configuration file of `{svc}`; a place can only give another file for one",
                        path.escape_debug()
                    ))
                    .at(cx.spans.key(&key))
                    .label("not mounted by the service")
                    .help(format!(
                        "mount it in every place first: `services.{svc}.config_files = {{ \"{}\" = \"<file>\" }}`",
                        path.escape_debug()
                    )),
                );
            }
        }
    }
}

/// Each file takes a key of its own in the ConfigMap.
fn check_keys(cx: &mut Context<'_>, svc: &str, service: &Service) {
    let paths: Vec<&str> = service.config_files.keys().map(String::as_str).collect();
    let keys = config_keys(&paths);
    for (at, key) in keys.iter().enumerate() {
        if let Some(earlier) = keys[..at].iter().position(|other| other == key) {
            let path = paths[at];
            cx.report(
                Diagnostic::error(format!(
                    "configuration files `{}` and `{path}` of `{svc}` would both be `{key}` in its ConfigMap",
                    paths[earlier]
                ))
                .at(cx.spans.key(&["services", svc, "config_files", path]))
                .label("same key")
                .help("mount one of them at a path whose folders or file name spell otherwise"),
            );
        }
    }
}

/// Whether `path` names a file in the container that a `subPath` mount can put there alone:
/// absolute, no `..`, no trailing `/`, and only characters a ConfigMap or Secret key holds.
pub(super) fn is_file_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.ends_with('/')
        && !path.contains("//")
        && !path.split('/').any(|p| p == ".." || p == ".")
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::is_file_path;

    #[test]
    fn a_file_path_is_absolute_plain_and_names_a_file() {
        for path in [
            "/etc/app/config.yaml",
            "/app/.env",
            "/srv/www/index-v2_0.html",
        ] {
            assert!(is_file_path(path), "{path}");
        }
        for path in [
            "etc/app.yaml",
            "/etc/app/",
            "/etc//app.yaml",
            "/etc/../app.yaml",
            "/etc/./app.yaml",
            "/etc/app config.yaml",
            "/etc/app:1.yaml",
        ] {
            assert!(!is_file_path(path), "{path}");
        }
    }
}
