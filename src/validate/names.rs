use super::Context;
use crate::diagnostic::Diagnostic;

/// Longest suffix fleetc appends to a service name in an object name (`<svc>-preview`).
pub const LONGEST_SERVICE_SUFFIX: &str = "-preview";
const MAX_LABEL: usize = 63;

/// Names that end up in Kubernetes object names, labels or paths must be DNS-1123 labels,
/// short enough to carry the suffixes fleetc adds.
pub fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    let longest_env_name = spec
        .environments
        .keys()
        .max_by_key(|k| k.len())
        .map_or("", String::as_str);
    let longest_env = longest_env_name.len();
    let env_suffix = Suffix {
        len: 1 + longest_env,
        shown: format!("`-{longest_env_name}` of environment `{longest_env_name}`"),
    };
    let enterprise = &spec.enterprise.name;
    check_label(
        cx,
        "enterprise name",
        enterprise,
        &env_suffix,
        &["enterprise", "name"],
        true,
    );
    for (name, env) in &spec.environments {
        check_label(
            cx,
            "environment name",
            name,
            &Suffix::NONE,
            &["environments", name],
            false,
        );
        if let Some(namespace) = &env.namespace {
            check_label(
                cx,
                "namespace",
                namespace,
                &Suffix::NONE,
                &["environments", name, "namespace"],
                true,
            );
        }
    }
    for name in spec.teams.keys() {
        check_label(
            cx,
            "team name",
            name,
            &Suffix::NONE,
            &["teams", name],
            false,
        );
    }
    // The longer of `-preview` and `-<environment>` limits a service name; naming which one
    // tells the user whether to shorten the service or the environment.
    let suffix = if env_suffix.len > LONGEST_SERVICE_SUFFIX.len() {
        env_suffix
    } else {
        Suffix {
            len: LONGEST_SERVICE_SUFFIX.len(),
            shown: format!("`{LONGEST_SERVICE_SUFFIX}`"),
        }
    };
    for name in spec.services.keys() {
        check_label(
            cx,
            "service name",
            name,
            &suffix,
            &["services", name],
            false,
        );
    }
}

/// What fleetc appends to a name in object names, and how a message names it.
struct Suffix {
    len: usize,
    shown: String,
}

impl Suffix {
    const NONE: Self = Self {
        len: 0,
        shown: String::new(),
    };
}

fn check_label(
    cx: &mut Context<'_>,
    what: &str,
    name: &str,
    suffix: &Suffix,
    path: &[&str],
    at_value: bool,
) {
    let span = if at_value {
        cx.spans.value(path)
    } else {
        cx.spans.key(path)
    };
    if let Some(problem) = dns_label_problem(name) {
        cx.report(
            Diagnostic::error(format!(
                "{what} `{}` is not a valid Kubernetes name: {problem}",
                name.escape_debug()
            ))
            .at(span)
            .label("invalid name")
            .help("use lowercase letters, digits and `-`, starting and ending with a letter or digit (DNS-1123 label)"),
        );
        return;
    }
    // A suffix this long comes from an environment name that is itself too long, which is
    // reported on its own; no length of this name would help.
    let Some(limit) = MAX_LABEL.checked_sub(suffix.len).filter(|&limit| limit > 0) else {
        return;
    };
    if name.len() > limit {
        cx.report(
            Diagnostic::error(format!(
                "{what} `{name}` is {} characters long; at most {limit} fit, because fleetc appends {} ({} characters) and Kubernetes allows {MAX_LABEL}",
                name.len(),
                suffix.shown,
                suffix.len
            ))
            .at(span)
            .label("too long"),
        );
    }
}

/// Why `name` is not a DNS-1123 label, if it is not.
pub fn dns_label_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    if name.len() > MAX_LABEL {
        return Some("it is longer than 63 characters");
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Some("it contains uppercase letters");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Some("it contains characters other than lowercase letters, digits and `-`");
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some("it starts or ends with `-`");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::dns_label_problem;

    #[test]
    fn accepts_dns_labels_and_rejects_the_rest() {
        for good in ["users", "a", "order-api-2", &"a".repeat(63)] {
            assert_eq!(dns_label_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "Users",
            "-users",
            "users-",
            "us_ers",
            "../x",
            "a/b",
            "ünï",
            &"a".repeat(64),
        ] {
            assert!(dns_label_problem(bad).is_some(), "{bad}");
        }
    }
}
