//! Values that hold a credential, whatever their variable is called: a password in a URL or a
//! connection string, and the shapes of well-known keys and tokens. A password written as a
//! `$(NAME)` reference to another variable is not one.

/// What credential `value` holds, if it holds one.
pub(crate) fn credential_in(value: &str) -> Option<&'static str> {
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY-----") {
        return Some("a private key");
    }
    if url_password(value) {
        return Some("a password in a URL's user info");
    }
    if connection_string_password(value) {
        return Some("a password in a connection string");
    }
    TOKENS
        .iter()
        .find(|token| token.found_in(value))
        .map(|token| token.what)
}

/// `scheme://user:password@host`: the user info of any URL in the value holds a password.
fn url_password(value: &str) -> bool {
    value.match_indices("://").any(|(at, _)| {
        let rest = &value[at + 3..];
        let end = rest
            .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
            .unwrap_or(rest.len());
        let authority = &rest[..end];
        authority
            .rsplit_once('@')
            .and_then(|(user_info, _)| user_info.split_once(':'))
            .is_some_and(|(_, password)| is_literal(password))
    })
}

/// `Password=…` / `pwd=…` among `key=value` pairs separated by `;`, `&`, `?` or spaces (ADO.NET,
/// JDBC, libpq and query strings).
fn connection_string_password(value: &str) -> bool {
    value
        .split(|c: char| matches!(c, ';' | '&' | '?') || c.is_whitespace())
        .filter_map(|pair| pair.split_once('='))
        .any(|(key, password)| {
            ["password", "pwd", "passwd", "pass"]
                .iter()
                .any(|name| key.trim().eq_ignore_ascii_case(name))
                && is_literal(password)
        })
}

/// A password given as text, not left empty nor written as `$(NAME)`.
fn is_literal(password: &str) -> bool {
    let password = password.trim();
    let reference = password
        .strip_prefix("$(")
        .and_then(|p| p.strip_suffix(')'))
        .is_some_and(|name| !name.is_empty() && !name.contains(['(', ')']));
    !password.is_empty() && !reference
}

/// A key or token recognised by its prefix and the characters that follow it.
struct Token {
    what: &'static str,
    prefixes: &'static [&'static str],
    /// How many characters of the body, at least (exactly, with `exact`).
    body: usize,
    exact: bool,
    body_char: fn(char) -> bool,
}

impl Token {
    fn found_in(&self, value: &str) -> bool {
        self.prefixes.iter().any(|prefix| {
            value.match_indices(prefix).any(|(at, _)| {
                let starts_a_word = !value[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric());
                let body = value[at + prefix.len()..]
                    .chars()
                    .take_while(|c| (self.body_char)(*c))
                    .count();
                let long_enough = if self.exact {
                    body == self.body
                } else {
                    body >= self.body
                };
                starts_a_word && long_enough
            })
        })
    }
}

