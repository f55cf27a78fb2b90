//! How services' containers run, against what their environments enforce: each setting is a
//! value Kubernetes takes, a service that needs a more permissive Pod Security level than an
//! environment enforces holds an exception with its reason, and an exception is for a service
//! that needs it.

use super::context::Context;
use super::references::undeclared;
use crate::source::diagnostic::{Diagnostic, did_you_mean};
use crate::spec::{CAPABILITIES, PodSecurityLevel, SecurityException, Service};

/// Kubernetes' bounds for a user or group ID.
const MAX_ID: i64 = 2_147_483_647;

pub(super) fn check(cx: &mut Context<'_>) {
    for (name, service) in &cx.spec.services {
        let Some(security) = &service.security else {
            continue;
        };
        for (field, value) in [
            ("user", security.user),
            ("group", security.group),
            ("fs_group", security.fs_group),
        ] {
            if let Some(value) = value.filter(|v| !(0..=MAX_ID).contains(v)) {
                cx.report(
                    Diagnostic::error(format!(
                        "`{field} = {value}` of `{name}` is no user or group ID"
                    ))
                    .at(cx.spans.value(&["services", name, "security", field]))
                    .label("out of range")
                    .help(format!("an ID from 0 (root) to {MAX_ID}")),
                );
            }
        }
        for (index, capability) in security.capabilities.iter().enumerate() {
            if let Some(problem) = capability_problem(capability) {
                let index = index.to_string();
                cx.report(
                    Diagnostic::error(format!(
                        "`{}` is not a Linux capability a container can add",
                        capability.escape_debug()
                    ))
                    .at(cx
                        .spans
                        .value(&["services", name, "security", "capabilities", &index]))
                    .label("unknown capability")
                    .help(problem),
                );
            }
        }
    }
    check_levels(cx);
    for (index, exception) in cx.spec.security_exceptions.iter().enumerate() {
        check_exception(cx, index, exception);
    }
}

/// What to write instead of `capability`, if it is not one.
fn capability_problem(capability: &str) -> Option<String> {
    if CAPABILITIES.contains(&capability) {
        return None;
    }
    let upper = capability.to_ascii_uppercase();
    let bare = upper.strip_prefix("CAP_").unwrap_or(&upper);
    if CAPABILITIES.contains(&bare) {
        return Some(format!("Kubernetes names it `{bare}`"));
    }
    if bare == "ALL" {
        return Some(
            "name each capability the container needs: adding all of them is running privileged"
                .to_owned(),
        );
    }
    Some(match did_you_mean(bare, CAPABILITIES.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => {
            "a name of `capabilities(7)` without `CAP_`, for example `NET_BIND_SERVICE`".to_owned()
        }
    })
}

/// The environments `service` runs in.
fn runs_in<'a>(cx: &Context<'a>, service: &Service) -> Vec<&'a str> {
    cx.env_names()
        .into_iter()
        .filter(|env| {
            service
                .environments
                .as_ref()
                .is_none_or(|listed| listed.iter().any(|e| e == env))
        })
        .collect()
}

/// The most permissive level the exceptions of `service` grant in `env`.
fn granted(cx: &Context<'_>, service: &str, env: &str) -> Option<PodSecurityLevel> {
    cx.spec
        .security_exceptions
        .iter()
        .filter(|e| e.service == service)
        .filter(|e| {
            e.environments
                .as_ref()
                .is_none_or(|listed| listed.iter().any(|l| l == env))
        })
        .map(|e| e.level)
        .max()
}

/// A service whose settings need more than an environment it runs in enforces, with no
/// exception to let it, is refused there: admission would refuse its pods.
fn check_levels(cx: &mut Context<'_>) {
    for (name, service) in &cx.spec.services {
        let Some(security) = &service.security else {
            continue;
        };
        // An unknown capability is reported as such; the level it would need is no question.
        if security
            .capabilities
            .iter()
            .any(|c| capability_problem(c).is_some())
        {
            continue;
        }
        let (needs, why) = security.level_needed();
        if needs == PodSecurityLevel::Restricted {
            continue;
        }
        let refusing: Vec<String> = runs_in(cx, service)
            .into_iter()
            .filter_map(|env| {
                let enforced = cx.spec.environments.get(env)?.pod_security;
                let granted = granted(cx, name, env).filter(|g| *g > enforced);
                let allowed = granted.unwrap_or(enforced);
                (needs > allowed).then(|| match granted {
                    Some(granted) => format!("`{env}` ({} by exception)", granted.as_str()),
                    None => format!("`{env}` ({})", enforced.as_str()),
                })
            })
            .collect();
        if refusing.is_empty() {
            continue;
        }
        let (field, _) = why.first().expect("a level above restricted has a reason");
        let places = refusing.join(", ");
        let reasons = why
            .iter()
            .map(|(_, reason)| reason.as_str())
            .collect::<Vec<_>>()
            .join(" and ");
        let verb = if refusing.len() == 1 {
            "allows"
        } else {
            "allow"
        };
        cx.report(
            Diagnostic::error(format!(
                "`{name}` {reasons}, which needs the `{}` Pod Security level; {places} {verb} less",
                needs.as_str()
            ))
            .at(cx.spans.value(&["services", name, "security", field]))
            .label(format!("needs `{}`", needs.as_str()))
            .help(format!(
                "run it within `restricted` (a user other than 0, only `NET_BIND_SERVICE` added), or have the platform team grant it: `[[security_exceptions]]` with `service = \"{name}\"`, `level = \"{}\"` and the `reason`",
                needs.as_str()
            )),
        );
    }
}

