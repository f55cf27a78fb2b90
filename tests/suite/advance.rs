//! `advance`: the versions live in one environment, released into the next in one edit;
//! refused, with `--soak`, before each version has been live long enough by the commit that
//! made it live (sync windows: `tests/sync_windows.rs`).

use crate::common;

use std::fs;

use common::Workspace;
use git2::Repository;

const DIGEST_A: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn spec_text(ws: &Workspace) -> String {
    fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap()
}

/// `users` 1.6.0 and `cart` 1.13.0 live in dev, nowhere else.
fn dev_runs_new_versions(ws: &Workspace) {
    for (service, version) in [("users", "1.6.0"), ("cart", "1.13.0")] {
        assert_eq!(ws.run(&["release", service, version, "--env", "dev"]).0, 0);
        assert_eq!(ws.run(&["promote", service, "--env", "dev"]).0, 0);
    }
}

fn deploy_line<'a>(text: &'a str, service: &str, env: &str) -> &'a str {
    let section = &text[text.find(&format!("[services.{service}]")).unwrap()..];
    section
        .lines()
        .find(|l| l.starts_with(&format!("deploy.{env} ")))
        .unwrap_or_else(|| panic!("deploy.{env} of {service}"))
}

#[test]
fn advance_releases_every_version_live_before_in_one_edit() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    dev_runs_new_versions(&ws);
    let before = spec_text(&ws);
    let (code, stdout, stderr) = ws.run(&["advance", "--from", "dev"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("advance `dev` → `staging`: 2 services move"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  already live in `staging`: storefront, auth, catalog, search, pricing and 3 more\n"
        ),
        "{stdout}"
    );
    let after = spec_text(&ws);
    assert_eq!(
        deploy_line(&after, "users", "staging"),
        r#"deploy.staging = { blue = "1.5.0", green = "1.6.0", live = "blue" }"#
    );
    assert_eq!(
        deploy_line(&after, "cart", "staging"),
        r#"deploy.staging = { blue = "1.12.0", green = "1.13.0", live = "blue" }"#
    );
    // Only the two new deploy lines differ: every comment and other line stays.
    let added: Vec<&str> = after.lines().filter(|l| !before.contains(l)).collect();
    assert_eq!(added.len(), 2, "{added:?}");
    assert!(added.iter().all(|l| l.starts_with("deploy.staging")));
    assert!(before.lines().all(|l| after.contains(l)), "no line lost");
    assert_eq!(ws.run(&["build"]).0, 0);
}