fn upper_or_digit(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

fn alphanumeric(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn alphanumeric_or_dash(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

const TOKENS: &[Token] = &[
    Token {
        what: "an AWS access key id",
        prefixes: &["AKIA", "ASIA"],
        body: 16,
        exact: true,
        body_char: upper_or_digit,
    },
    Token {
        what: "a GitHub token",
        prefixes: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        body: 36,
        exact: false,
        body_char: alphanumeric,
    },
    Token {
        what: "a GitHub token",
        prefixes: &["github_pat_"],
        body: 22,
        exact: false,
        body_char: alphanumeric_or_dash,
    },
    Token {
        what: "a GitLab token",
        prefixes: &["glpat-"],
        body: 20,
        exact: false,
        body_char: alphanumeric_or_dash,
    },
    Token {
        what: "a Slack token",
        prefixes: &["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"],
        body: 10,
        exact: false,
        body_char: alphanumeric_or_dash,
    },
    Token {
        what: "a Stripe live key",
        prefixes: &["sk_live_", "rk_live_"],
        body: 16,
        exact: false,
        body_char: alphanumeric,
    },
];

#[cfg(test)]
mod tests {
    use super::credential_in;
    use proptest::prelude::*;

    #[test]
    fn credentials_are_found_in_values() {
        for (value, what) in [
            ("postgres://app:hunter2@db.internal:5432/orders", "URL"),
            ("redis://:s3cret@cache:6379/0", "URL"),
            ("amqp://guest:guest@rabbitmq", "URL"),
            ("mongodb://u:p@h1,h2/db?replicaSet=rs0", "URL"),
            (
                "Server=db;Database=orders;User Id=app;Password=hunter2;",
                "connection string",
            ),
            ("host=db user=app pwd=hunter2", "connection string"),
            (
                "jdbc:sqlserver://db:1433;database=x;password=hunter2",
                "connection string",
            ),
            (
                "https://api.example/v1?user=a&passwd=b",
                "connection string",
            ),
            ("AKIAIOSFODNN7EXAMPLE", "AWS"),
            ("key=ASIAIOSFODNN7EXAMPLE", "AWS"),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----",
                "private key",
            ),
            ("-----BEGIN OPENSSH PRIVATE KEY-----", "private key"),
            ("ghp_0123456789abcdefghijklmnopqrstuvwxyz", "GitHub"),
            ("github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "GitHub"),
            ("glpat-abcdefghij0123456789", "GitLab"),
            ("xoxb-123456789012-abcdef", "Slack"),
            ("sk_live_0123456789abcdefABCD", "Stripe"),
        ] {
            let found = credential_in(value);
            assert!(
                found.is_some_and(|f| f.contains(what) || (what == "URL" && f.contains("URL"))),
                "{value}: {found:?}"
            );
        }
    }

    #[test]
    fn ordinary_values_hold_none() {
        for value in [
            "",
            "json",
            "https://api.example.com/v1/orders?page=2",
            "postgres://app@db.internal:5432/orders",
            "postgres://app:$(DB_PASSWORD)@db.internal:5432/orders",
            "Server=db;User Id=app;Password=$(DB_PASSWORD);",
            "Password=;",
            "$(SERVICE_HOST):8080",
            "http://otel-collector.observability:4317",
            "users.shop.svc.cluster.local",
            "user@example.com",
            "mailto:ops@example.com",
            "PASSWORD_MIN_LENGTH=12",
            "AKIA",
            "XAKIAIOSFODNN7EXAMPLE",
            "ghp_short",
            "-----BEGIN CERTIFICATE-----",
        ] {
            assert_eq!(credential_in(value), None, "{value}");
        }
    }

    proptest! {
        #[test]
        fn urls_without_passwords_hostnames_and_references_stay_quiet(
            scheme in "(https?|postgres|redis|amqp|grpc)",
            user in proptest::option::of("[a-z][a-z0-9_-]{0,8}"),
            host in "[a-z][a-z0-9-]{0,12}(\\.[a-z][a-z0-9-]{0,8}){0,3}",
            port in proptest::option::of(1u16..),
            path in "(/[a-zA-Z0-9._~-]{0,10}){0,3}",
            query in proptest::option::of("[a-z]{1,6}=[a-zA-Z0-9]{0,8}(&[a-z]{1,6}=[a-zA-Z0-9]{0,8}){0,2}"),
            reference in "[A-Z][A-Z0-9_]{0,15}",
        ) {
            let user = user.map(|u| format!("{u}@")).unwrap_or_default();
            let port = port.map(|p| format!(":{p}")).unwrap_or_default();
            let query = query.map(|q| format!("?{q}")).unwrap_or_default();
            let url = format!("{scheme}://{user}{host}{port}{path}{query}");
            prop_assert_eq!(credential_in(&url), None, "{}", url);
            prop_assert_eq!(credential_in(&host), None, "{}", host);
            let with_reference = format!("{scheme}://app:$({reference})@{host}{port}{path}");
            prop_assert_eq!(credential_in(&with_reference), None, "{}", with_reference);
            let composed = format!("$({reference}){port}");
            prop_assert_eq!(credential_in(&composed), None, "{}", composed);
        }
    }
}
