//! The base image catalog at compile time: blocked, candidate and deprecated versions, and
//! time-limited exceptions, judged against `--today`.

use crate::common;

use common::Workspace;

const SPEC: &str = "tests/fixtures/governance.toml";

fn validate(ws: &Workspace, today: &str) -> (i32, String) {
    let (code, _, stderr) = ws.run(&["validate", "--color", "never", "--today", today]);
    (code, stderr)
}

#[test]
fn an_unexpired_exception_turns_a_blocked_image_into_a_warning() {
    let ws = Workspace::with_spec(SPEC);
    let (code, stderr) = validate(&ws, "2026-12-01");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: base image `python:3.10` is blocked: CVE-2026-1234 in libssl (allowed by exception SEC-42 until 2026-12-15)"),
        "{stderr}"
    );
    assert!(stderr.contains("--> spec/enterprise.toml:28:8"), "{stderr}");
    assert!(
        stderr.contains("move `users` to `python:3.12`, the newest approved version"),
        "{stderr}"
    );
}

#[test]
fn after_the_exception_expires_the_blocked_image_is_an_error_again() {
    let ws = Workspace::with_spec(SPEC);
    let (code, stderr) = validate(&ws, "2026-12-16");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error: base image `python:3.10` is blocked: CVE-2026-1234 in libssl"),
        "{stderr}"
    );
    assert!(
        stderr.contains("exception SEC-42 expired on 2026-12-15"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: exception SEC-42 for `users` expired on 2026-12-15; remove it"),
        "{stderr}"
    );
    let (code, _, _) = ws.run(&["build", "--today", "2026-12-16"]);
    assert_eq!(code, 2);
    assert!(!ws.path("generated").exists(), "nothing written");
}

#[test]
fn without_an_exception_a_blocked_image_is_an_error() {
    let ws = Workspace::with_spec(SPEC);
    ws.edit_spec(
        "service = \"users\"\nbase = \"python:3.10\"",
        "service = \"orders\"\nbase = \"python:3.11\"",
    );
    let (code, stderr) = validate(&ws, "2026-12-01");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("add a time-limited exception under `[[exceptions]]`"),
        "{stderr}"
    );
}

#[test]
fn deprecated_versions_warn_until_their_deadline_and_fail_after_it() {
    let ws = Workspace::with_spec(SPEC);
    let (_, before) = validate(&ws, "2026-12-01");
    assert!(
        before.contains("warning: base image `python:3.11` is deprecated (end of support); allowed until 2026-12-31"),
        "{before}"
    );
    let (code, after) = validate(&ws, "2027-01-01");
    assert_eq!(code, 2);
    assert!(
        after.contains("error: base image `python:3.11` is deprecated (end of support), and its deadline 2026-12-31 has passed"),
        "{after}"
    );
}

#[test]
fn candidates_are_allowed_in_the_first_environment_only() {
    let ws = Workspace::with_spec(SPEC);
    let (code, stderr) = validate(&ws, "2026-12-01");
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("candidate"), "{stderr}");
    ws.edit_spec("environments = [\"dev\"]\n", "");
    let (code, stderr) = validate(&ws, "2026-12-01");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("base image `python:3.13` is a candidate, allowed only in `dev`, but `labs` also runs in prod"),
        "{stderr}"
    );
}

#[test]
fn the_tree_does_not_depend_on_the_date() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build", "--today", "2026-11-01"]).0, 0);
    let first = ws.files();
    assert_eq!(ws.run(&["check", "--today", "2026-12-10"]).0, 0);
    assert_eq!(ws.files(), first);
}

#[test]
fn a_bad_today_is_a_usage_error() {
    let ws = Workspace::with_spec(SPEC);
    let (code, _, stderr) = ws.run(&["validate", "--today", "2026-13-01"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is not a date; expected YYYY-MM-DD"),
        "{stderr}"
    );
}

/// Once a service is rebuilt off the base its exception names, the exception exempts nothing
/// it runs: a warning at the exception says so and how to remove it. The cluster policy still
/// exempts the service, as the spec says, until the entry goes.
#[test]
fn an_exception_no_version_needs_any_more_is_a_located_warning() {
    let ws = Workspace::with_spec(SPEC);
    let (_, stderr) = validate(&ws, "2026-12-01");
    assert!(!stderr.contains("needs no more"), "{stderr}");

    ws.edit_spec(
        "base = \"python:3.10\"\nversion = \"1.0.0\"",
        "base = \"python:3.12\"\nversion = \"1.1.0\"\nbuilt_on = { \"1.0.0\" = \"python:3.10\" }\ndeploy.prod = { blue = \"1.0.0\", live = \"blue\" }",
    );
    let (code, stderr) = validate(&ws, "2026-12-01");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !stderr.contains("needs no more"),
        "1.0.0 still runs on python:3.10 in prod: {stderr}"
    );

    ws.edit_spec(
        "built_on = { \"1.0.0\" = \"python:3.10\" }\ndeploy.prod = { blue = \"1.0.0\", live = \"blue\" }\n",
        "",
    );
    let (code, stderr) = validate(&ws, "2026-12-01");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "warning: exception SEC-42 lets `users` keep `python:3.10`, which it needs no more: neither its next build nor a version it runs is built on it"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--> spec/enterprise.toml:42:1"), "{stderr}");
    assert!(
        stderr.contains("remove this `[[exceptions]]` entry"),
        "{stderr}"
    );
    assert_eq!(ws.run(&["build", "--today", "2026-12-01"]).0, 0);
    let policies = std::fs::read_to_string(ws.path("generated/envs/prod/policies.yaml")).unwrap();
    let exclusion = policies
        .split("deny-blocked-python")
        .nth(1)
        .expect("python is still blocked");
    assert!(exclusion.contains("- users"), "{policies}");

    let unblocked = Workspace::with_spec(SPEC);
    unblocked.edit_spec(
        "versions.\"3.10\" = { status = \"blocked\", reason = \"CVE-2026-1234 in libssl\" }",
        "versions.\"3.10\" = { status = \"approved\" }",
    );
    let (code, stderr) = validate(&unblocked, "2026-12-01");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "warning: exception SEC-42 lets `users` keep `python:3.10`, which is approved: no exception is needed"
        ),
        "{stderr}"
    );
}
