//! In production, a variable named like a secret reads a Secret (`valueFrom`), never a
//! literal value: the compile-time check, enforced again for pods that reach the cluster by
//! any other way.

use serde_json::{Value, json};

use super::kyverno::{containers_pattern, pod_rule, policy};
use crate::formats::secret_name::SECRET_ENDINGS;
use crate::model::{EnvironmentModel, Model};

pub(super) fn require_secret_references(model: &Model, env: &EnvironmentModel) -> Value {
    let rule = pod_rule(
        env,
        "no-literal-secrets",
        "Variables named like secrets read a Secret (valueFrom.secretKeyRef), never a literal value.",
        &containers_pattern(&json!({
            "=(env)": [{ "(name)": secret_names(), "X(value)": "null" }],
        })),
    );
    policy(
        model,
        env,
        "secrets-by-reference",
        "Secrets are read from the secret store, never written into a manifest.",
        vec![rule],
    )
}

/// Kyverno's wildcards match case by case: each ending in capitals and in lowercase (names
/// in mixed case are refused when the spec compiles).
fn secret_names() -> String {
    SECRET_ENDINGS
        .iter()
        .flat_map(|ending| [format!("*{ending}"), format!("*{}", ending.to_lowercase())])
        .collect::<Vec<_>>()
        .join(" | ")
}

#[cfg(test)]
mod tests {
    use super::secret_names;

    /// Kyverno's reading of the alternatives: each is `*` and a literal ending.
    fn kyverno_matches(name: &str) -> bool {
        secret_names()
            .split(" | ")
            .any(|alternative| name.ends_with(alternative.trim_start_matches('*')))
    }

    #[test]
    fn names_the_compiler_refuses_as_literals_the_cluster_refuses_too() {
        for name in [
            "DB_PASSWORD",
            "github_token",
            "STRIPE_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET",
            "gcp_credentials",
            "RABBITMQ_DEFAULT_PASS",
            "SECRET_KEY_BASE",
        ] {
            assert!(kyverno_matches(name), "{name}");
        }
        for plain in [
            "LOG_FORMAT",
            "TOKEN_TTL",
            "PASSWORD_MIN_LENGTH",
            "SESSION_TTL",
            "BYPASS",
        ] {
            assert!(!kyverno_matches(plain), "{plain}");
        }
    }
}