#[test]
fn a_named_set_moves_alone() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    dev_runs_new_versions(&ws);
    let (code, stdout, stderr) = ws.run(&["advance", "--from", "dev", "users"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 service moves"), "{stdout}");
    let after = spec_text(&ws);
    assert!(deploy_line(&after, "users", "staging").contains("1.6.0"));
    let cart = &after[after.find("[services.cart]").unwrap()..];
    assert!(!cart.contains("deploy.staging"), "cart stays");
}

#[test]
fn nothing_to_advance_is_an_answer_and_writes_nothing() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let before = spec_text(&ws);
    let (code, stdout, _) = ws.run(&["advance", "--from", "dev"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("nothing to advance from `dev` to `staging`"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  already live in `staging`: storefront, users, auth, catalog, search and 5 more"
        ),
        "{stdout}"
    );
    assert_eq!(spec_text(&ws), before);
}

#[test]
fn a_named_service_with_another_release_in_flight_is_refused() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    dev_runs_new_versions(&ws);
    let flight = [
        "release",
        "cart",
        "1.14.0",
        "--env",
        "staging",
        "--skip-order",
    ];
    assert_eq!(ws.run(&flight).0, 0);
    let before = spec_text(&ws);
    let (code, _, stderr) = ws.run(&["advance", "--from", "dev", "cart"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("`cart`: a release of 1.14.0 is in flight in `staging`"),
        "{stderr}"
    );
    assert_eq!(spec_text(&ws), before);

    // Advancing everything leaves it out and says why.
    let (code, stdout, stderr) = ws.run(&["advance", "--from", "dev"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 service moves"), "{stdout}");
    assert!(
        stdout.contains("`cart` stays: a release of 1.14.0 is in flight in `staging`"),
        "{stdout}"
    );
}

#[test]
fn bad_requests_exit_2_and_leave_the_spec_alone() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let before = spec_text(&ws);
    for (args, says) in [
        (
            &["advance", "--from", "qa"][..],
            "environment `qa` is not declared",
        ),
        (
            &["advance", "--from", "prod"],
            "`prod` is the last environment",
        ),
        (
            &["advance", "--from", "dev", "nobody"],
            "service `nobody` is not declared",
        ),
        (
            &["advance", "--from", "staging"],
            "`prod` requires digests, and no environment pins one for `storefront` 3.8.1, `catalog` 5.2.0",
        ),
        (
            &["advance", "--from", "staging", "--digest", "catalog=latest"],
            "is not a digest",
        ),
        (
            &["advance", "--from", "staging", "--soak", "soon"],
            "is not a duration",
        ),
    ] {
        let (code, _, stderr) = ws.run(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert_eq!(spec_text(&ws), before, "{args:?}");
    }
}

#[test]
fn a_digest_pinned_elsewhere_or_given_goes_with_the_version() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    ws.edit_spec(
        "env = { NEXT_TELEMETRY_DISABLED = \"1\" }\n",
        &format!("env = {{ NEXT_TELEMETRY_DISABLED = \"1\" }}\ndeploy.dev = {{ blue = \"3.8.1@{DIGEST_A}\", live = \"blue\" }}\n"),
    );
    let digest_b = DIGEST_A.replace('a', "b").replacen("shb256", "sha256", 1);
    let given = format!("catalog={digest_b}");
    let (code, stdout, stderr) = ws.run(&["advance", "--from", "staging", "--digest", &given]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("2 services move"), "{stdout}");
    let after = spec_text(&ws);
    assert!(
        deploy_line(&after, "storefront", "prod")
            .contains(&format!("green = \"3.8.1@{DIGEST_A}\""))
    );
    assert!(
        deploy_line(&after, "catalog", "prod").contains(&format!("green = \"5.2.0@{digest_b}\""))
    );
}

#[test]
fn a_rollout_moves_its_live_version() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    ws.edit_spec(
        "depends_on = [\"catalog\"]\ndeploy.prod",
        "depends_on = [\"catalog\"]\ndeploy.dev = { blue = \"0.9.5\", live = \"blue\" }\ndeploy.prod",
    );
    let (code, stdout, stderr) = ws.run(&["advance", "--from", "dev", "search"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("the Rollout moves to 0.9.5 (canary)"),
        "{stdout}"
    );
    assert_eq!(
        deploy_line(&spec_text(&ws), "search", "staging"),
        r#"deploy.staging = { blue = "0.9.5", live = "blue" }"#
    );
}

/// A repository whose commits carry chosen committer times, to measure soaks against.
fn repository(ws: &Workspace) -> Repository {
    Repository::init(ws.path("")).unwrap()
}

#[test]
fn a_soak_counts_from_the_commit_that_made_the_version_live() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let repo = repository(&ws);
    common::git::commit(&repo, &["spec"], "the estate", Some("2026-06-01T00:00:00Z"));
    dev_runs_new_versions(&ws);
    let soak = [
        "advance",
        "--from",
        "dev",
        "users",
        "--soak",
        "1h",
        "--now",
        "2026-06-01T09:00:00Z",
    ];
    let (code, _, stderr) = ws.run(&soak);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("`users` 1.6.0: not live in `dev` in any commit yet"),
        "{stderr}"
    );

    common::git::commit(
        &repo,
        &["spec"],
        "users 1.6.0 live in dev",
        Some("2026-06-01T08:00:00Z"),
    );
    let text = spec_text(&ws).replacen("# Northwind", "# The Northwind", 1);
    fs::write(ws.path("spec/enterprise.toml"), text).unwrap();
    common::git::commit(&repo, &["spec"], "a comment", Some("2026-06-01T09:20:00Z"));
    let before = spec_text(&ws);

    let young = [
        "advance",
        "--from",
        "dev",
        "users",
        "cart",
        "--soak",
        "2h",
        "--now",
        "2026-06-01T09:30:00Z",
    ];
    let (code, _, stderr) = ws.run(&young);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("`users` 1.6.0: live in `dev` for 1h30m (since commit "),
        "{stderr}"
    );
    assert!(stderr.contains("less than 2h"), "{stderr}");
    assert_eq!(spec_text(&ws), before);

    // Measured from 08:00, when it went live, not from the later commit at 09:20.
    let soaked = [
        "advance",
        "--from",
        "dev",
        "users",
        "cart",
        "--soak",
        "1h",
        "--now",
        "2026-06-01T09:30:00Z",
    ];
    let (code, stdout, stderr) = ws.run(&soaked);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("2 services move"), "{stdout}");
}

