use std::collections::HashMap;

use super::context::Context;
use crate::source::diagnostic::Diagnostic;

/// A route is an absolute path prefix, and one environment serves each route once.
/// Two services serving one route: (first owner, second owner, route).
type Clash<'a> = (&'a str, &'a str, &'a str);

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    let mut clashes: Vec<(Clash<'_>, Vec<&str>)> = Vec::new();
    for env in spec.environments.keys() {
        let mut taken: HashMap<&str, &str> = HashMap::new();
        for (name, service) in &spec.services {
            let Some(route) = service.route.as_deref() else {
                continue;
            };
            let deployed = service
                .environments
                .as_ref()
                .is_none_or(|envs| envs.contains(env));
            if !deployed || route_problem(route).is_some() {
                continue;
            }
            let normalized = match route.trim_end_matches('/') {
                "" => "/",
                trimmed => trimmed,
            };
            if let Some(first) = taken.get(normalized) {
                let key = (*first, name.as_str(), route);
                match clashes.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, envs)) => envs.push(env),
                    None => clashes.push((key, vec![env])),
                }
            } else {
                taken.insert(normalized, name);
            }
        }
    }
    for ((first, second, route), envs) in clashes {
        let plural = if envs.len() == 1 { "" } else { "s" };
        cx.report(
            Diagnostic::error(format!(
                "route `{route}` is used twice in environment{plural} {}: by `{first}` and by `{second}`",
                envs.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")
            ))
            .at(cx.spans.value(&["services", second, "route"]))
            .label("route already taken")
            .help(format!("give `{second}` a route of its own, or leave `route` out to keep it internal")),
        );
    }
    for (name, service) in &spec.services {
        if let Some(route) = service.route.as_deref()
            && let Some(problem) = route_problem(route)
        {
            cx.report(
                Diagnostic::error(format!("route `{}` {problem}", route.escape_debug()))
                    .at(cx.spans.value(&["services", name, "route"]))
                    .label("invalid route")
                    .help("a route is a path prefix such as `/users` or `/api/v1/orders`"),
            );
        }
    }
}

pub(crate) fn route_problem(route: &str) -> Option<&'static str> {
    if !route.starts_with('/') {
        return Some("does not start with `/`");
    }
    if !route
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/-._~".contains(c))
    {
        return Some("contains characters other than letters, digits and `/-._~`");
    }
    if route.contains("//") {
        return Some("contains an empty segment (`//`)");
    }
    None
}
