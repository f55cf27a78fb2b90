use super::context::Context;
use crate::source::diagnostic::{Diagnostic, did_you_mean};
use crate::spec::Service;

/// Names that must refer to something declared elsewhere in the spec.
pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    if spec.environments.is_empty() {
        cx.report(
            Diagnostic::error("no environment is declared")
                .at(cx.spans.key(&["environments"]))
                .help("declare at least one, for example `[environments.dev]`"),
        );
    }
    let teams: Vec<&str> = spec.teams.keys().map(String::as_str).collect();
    let images: Vec<&str> = spec.base_images.keys().map(String::as_str).collect();
    let services: Vec<&str> = spec.services.keys().map(String::as_str).collect();
    let envs = cx.env_names();

    for (name, service) in &spec.services {
        let at = |key: &str| cx.spans.value(&["services", name, key]);
        if !spec.teams.contains_key(&service.team) {
            let diagnostic = undeclared("team", &service.team, &teams).at(at("team"));
            cx.report(diagnostic);
        }
        if let Some(base) = &service.base {
            check_base(cx, base, &["services", name, "base"], &images);
        }
        for (version, base) in &service.built_on {
            check_base(cx, base, &["services", name, "built_on", version], &images);
        }
        for (i, target) in service.depends_on.iter().enumerate() {
            let index = i.to_string();
            let span = cx.spans.value(&["services", name, "depends_on", &index]);
            if target == name {
                cx.report(
                    Diagnostic::error(format!("service `{name}` depends on itself"))
                        .at(span)
                        .label("remove this entry"),
                );
            } else if let Some(callee) = spec.services.get(target) {
                missing_callee(cx, name, service, target, callee, span);
            } else {
                cx.report(undeclared("service", target, &services).at(span));
            }
        }
        if let Some(listed) = &service.environments {
            for (i, env) in listed.iter().enumerate() {
                let index = i.to_string();
                let span = cx.spans.value(&["services", name, "environments", &index]);
                if !spec.environments.contains_key(env) {
                    cx.report(undeclared("environment", env, &envs).at(span));
                }
            }
        }
        for table in ["overrides", "deploy"] {
            let keys: Vec<&String> = match table {
                "overrides" => service.overrides.keys().collect(),
                _ => service.deploy.keys().collect(),
            };
            for env in keys {
                check_env_key(cx, &["services", name, table, env], &envs);
            }
        }
        if let Some(replicas) = &service.replicas {
            for env in replicas.env_names() {
                check_env_key(cx, &["services", name, "replicas", env], &envs);
            }
        }
        if let Some(max) = service.autoscaling.as_ref().and_then(|a| a.max.as_ref()) {
            for env in max.env_names() {
                check_env_key(cx, &["services", name, "autoscaling", "max", env], &envs);
            }
        }
    }
    if let Some(replicas) = &spec.defaults.replicas {
        for env in replicas.env_names() {
            check_env_key(cx, &["defaults", "replicas", env], &envs);
        }
    }
    if let Some(max) = spec
        .defaults
        .autoscaling
        .as_ref()
        .and_then(|a| a.max.as_ref())
    {
        for env in max.env_names() {
            check_env_key(cx, &["defaults", "autoscaling", "max", env], &envs);
        }
    }
    if let Some(ratio) = spec
        .observability
        .as_ref()
        .and_then(|o| o.sample_ratio.as_ref())
    {
        for env in ratio.env_names() {
            check_env_key(cx, &["observability", "sample_ratio", env], &envs);
        }
    }

    for (i, exception) in spec.exceptions.iter().enumerate() {
        let index = i.to_string();
        if !spec.services.contains_key(&exception.service) {
            let span = cx.spans.value(&["exceptions", &index, "service"]);
            cx.report(undeclared("service", &exception.service, &services).at(span));
        }
    }
}

/// A service that calls another where that one does not run: the calls fail there.
fn missing_callee(
    cx: &mut Context<'_>,
    name: &str,
    calling: &Service,
    target: &str,
    called: &Service,
    span: Option<std::ops::Range<usize>>,
) {
    let runs_in = |service: &Service, env: &str| {
        service
            .environments
            .as_ref()
            .is_none_or(|envs| envs.iter().any(|e| e == env))
    };
    let missing: Vec<&str> = cx
        .spec
        .environments
        .keys()
        .map(String::as_str)
        .filter(|env| runs_in(calling, env) && !runs_in(called, env))
        .collect();
    if missing.is_empty() {
        return;
    }
    cx.report(
        Diagnostic::warning(format!(
            "`{name}` depends on `{target}`, which does not run in {}",
            missing
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .at(span)
        .label("its calls fail there")
        .help(format!(
            "add {} to `services.{target}.environments`, or remove them from `services.{name}.environments`",
            missing.join(", ")
        )),
    );
}

/// A key of a per-environment table must name a declared environment.
pub(super) fn check_env_key(cx: &mut Context<'_>, path: &[&str], envs: &[&str]) {
    let env = path[path.len() - 1];
    if !envs.contains(&env) {
        let diagnostic = undeclared("environment", env, envs).at(cx.spans.key(path));
        cx.report(diagnostic);
    }
}

fn check_base(cx: &mut Context<'_>, base: &str, path: &[&str], images: &[&str]) {
    let span = cx.spans.value(path);
    let Some((image, version)) = base.split_once(':') else {
        cx.report(
            Diagnostic::error(format!("base image `{base}` has no version"))
                .at(span)
                .label("expected `name:version`")
                .help(format!("declared base images: {}", list(images))),
        );
        return;
    };
    let Some(declared) = cx.spec.base_images.get(image) else {
        cx.report(undeclared("base image", image, images).at(span));
        return;
    };
    if !declared.versions.contains_key(version) {
        let versions: Vec<&str> = declared.versions.keys().map(String::as_str).collect();
        cx.report(
            Diagnostic::error(format!(
                "base image `{image}` has no version `{version}`; declared versions: {}",
                list(&versions)
            ))
            .at(span)
            .label("unknown version"),
        );
    }
}

/// "team `identiy` is not declared; declared teams: identity, commerce", with a suggestion.
pub(super) fn undeclared(kind: &str, name: &str, declared: &[&str]) -> Diagnostic {
    let plural = if kind.ends_with('s') {
        format!("{kind}es")
    } else {
        format!("{kind}s")
    };
    let mut diagnostic = Diagnostic::error(format!(
        "{kind} `{name}` is not declared; declared {plural}: {}",
        list(declared)
    ))
    .label(format!("unknown {kind}"));
    if let Some(suggestion) = did_you_mean(name, declared.iter().copied()) {
        diagnostic = diagnostic.help(format!("did you mean `{suggestion}`?"));
    }
    diagnostic
}

fn list(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}
