use super::context::Context;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{Colour, Strategy};

/// Versions must be image tags (with a digest where the environment demands one), and the
/// release state of each environment must name a live colour that runs.
pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (name, service) in &spec.services {
        let deployed_to = |env: &str| {
            service
                .environments
                .as_ref()
                .is_none_or(|envs| envs.iter().any(|e| e == env))
        };
        check_version(cx, &service.version, &["services", name, "version"]);
        for (env_name, env) in &spec.environments {
            if env.require_digest
                && deployed_to(env_name)
                && !service.deploy.contains_key(env_name)
                && !service.version.contains("@sha256:")
            {
                cx.report(
                    Diagnostic::error(format!(
                        "environment `{env_name}` requires image digests, but `{name}` deploys `{}` there",
                        service.version
                    ))
                    .at(cx.spans.value(&["services", name, "version"]))
                    .label("no digest")
                    .help(format!(
                        "pin the version as `tag@sha256:<64 hex digits>`, here or in `deploy.{env_name}`"
                    )),
                );
            }
        }
        check_deploy_states(cx, name, service);
    }
}

fn check_deploy_states(cx: &mut Context<'_>, name: &str, service: &crate::spec::Service) {
    let spec = cx.spec;
    let deployed_to = |env: &str| {
        service
            .environments
            .as_ref()
            .is_none_or(|envs| envs.iter().any(|e| e == env))
    };
    for (env, state) in &service.deploy {
        let path = ["services", name, "deploy", env.as_str()];
        if spec.environments.contains_key(env) && !deployed_to(env) {
            cx.report(
                Diagnostic::error(format!(
                    "`{name}` has a release state for `{env}`, but is not deployed there"
                ))
                .at(cx.spans.key(&path))
                .help(format!(
                    "add `{env}` to `services.{name}.environments`, or remove this entry"
                )),
            );
        }
        check_state(cx, name, service, (env, env), state, &path);
        for (cluster, own) in &state.clusters {
            let path = [&path[..], &["clusters", cluster.as_str()]].concat();
            let place = format!("{env}/{cluster}");
            check_state(cx, name, service, (env, &place), &own.state(), &path);
        }
    }
}

/// One release state, of an environment or of one of its clusters (`place`, `env/cluster`,
/// as messages name it): its versions are tags (with digests where the environment requires
/// them), and its live colour and its `previous` colour run.
fn check_state(
    cx: &mut Context<'_>,
    name: &str,
    service: &crate::spec::Service,
    (env, place): (&str, &str),
    state: &crate::spec::DeployState,
    path: &[&str],
) {
    if !state_has_its_kinds_shape(cx, name, service, place, path) {
        return;
    }
    let spec = cx.spec;
    for colour in Colour::ALL {
        if let Some(version) = state.version(colour) {
            // A kind that rolls in place writes its one version as `version`.
            let key = if state.blue.is_none() && colour == Colour::Blue {
                "version"
            } else {
                colour.as_str()
            };
            let at = [path, &[key]].concat();
            check_version(cx, version, &at);
            let needs_digest = spec.environments.get(env).is_some_and(|e| e.require_digest);
            if needs_digest && !version.contains("@sha256:") {
                cx.report(
                    Diagnostic::error(format!(
                        "environment `{env}` requires image digests, but {colour} runs `{version}`",
                        colour = colour.as_str()
                    ))
                    .at(cx.spans.value(&at))
                    .label("no digest")
                    .help("pin the version as `tag@sha256:<64 hex digits>`"),
                );
            }
        }
    }
    let live = state.live;
    if service.strategy != Strategy::BlueGreen && state.version(live.other()).is_some() {
        cx.report(
                Diagnostic::error(format!(
                    "`{name}` is delivered by Argo Rollouts (strategy `{}`), which runs the colours itself; give `{place}` one version",
                    service.strategy.as_str()
                ))
                .at(cx.spans.key(path))
                .help("keep only the live colour; Argo Rollouts shifts traffic to a new version and rolls back on failed analysis"),
            );
    }
    if state.previous == Some(live) {
        cx.report(
            Diagnostic::error(format!(
                "`previous` of `{name}` in `{place}` is the live colour `{}`",
                live.as_str()
            ))
            .at(cx.spans.value(&[path, &["previous"]].concat()))
            .label("must be the other colour")
            .help(format!(
                "set it to `{}`, or remove it",
                live.other().as_str()
            )),
        );
    }
    if let Some(previous) = state.previous
        && previous != live
        && state.version(previous).is_none()
    {
        // `rollback` returns traffic to `previous`: a colour that runs nothing has no
        // traffic to take back.
        cx.report(
            Diagnostic::error(format!(
                "`previous` of `{name}` in `{place}` is `{}`, which runs no version",
                previous.as_str()
            ))
            .at(cx.spans.value(&[path, &["previous"]].concat()))
            .label("this colour runs nothing")
            .help(format!(
                "remove `previous`, or set `{}` to the version a rollback returns to",
                previous.as_str()
            )),
        );
    }
    if state.version(live).is_none() {
        cx.report(
            Diagnostic::error(format!(
                "live colour `{}` of `{name}` in `{place}` has no version",
                live.as_str()
            ))
            .at(cx.spans.value(&[path, &["live"]].concat()))
            .label("this colour runs nothing")
            .help(format!(
                "set `{}` to the version that takes traffic, or make `{}` live",
                live.as_str(),
                live.other().as_str()
            )),
        );
    }
}

