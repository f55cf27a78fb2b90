use super::context::Context;
use crate::formats::version_order::compare_versions;
use crate::source::diagnostic::{Diagnostic, Kind};
use crate::spec::{BaseImage, Exception, ImageStatus};

/// What the catalog says of the base image each service's next build uses (`base`). Blocked
/// versions are errors, candidates are allowed in the first environment only, deprecated
/// versions are warnings until their deadline and errors after it. An unexpired exception for
/// the service turns an error into a warning.
pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    let envs = cx.env_names();
    for (name, service) in &spec.services {
        let deployed: Vec<&str> = envs
            .iter()
            .copied()
            .filter(|env| service.deployed_to(env))
            .collect();
        if let Some(base) = &service.base {
            check_use(cx, name, base, &deployed, &["services", name, "base"]);
        }
    }
}

/// The same verdicts on the bases versions already running were built on (`built_on`); an
/// entry for a version that runs nowhere is a warning.
pub(super) fn check_running(cx: &mut Context<'_>) {
    let spec = cx.spec;
    let envs = cx.env_names();
    for (name, service) in &spec.services {
        for (version, base) in &service.built_on {
            let running: Vec<&str> = envs
                .iter()
                .copied()
                .filter(|env| service.running_tags([*env]).contains(version))
                .collect();
            let path = ["services", name.as_str(), "built_on", version.as_str()];
            if running.is_empty() {
                cx.report(
                    Diagnostic::warning(format!(
                        "`{name}` runs version {version} nowhere, so what it was built on no longer matters"
                    ))
                    .at(cx.spans.key(&path))
                    .label("runs nowhere")
                    .help(format!("remove `built_on.\"{version}\"`")),
                );
                continue;
            }
            check_use(cx, name, base, &running, &path);
        }
    }
}

/// One base a service uses in `environments`, written at `path`.
fn check_use(cx: &mut Context<'_>, name: &str, base: &str, environments: &[&str], path: &[&str]) {
    let spec = cx.spec;
    let Some((image, version)) = base.split_once(':') else {
        return;
    };
    let Some(catalog) = spec.base_images.get(image) else {
        return;
    };
    let Some(entry) = catalog.versions.get(version) else {
        return;
    };
    let Some(problem) = problem(cx, name, base, environments, entry) else {
        return;
    };
    let span = cx.spans.value(path);
    let help = if path.contains(&"built_on") {
        rebuild_help(name, image, catalog)
    } else {
        upgrade_help(name, image, catalog)
    };
    let exception = spec
        .exceptions
        .iter()
        .find(|e| e.service == *name && e.base == base);
    let diagnostic = match (problem, exception) {
        (Problem::Warning(message), _) => Diagnostic::warning(message).help(help),
        (Problem::Error(message), Some(exception)) if exception.expires >= cx.today => {
            Diagnostic::warning(format!(
                "{message} (allowed by exception {} until {})",
                exception.ticket, exception.expires
            ))
            .help(help)
        }
        (Problem::Error(message), Some(exception)) => Diagnostic::error(message).help(format!(
            "exception {} expired on {}; {help}",
            exception.ticket, exception.expires
        )),
        (Problem::Error(message), None) => Diagnostic::error(message).help(format!(
            "{help}, or add a time-limited exception under `[[exceptions]]`"
        )),
    };
    let kind = if path.contains(&"built_on") {
        Kind::RunningBuildBase
    } else {
        Kind::NewBuildBase
    };
    cx.report(
        diagnostic
            .at(span)
            .label(format!("{} base image", entry.status.as_str()))
            .kind(kind),
    );
}

enum Problem {
    Error(String),
    Warning(String),
}

fn problem(
    cx: &Context<'_>,
    name: &str,
    base: &str,
    environments: &[&str],
    entry: &crate::spec::BaseImageVersion,
) -> Option<Problem> {
    match entry.status {
        ImageStatus::Approved => None,
        ImageStatus::Blocked => Some(Problem::Error(format!(
            "base image `{base}` is blocked: {}",
            entry.reason.as_deref().unwrap_or("no reason given")
        ))),
        ImageStatus::Candidate => {
            let first = cx.spec.environments.keys().next()?;
            let beyond: Vec<&str> = environments
                .iter()
                .copied()
                .filter(|env| env != first)
                .collect();
            (!beyond.is_empty()).then(|| {
                Problem::Error(format!(
                    "base image `{base}` is a candidate, allowed only in `{first}`, but `{name}` also runs in {}",
                    beyond.join(", ")
                ))
            })
        }
        ImageStatus::Deprecated => {
            let reason = entry
                .reason
                .as_deref()
                .map_or_else(String::new, |r| format!(" ({r})"));
            Some(match entry.deadline {
                Some(deadline) if cx.today > deadline => Problem::Error(format!(
                    "base image `{base}` is deprecated{reason}, and its deadline {deadline} has passed"
                )),
                Some(deadline) => Problem::Warning(format!(
                    "base image `{base}` is deprecated{reason}; allowed until {deadline}"
                )),
                None => Problem::Warning(format!("base image `{base}` is deprecated{reason}")),
            })
        }
    }
}

