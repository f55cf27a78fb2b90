//! A literal secret in `env` is refused before it reaches Git, found by the variable's name or
//! by its value, at any layer: exit 2, located at the value, the value masked, nothing written.

use crate::common;

use common::Workspace;

/// Refuses `variable = value` written at `from`'s place, at the value, without repeating it.
fn refused(from: &str, variable: &str, value: &str, what: &str) {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let to = from.replace(" }", &format!(", {variable} = \"{value}\" }}"));
    ws.edit_spec(from, &to);
    let (code, _, stderr) = ws.run(&["build", "--color", "never"]);
    assert_eq!(code, 2, "{variable} = {value}: {stderr}");
    assert!(stderr.contains(what), "{variable}: {stderr}");
    assert!(stderr.contains("secrets = {"), "{variable}: {stderr}");
    assert!(
        !stderr.contains(value),
        "{variable}: the value is repeated\n{stderr}"
    );
    let line = std::fs::read_to_string(ws.path("spec/enterprise.toml"))
        .unwrap()
        .lines()
        .position(|l| l.contains(value))
        .unwrap()
        + 1;
    assert!(
        stderr.contains(&format!("--> spec/enterprise.toml:{line}:")),
        "{variable}: {stderr}"
    );
    assert!(!ws.path("generated").exists(), "{variable}: written");
}

#[test]
fn variables_named_like_secrets_in_other_words_are_refused() {
    for (from, variable) in [
        ("env = { LOG_FORMAT = \"json\" }", "SECRET_KEY_BASE"),
        ("env = { SESSION_TTL = \"3600\" }", "RABBITMQ_DEFAULT_PASS"),
        ("env = { PSP_MODE = \"live\" }", "DB_PWD"),
        ("env = { ORDER_EXPORT = \"on\" }", "JWT_SIGNING_KEY"),
    ] {
        refused(from, variable, "plain-text-1", "looks like a secret");
    }
}

#[test]
fn values_that_hold_a_credential_are_refused_whatever_the_name() {
    for (from, variable, value, what) in [
        (
            "env = { LOG_FORMAT = \"json\" }",
            "DATABASE_URL",
            "postgres://app:hunter2@db:5432/orders",
            "a password in a URL's user info",
        ),
        (
            "env = { SESSION_TTL = \"3600\" }",
            "ConnectionStrings__Orders",
            "Server=db;User Id=app;Password=hunter2;",
            "a password in a connection string",
        ),
        (
            "env = { PSP_MODE = \"live\" }",
            "AWS_KEY_ID",
            "AKIAIOSFODNN7EXAMPLE",
            "an AWS access key id",
        ),
        (
            "env = { ORDER_EXPORT = \"on\" }",
            "GH",
            "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
            "a GitHub token",
        ),
        (
            "env = { NEXT_TELEMETRY_DISABLED = \"1\" }",
            "TLS_KEY_PEM",
            "-----BEGIN PRIVATE KEY-----",
            "a private key",
        ),
    ] {
        refused(from, variable, value, what);
    }
}

#[test]
fn a_password_given_as_a_reference_and_urls_without_one_are_accepted() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    ws.edit_spec(
        "env = { LOG_FORMAT = \"json\" }",
        "env = { LOG_FORMAT = \"json\", CATALOG_URL = \"https://catalog.shop.svc:8080/v1?page=1\", CACHE_URL = \"redis://cache@redis:6379/0\", DB_URL = \"postgres://app:$(DB_PASSWORD)@db/orders\" }",
    );
    let (code, _, stderr) = ws.run(&["validate", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    assert!(!stderr.contains("literal secret"), "{stderr}");
}