fn check_version(cx: &mut Context<'_>, version: &str, path: &[&str]) {
    if let Some(problem) = version_problem(version) {
        cx.report(
            Diagnostic::error(format!(
                "version `{}` is not a valid image tag: {problem}",
                version.escape_debug()
            ))
            .at(cx.spans.value(path))
            .label("invalid version")
            .help("a tag is up to 128 of `A-Z a-z 0-9 _ . -`, not starting with `.` or `-`, optionally followed by `@sha256:<64 hex digits>`"),
        );
    }
}

/// Why `version` is not `tag` or `tag@sha256:<hex>`, if it is not.
pub(super) fn version_problem(version: &str) -> Option<&'static str> {
    let (tag, digest) = match version.split_once('@') {
        Some((tag, digest)) => (tag, Some(digest)),
        None => (version, None),
    };
    if tag.is_empty() {
        return Some("the tag is empty");
    }
    if tag.len() > 128 {
        return Some("the tag is longer than 128 characters");
    }
    if tag.starts_with(['.', '-']) {
        return Some("the tag starts with `.` or `-`");
    }
    if !tag
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
    {
        return Some("the tag contains characters other than letters, digits, `_`, `.` and `-`");
    }
    if tag == "latest" {
        return Some("`latest` is not a version");
    }
    if let Some(digest) = digest
        && let Some(problem) = crate::formats::digest::digest_problem(digest)
    {
        return Some(problem);
    }
    None
}

/// A release state of a kind that rolls in place is one `version`; a Deployment's names its
/// colours and the live one. Whether the shape holds; what breaks it is reported.
fn state_has_its_kinds_shape(
    cx: &mut Context<'_>,
    name: &str,
    service: &crate::spec::Service,
    place: &str,
    path: &[&str],
) -> bool {
    let kind = service.kind.as_str();
    let written = |key: &str| cx.spans.contains(&[path, &[key]].concat());
    let mut holds = true;
    if service.kind.rolls_in_place() {
        for key in ["blue", "green", "live", "previous"] {
            if written(key) {
                holds = false;
                cx.report(
                    Diagnostic::error(format!(
                        "`{name}` is a `{kind}`, which rolls in place: its release state in `{place}` is one `version`, not colours"
                    ))
                    .at(cx.spans.key(&[path, &[key]].concat()))
                    .label("no colours here")
                    .help("write `version = \"<tag>\"` (`fleetc release` writes it)"),
                );
            }
        }
        if holds && !written("version") {
            holds = false;
            cx.report(
                Diagnostic::error(format!(
                    "the release state of `{name}` in `{place}` names no `version`"
                ))
                .at(cx.spans.key(path))
                .label("no version")
                .help("write `version = \"<tag>\"`, or remove the entry to run the service's `version`"),
            );
        }
        return holds;
    }
    if written("version") {
        holds = false;
        cx.report(
            Diagnostic::error(format!(
                "`{name}` is a `{kind}`, whose release state in `{place}` names colours, not one `version`"
            ))
            .at(cx.spans.key(&[path, &["version"]].concat()))
            .label("a kind without colours writes this")
            .help("write `blue = \"<tag>\"` and `live = \"blue\"` (`fleetc release` and `promote` write them)"),
        );
    }
    if !written("live") {
        holds = false;
        cx.report(
            Diagnostic::error(format!(
                "the release state of `{name}` in `{place}` does not say which colour is `live`"
            ))
            .at(cx.spans.key(path))
            .label("missing `live`")
            .help("add `live = \"blue\"` or `live = \"green\"`: the colour the Service sends traffic to"),
        );
    }
    holds
}