/// A running version keeps its base until a new version, built on an approved one, replaces it.
fn rebuild_help(service: &str, image: &str, catalog: &BaseImage) -> String {
    match newest_approved(catalog) {
        Some(newest) => format!(
            "release a new version of `{service}`, built on `{image}:{newest}`, the newest approved version"
        ),
        None => format!("base image `{image}` has no approved version; ask the platform team"),
    }
}

fn newest_approved(catalog: &BaseImage) -> Option<&str> {
    catalog
        .versions
        .iter()
        .filter(|(_, v)| v.status == ImageStatus::Approved)
        .map(|(version, _)| version.as_str())
        .max_by(|a, b| compare_versions(a, b))
}

fn upgrade_help(service: &str, image: &str, catalog: &BaseImage) -> String {
    match newest_approved(catalog) {
        Some(newest) => {
            format!("move `{service}` to `{image}:{newest}`, the newest approved version")
        }
        None => format!("base image `{image}` has no approved version; ask the platform team"),
    }
}

/// Each exception names a base image version of the catalog and has not expired.
pub(super) fn check_exceptions(cx: &mut Context<'_>) {
    for (i, exception) in cx.spec.exceptions.iter().enumerate() {
        check_exception(cx, i, exception);
    }
}

/// An exception names a base image version of the catalog, and is removed once it expires
/// or once its service no longer needs it.
fn check_exception(cx: &mut Context<'_>, index: usize, exception: &Exception) {
    let index = index.to_string();
    let known = exception
        .base
        .split_once(':')
        .and_then(|(image, version)| cx.spec.base_images.get(image)?.versions.get(version));
    let Some(entry) = known else {
        let span = cx.spans.value(&["exceptions", &index, "base"]);
        cx.report(
            Diagnostic::error(format!(
                "exception {} names `{}`, which is not a base image version of the catalog",
                exception.ticket, exception.base
            ))
            .at(span)
            .label("unknown base image version")
            .help("write it as `name:version` of `[base_images]`"),
        );
        return;
    };
    if exception.expires < cx.today {
        let span = cx.spans.value(&["exceptions", &index, "expires"]);
        cx.report(
            Diagnostic::warning(format!(
                "exception {} for `{}` expired on {}; remove it",
                exception.ticket, exception.service, exception.expires
            ))
            .at(span)
            .label("expired"),
        );
    } else if let Some(why) = unneeded(cx, exception, entry.status) {
        // The exception still exempts the service from the cluster policy, as the spec says:
        // removing it is a reviewed change, and the warning asks for it.
        cx.report(
            Diagnostic::warning(format!(
                "exception {} lets `{}` keep `{}`, {why}",
                exception.ticket, exception.service, exception.base
            ))
            .at(cx.spans.key(&["exceptions", &index]))
            .label("needed no more")
            .help(format!(
                "remove this `[[exceptions]]` entry: while it stands, the cluster policy still lets `{}` run on `{}` (`fleetc except` grants one again should it need one)",
                exception.service, exception.base
            )),
        );
    }
}

/// Why `exception` is needed no more, if it is not: its base is approved, or its service is
/// built on that base neither for its next build nor for a version it runs.
fn unneeded(cx: &Context<'_>, exception: &Exception, status: ImageStatus) -> Option<String> {
    if status == ImageStatus::Approved {
        return Some("which is approved: no exception is needed".to_owned());
    }
    let service = cx.spec.services.get(&exception.service)?;
    let running = service.running_on(&exception.base, cx.env_names());
    (service.base.as_ref() != Some(&exception.base) && running.is_empty()).then(|| {
        "which it needs no more: neither its next build nor a version it runs is built on it"
            .to_owned()
    })
}