fn check_exception(cx: &mut Context<'_>, index: usize, exception: &SecurityException) {
    let index = index.to_string();
    let spec = cx.spec;
    let Some(service) = spec.services.get(&exception.service) else {
        let declared: Vec<&str> = spec.services.keys().map(String::as_str).collect();
        let span = cx.spans.value(&["security_exceptions", &index, "service"]);
        cx.report(undeclared("service", &exception.service, &declared).at(span));
        return;
    };
    if exception.level == PodSecurityLevel::Restricted {
        cx.report(
            Diagnostic::error(format!(
                "a security exception for `{}` grants `restricted`, which every environment allows",
                exception.service
            ))
            .at(cx.spans.value(&["security_exceptions", &index, "level"]))
            .label("grants nothing")
            .help("an exception grants `baseline` or `privileged`"),
        );
    }
    if exception.reason.trim().is_empty() {
        cx.report(
            Diagnostic::error(format!(
                "the security exception for `{}` gives no reason",
                exception.service
            ))
            .at(cx.spans.value(&["security_exceptions", &index, "reason"]))
            .label("empty reason")
            .help("say why the service needs it: reviewers read it in the spec and in `plan`"),
        );
    }
    let running = runs_in(cx, service);
    for (i, env) in exception.environments.iter().flatten().enumerate() {
        if !running.contains(&env.as_str()) {
            let i = i.to_string();
            let span = cx
                .spans
                .value(&["security_exceptions", &index, "environments", &i]);
            cx.report(
                Diagnostic::error(format!(
                    "the security exception for `{}` names `{env}`, where it does not run",
                    exception.service
                ))
                .at(span)
                .label("not an environment of the service")
                .help(format!("it runs in {}", running.join(", "))),
            );
        }
    }
    let needs = service
        .security
        .as_ref()
        .map_or(PodSecurityLevel::Restricted, |s| s.level_needed().0);
    let covered: Vec<&str> = running
        .iter()
        .copied()
        .filter(|env| {
            exception
                .environments
                .as_ref()
                .is_none_or(|listed| listed.iter().any(|l| l == env))
        })
        .collect();
    let lifts_anything = covered.iter().any(|env| {
        spec.environments
            .get(*env)
            .is_some_and(|e| needs > e.pod_security)
    });
    if exception.level > PodSecurityLevel::Restricted && !lifts_anything {
        cx.report(
            Diagnostic::warning(format!(
                "the security exception for `{}` is not needed: its settings need `{}`, which its environments allow",
                exception.service,
                needs.as_str()
            ))
            .at(cx.spans.key(&["security_exceptions", &index]))
            .label("needed no more")
            .help("remove it: while it stands, the cluster still lets the service's pods run at the level it grants"),
        );
    } else if exception.level > needs && needs > PodSecurityLevel::Restricted {
        cx.report(
            Diagnostic::warning(format!(
                "the security exception for `{}` grants `{}`, but its settings need `{}`",
                exception.service,
                exception.level.as_str(),
                needs.as_str()
            ))
            .at(cx.spans.value(&["security_exceptions", &index, "level"]))
            .label("more than needed")
            .help(format!("grant `{}`", needs.as_str())),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::capability_problem;

    #[test]
    fn a_capability_is_named_as_kubernetes_names_it() {
        assert_eq!(capability_problem("NET_ADMIN"), None);
        assert_eq!(
            capability_problem("CAP_NET_ADMIN").as_deref(),
            Some("Kubernetes names it `NET_ADMIN`")
        );
        assert_eq!(
            capability_problem("net_bind_service").as_deref(),
            Some("Kubernetes names it `NET_BIND_SERVICE`")
        );
        assert!(capability_problem("ALL").unwrap().contains("privileged"));
        assert_eq!(
            capability_problem("NET_ADMN").as_deref(),
            Some("did you mean `NET_ADMIN`?")
        );
    }
}
