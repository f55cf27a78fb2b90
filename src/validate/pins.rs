use std::collections::HashMap;

use super::context::Context;
use super::references::undeclared;
use crate::formats::version::{is_commit, is_semver};
use crate::source::diagnostic::Diagnostic;
use crate::spec::ModulePin;

/// Shared CI template and Terraform module pins: semantic versions, each service in at most
/// one rollout wave, waves naming declared services, overrides naming declared environments.
pub(super) fn check(cx: &mut Context<'_>) {
    check_ci(cx);
    check_terraform(cx);
}

fn check_ci(cx: &mut Context<'_>) {
    let Some(ci) = &cx.spec.ci else { return };
    check_semver(cx, &ci.version, &["ci", "version"]);
    let services: Vec<&str> = cx.spec.services.keys().map(String::as_str).collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (w, wave) in ci.waves.iter().enumerate() {
        let wave_index = w.to_string();
        check_semver(cx, &wave.version, &["ci", "waves", &wave_index, "version"]);
        for (i, service) in wave.services.iter().enumerate() {
            let index = i.to_string();
            let span = cx
                .spans
                .value(&["ci", "waves", &wave_index, "services", &index]);
            if !cx.spec.services.contains_key(service) {
                cx.report(undeclared("service", service, &services).at(span));
            } else if let Some(first) = seen.insert(service, w) {
                cx.report(
                    Diagnostic::error(format!(
                        "service `{service}` is in two rollout waves: {} and {}",
                        first + 1,
                        w + 1
                    ))
                    .at(span)
                    .label("second wave")
                    .help("a service runs one template version; keep it in one wave"),
                );
            }
        }
    }
}

fn check_terraform(cx: &mut Context<'_>) {
    let Some(terraform) = &cx.spec.terraform else {
        return;
    };
    let envs = cx.env_names();
    for (name, pin) in &terraform.modules {
        match pin {
            ModulePin::Tag(tag) => check_semver(cx, tag, &["terraform", "modules", name]),
            ModulePin::Detailed(fields) => {
                if !fields.contains_key("version") {
                    cx.report(
                        Diagnostic::error(format!("module `{name}` has no `version`"))
                            .at(cx.spans.key(&["terraform", "modules", name]))
                            .help("write `{ version = \"v1.2.0\" }`, with optional `commit` and per-environment tags"),
                    );
                }
                for (key, value) in fields {
                    let path = ["terraform", "modules", name.as_str(), key.as_str()];
                    match key.as_str() {
                        "commit" => check_commit(cx, value, &path),
                        "version" => check_semver(cx, value, &path),
                        env if envs.contains(&env) => match value.split_once('@') {
                            Some((tag, commit)) => {
                                check_semver(cx, tag, &path);
                                check_commit(cx, commit, &path);
                            }
                            None => check_semver(cx, value, &path),
                        },
                        other => {
                            let mut allowed = vec!["version", "commit"];
                            allowed.extend(envs.iter().copied());
                            let diagnostic = undeclared("environment", other, &envs)
                                .at(cx.spans.key(&path))
                                .help(format!("keys of a module pin: {}", allowed.join(", ")));
                            cx.report(diagnostic);
                        }
                    }
                }
            }
        }
    }
    if let Some(node_image) = &terraform.node_image {
        for env in node_image.env_names() {
            if !envs.contains(&env) {
                let diagnostic = undeclared("environment", env, &envs).at(cx.spans.key(&[
                    "terraform",
                    "node_image",
                    env,
                ]));
                cx.report(diagnostic);
            }
        }
    }
}

fn check_commit(cx: &mut Context<'_>, commit: &str, path: &[&str]) {
    if !is_commit(commit) {
        cx.report(
            Diagnostic::error(format!("commit `{commit}` is not a git commit hash"))
                .at(cx.spans.value(path))
                .label("expected 7 to 40 hex digits"),
        );
    }
}

fn check_semver(cx: &mut Context<'_>, version: &str, path: &[&str]) {
    if !is_semver(version) {
        cx.report(
            Diagnostic::error(format!("version `{version}` is not a semantic version"))
                .at(cx.spans.value(path))
                .label("expected vMAJOR.MINOR.PATCH")
                .help("for example `v2.3.0` (a release tag)"),
        );
    }
}
