use super::context::Context;
use super::env_tables::env_tables;
use crate::formats::secret_name::named_like_a_secret as looks_secret;
use crate::formats::secret_value::credential_in;
use crate::source::diagnostic::Diagnostic;

/// The spec and everything generated from it live in Git: a variable named like a password or
/// token with a literal value, or any variable whose value holds a credential (a password in a
/// URL or connection string, a key or token of a well-known shape), is refused before it
/// reaches a repository. A variable's name must also be one the API server accepts.
pub(super) fn check(cx: &mut Context<'_>) {
    for (path, variables) in env_tables(cx.spec) {
        for (variable, value) in variables {
            let mut at: Vec<&str> = path.iter().map(String::as_str).collect();
            at.push(variable);
            if let Some(problem) = variable_name_problem(variable) {
                cx.report(
                    invalid_variable_name(variable, problem, "LOG_LEVEL").at(cx.spans.key(&at)),
                );
            }
            let message = if value.is_empty() {
                continue;
            } else if looks_secret(variable) {
                format!("`{variable}` looks like a secret, and its value would be committed to Git")
            } else if let Some(credential) = credential_in(value) {
                format!(
                    "the value of `{variable}` holds {credential}, and it would be committed to Git"
                )
            } else {
                continue;
            };
            cx.report(
                Diagnostic::error(message)
                .at(cx.spans.value(&at))
                .redacted()
                .label("literal secret")
                .help(format!("read it from the environment's secret store by reference instead: `secrets = {{ {variable} = \"<entry>#<property>\" }}`")),
            );
        }
    }
}

/// Why Kubernetes refuses `name` as an environment variable name, if it does: every version
/// refuses an empty name, `=` and characters that are not printable ASCII.
/// The error for a variable name Kubernetes refuses, with a name like the ones the table
/// holds as its example.
pub(super) fn invalid_variable_name(variable: &str, problem: &str, example: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "variable name `{}` is not valid: {problem}",
        variable.escape_debug()
    ))
    .label("invalid name")
    .help(format!(
        "for example `{example}`: letters, digits, `_`, `-` and `.`"
    ))
}

pub(super) fn variable_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    if name.contains('=') {
        return Some("it contains `=`");
    }
    if !name.chars().all(|c| c.is_ascii_graphic()) {
        return Some("it contains spaces, control characters or non-ASCII letters");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{looks_secret, variable_name_problem};

    #[test]
    fn variable_names_the_api_server_accepts() {
        for good in ["LOG_LEVEL", "a.b-c", "_X1"] {
            assert_eq!(variable_name_problem(good), None, "{good}");
        }
        for bad in ["", "A=B", "LOG LEVEL", "NIVEAU_\u{e9}", "A\tB"] {
            assert!(variable_name_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn names_like_secrets() {
        for secret in [
            "DB_PASSWORD",
            "github_token",
            "STRIPE_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET",
            "SECRET_KEY_BASE",
            "DJANGO_SECRET_KEY",
            "RABBITMQ_DEFAULT_PASS",
            "DB_PWD",
            "JWT_SIGNING_KEY",
            "DATA_ENCRYPTION_KEY",
            "SSH_KEY_PASSPHRASE",
        ] {
            assert!(looks_secret(secret), "{secret}");
        }
        for plain in [
            "TOKEN_TTL",
            "LOG_FORMAT",
            "SESSION_TTL",
            "PASSWORD_MIN_LENGTH",
            "BYPASS",
            "COMPASS",
            "CACHE_KEY",
            "PASSWORD_RESET_URL",
        ] {
            assert!(!looks_secret(plain), "{plain}");
        }
    }
}