/// A spec in several files soaks as one: the history read is the root's and its included
/// files', where the release state of a team's services is written.
#[test]
fn a_soak_reads_the_files_the_spec_includes() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    assert_eq!(ws.run(&["split"]).0, 0);
    let repo = repository(&ws);
    common::git::commit(&repo, &["spec"], "the estate", Some("2026-06-01T00:00:00Z"));
    dev_runs_new_versions(&ws);
    common::git::commit(
        &repo,
        &["spec"],
        "live in dev",
        Some("2026-06-01T08:00:00Z"),
    );
    let soak = |hours: &str| {
        let args = [
            "advance",
            "--from",
            "dev",
            "users",
            "--soak",
            hours,
            "--now",
            "2026-06-01T09:30:00Z",
        ];
        ws.run(&args)
    };
    let (code, _, stderr) = soak("2h");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("`users` 1.6.0: live in `dev` for 1h30m (since commit "),
        "{stderr}"
    );
    let (code, stdout, stderr) = soak("1h");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 service moves"), "{stdout}");
}

#[test]
fn a_soak_outside_a_repository_is_bad_input() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    dev_runs_new_versions(&ws);
    let before = spec_text(&ws);
    let (code, _, stderr) = ws.run(&["advance", "--from", "dev", "--soak", "1h"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cannot read the spec's history"),
        "{stderr}"
    );
    assert_eq!(spec_text(&ws), before);
}

/// A shallow clone holds only the last commits: a version live in the oldest of them may have
/// been live long before, so the answer is that history is missing, not that it is young.
#[test]
fn a_soak_on_a_shallow_clone_says_the_history_is_missing() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let repo = repository(&ws);
    common::git::commit(&repo, &["spec"], "the estate", Some("2026-06-01T00:00:00Z"));
    dev_runs_new_versions(&ws);
    common::git::commit(
        &repo,
        &["spec"],
        "live in dev",
        Some("2026-06-01T08:00:00Z"),
    );
    let text = spec_text(&ws).replacen("# Northwind", "# The Northwind", 1);
    fs::write(ws.path("spec/enterprise.toml"), text).unwrap();
    common::git::commit(&repo, &["spec"], "a comment", Some("2026-06-01T09:20:00Z"));
    let source = format!("file://{}", ws.path("").display());
    let cloned = std::process::Command::new("git")
        .args(["clone", "--quiet", "--depth", "1", &source, "shallow"])
        .current_dir(ws.path(""))
        .status()
        .unwrap();
    assert!(cloned.success());
    let spec = "shallow/spec/enterprise.toml";
    let before = fs::read_to_string(ws.path(spec)).unwrap();
    let advance = |soak: &str| {
        ws.run(&[
            "--spec",
            spec,
            "advance",
            "--from",
            "dev",
            "users",
            "--soak",
            soak,
            "--now",
            "2026-06-01T09:30:00Z",
        ])
    };
    let (code, _, stderr) = advance("2h");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("cannot tell how long these have soaked in `dev`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`users` 1.6.0: live in `dev` at least since commit "),
        "{stderr}"
    );
    assert!(
        stderr.contains("the oldest commit this shallow clone has"),
        "{stderr}"
    );
    assert!(stderr.contains("`fetch-depth: 0`"), "{stderr}");
    assert_eq!(fs::read_to_string(ws.path(spec)).unwrap(), before);
    // Live at least as long as the clone shows is enough for a shorter soak.
    let (code, _, stderr) = advance("5m");
    assert_eq!(code, 0, "{stderr}");
}
