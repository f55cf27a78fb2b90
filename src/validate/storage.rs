//! A statefulset's persistent volumes: names Kubernetes takes, paths that do not collide,
//! sizes it can claim, and environments that size only the volumes the service declares.

use super::context::Context;
use super::names::dns_label_problem;
use crate::formats::quantity::{nanos, quantity_problem};
use crate::source::diagnostic::Diagnostic;
use crate::spec::WorkloadKind;

/// Where every pod already mounts a scratch volume of its own.
const SCRATCH: &str = "/tmp";

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (name, service) in spec
        .services
        .iter()
        .filter(|(_, s)| s.kind == WorkloadKind::StatefulSet)
    {
        // A pod given no /tmp (`security.tmp = false`) may mount a volume of its own there.
        let scratch = service
            .security
            .as_ref()
            .is_none_or(crate::spec::Security::tmp);
        let mut paths: Vec<&str> = if scratch { vec![SCRATCH] } else { Vec::new() };
        for (volume, storage) in &service.storage {
            let at = |key: &'static str| {
                vec!["services", name.as_str(), "storage", volume.as_str(), key]
            };
            if let Some(problem) = dns_label_problem(volume)
                .or((volume == "tmp" && scratch)
                    .then_some("`tmp` is the scratch volume every pod has"))
            {
                cx.report(
                    Diagnostic::error(format!("volume name `{}` of `{name}` cannot be used: {problem}", volume.escape_debug()))
                        .at(cx.spans.key(&["services", name, "storage", volume]))
                        .label("invalid volume name")
                        .help("lowercase letters, digits and `-`, at most 63, starting and ending with a letter or digit (for example `data`)"),
                );
            }
            let path = storage.path.trim_end_matches('/');
            if !storage.path.starts_with('/') {
                cx.report(
                    Diagnostic::error(format!(
                        "mount path `{}` of volume `{volume}` is not absolute",
                        storage.path.escape_debug()
                    ))
                    .at(cx.spans.value(&at("path")))
                    .label("not an absolute path")
                    .help("a path in the container starting with `/`, for example `/data`"),
                );
            } else if let Some(taken) = paths.iter().find(|p| **p == path) {
                let by = if *taken == SCRATCH {
                    "the scratch volume every pod has".to_owned()
                } else {
                    "another volume".to_owned()
                };
                cx.report(
                    Diagnostic::error(format!(
                        "volume `{volume}` of `{name}` is mounted at `{path}`, already taken by {by}"
                    ))
                    .at(cx.spans.value(&at("path")))
                    .label("path taken")
                    .help("mount each volume at a path of its own"),
                );
            } else {
                paths.push(path);
            }
            check_size(cx, name, volume, &storage.size, &at("size"));
        }
        for (env, over) in &service.overrides {
            for (volume, sized) in &over.storage {
                let path = [
                    "services",
                    name.as_str(),
                    "overrides",
                    env.as_str(),
                    "storage",
                    volume.as_str(),
                ];
                if !service.storage.contains_key(volume) {
                    let declared: Vec<String> =
                        service.storage.keys().map(|v| format!("`{v}`")).collect();
                    cx.report(
                        Diagnostic::error(format!(
                            "`{name}` has no volume `{volume}` to size in `{env}`"
                        ))
                        .at(cx.spans.key(&path))
                        .label("no such volume")
                        .help(if declared.is_empty() {
                            format!("declare it under `services.{name}.storage`")
                        } else {
                            format!("its volumes: {}", declared.join(", "))
                        }),
                    );
                    continue;
                }
                if let Some(size) = &sized.size {
                    let at = [&path[..], &["size"]].concat();
                    check_size(cx, name, volume, size, &at);
                }
            }
        }
    }
}

fn check_size(cx: &mut Context<'_>, name: &str, volume: &str, size: &str, at: &[&str]) {
    let problem =
        quantity_problem(size).or_else(|| (nanos(size) == Some(0)).then_some("it is zero"));
    if let Some(problem) = problem {
        cx.report(
            Diagnostic::error(format!("size `{}` of volume `{volume}` of `{name}` is not a size Kubernetes claims: {problem}", size.escape_debug()))
                .at(cx.spans.value(at))
                .label("invalid size")
                .help("a quantity such as `10Gi` or `500Mi`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::Source;
    use crate::compile::compile;
    use crate::edit::test_spec::{text_with, today};

    fn errors(service: &str) -> Vec<String> {
        let text = text_with(&format!(
            "[services.store]\nkind = \"statefulset\"\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0\"\n{service}"
        ));
        match compile(&Source::new("enterprise.toml", text), today()) {
            Ok(_) => Vec::new(),
            Err(found) => found.into_iter().map(|d| d.message).collect(),
        }
    }

    #[test]
    fn tmp_is_taken_only_where_the_pod_has_its_scratch_volume() {
        let at_tmp = "storage.tmp = { path = \"/tmp\", size = \"1Gi\" }\n";
        let found = errors(at_tmp);
        assert!(
            found
                .iter()
                .any(|e| e.contains("`tmp` is the scratch volume")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|e| e.contains("already taken by the scratch volume")),
            "{found:?}"
        );
        let found = errors(&format!("{at_tmp}security.tmp = false\n"));
        assert!(!found.iter().any(|e| e.contains("scratch")), "{found:?}");
    }
}
