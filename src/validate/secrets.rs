use super::Context;
use crate::diagnostic::Diagnostic;

const SECRET_ENDINGS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "CREDENTIALS",
    "ACCESS_KEY",
];

/// The spec and everything generated from it live in Git: a variable named like a password or
/// token with a literal value is refused, before it reaches a repository.
pub fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    let mut tables: Vec<(Vec<String>, &indexmap::IndexMap<String, String>)> =
        vec![(vec!["defaults".into(), "env".into()], &spec.defaults.env)];
    for (name, service) in &spec.services {
        tables.push((
            vec!["services".into(), name.clone(), "env".into()],
            &service.env,
        ));
        for (env, over) in &service.overrides {
            let path = vec![
                "services".into(),
                name.clone(),
                "overrides".into(),
                env.clone(),
                "env".into(),
            ];
            tables.push((path, &over.env));
        }
    }
    for (path, variables) in tables {
        for (variable, value) in variables {
            if value.is_empty() || !looks_secret(variable) {
                continue;
            }
            let mut at: Vec<&str> = path.iter().map(String::as_str).collect();
            at.push(variable);
            cx.report(
                Diagnostic::error(format!(
                    "`{variable}` looks like a secret, and its value would be committed to Git"
                ))
                .at(cx.spans.value(&at))
                .label("literal secret")
                .help("keep secrets in a secret store (External Secrets, Sealed Secrets, Vault) and mount them into the pod; leave them out of the spec"),
            );
        }
    }
}

fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_ENDINGS.iter().any(|ending| upper.ends_with(ending))
}

#[cfg(test)]
mod tests {
    use super::looks_secret;

    #[test]
    fn names_like_secrets() {
        for secret in [
            "DB_PASSWORD",
            "github_token",
            "STRIPE_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET",
        ] {
            assert!(looks_secret(secret), "{secret}");
        }
        for plain in [
            "TOKEN_TTL",
            "LOG_FORMAT",
            "SESSION_TTL",
            "PASSWORD_MIN_LENGTH",
        ] {
            assert!(!looks_secret(plain), "{plain}");
        }
    }
}
