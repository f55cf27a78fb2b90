//! The blue/green commands on a heavily commented spec: every comment and layout survives,
//! only the release state changes, and each step's tree change is exactly the expected one.

use crate::common;

use std::fs;

use common::Workspace;

const SPEC: &str = "tests/fixtures/commented.toml";

fn changed_files(stdout: &str) -> Vec<String> {
    let mut files: Vec<String> = stdout
        .lines()
        .filter_map(|l| {
            l.strip_prefix("+++ b/")
                .or_else(|| l.strip_prefix("--- a/"))
        })
        .map(str::to_owned)
        .collect();
    files.sort();
    files.dedup();
    files
}

/// The lines of `after` that are not in `before`, and the other way round.
fn line_diff(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let removed = before
        .lines()
        .filter(|l| !after.lines().any(|a| a == *l))
        .map(str::to_owned)
        .collect();
    let added = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .map(str::to_owned)
        .collect();
    (removed, added)
}

fn step(ws: &Workspace, args: &[&str], deploy_line: &str, files: &[&str]) {
    let before = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let mut full = args.to_vec();
    full.extend(["--color", "never", "--diff"]);
    let (code, stdout, stderr) = ws.run(&full);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    let after = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let (removed, added) = line_diff(&before, &after);
    assert_eq!(removed.len(), 1, "{args:?} changed one line:\n{after}");
    assert!(removed[0].starts_with("deploy.prod"), "{removed:?}");
    assert_eq!(added, [deploy_line], "{args:?}");
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(changed_files(&stdout), files, "{args:?}:\n{stdout}");
    // The plan is what the build then does.
    let (code, _, _) = ws.run(&["build"]);
    assert_eq!(code, 0);
    assert_eq!(ws.run(&["check"]).0, 0);
}

#[test]
fn release_promote_rollback_retire_keep_every_comment() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    let original = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();

    step(
        &ws,
        &["release", "users", "1.5.0", "--env", "prod"],
        r#"deploy.prod   =   { blue = "1.4.2", green = "1.5.0",   live = "blue" }   # keep this comment"#,
        &[
            "apps/users/.fleetc-manifest",
            "apps/users/colours/green/deployment.yaml",
            "apps/users/colours/green/kustomization.yaml",
            "apps/users/overlays/prod/deployment-green-patch.yaml",
            "apps/users/overlays/prod/hpa.yaml",
            "apps/users/overlays/prod/kustomization.yaml",
            "apps/users/overlays/prod/service-preview.yaml",
        ],
    );
    step(
        &ws,
        &["promote", "users", "--env", "prod"],
        r#"deploy.prod   =   { blue = "1.4.2", green = "1.5.0",   live = "green", previous = "blue" }   # keep this comment"#,
        &[
            "apps/users/overlays/prod/service-patch.yaml",
            "apps/users/overlays/prod/service-preview.yaml",
        ],
    );
    step(
        &ws,
        &["rollback", "users", "--env", "prod"],
        r#"deploy.prod   =   { blue = "1.4.2", green = "1.5.0",   live = "blue" }   # keep this comment"#,
        &[
            "apps/users/overlays/prod/service-patch.yaml",
            "apps/users/overlays/prod/service-preview.yaml",
        ],
    );
    step(
        &ws,
        &["retire", "users", "--env", "prod"],
        r#"deploy.prod   =   { blue = "1.4.2",   live = "blue" }   # keep this comment"#,
        &[
            "apps/users/.fleetc-manifest",
            "apps/users/colours/green/deployment.yaml",
            "apps/users/colours/green/kustomization.yaml",
            "apps/users/overlays/prod/deployment-green-patch.yaml",
            "apps/users/overlays/prod/hpa.yaml",
            "apps/users/overlays/prod/kustomization.yaml",
            "apps/users/overlays/prod/service-preview.yaml",
        ],
    );
    let back = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    assert_eq!(
        back, original,
        "a full cycle gives back the file byte for byte"
    );
}

#[test]
fn release_pins_what_an_environment_runs_when_it_had_no_release_state() {
    let ws = Workspace::with_spec(SPEC);
    let (code, stdout, stderr) = ws.run(&[
        "release", "orders", "2.1.0", "--env", "dev", "--color", "never",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("`orders` in `dev`: green now runs 2.1.0"),
        "{stdout}"
    );
    let spec = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    assert!(
        spec.contains("version = \"2.0.0\"\ndeploy.dev = { blue = \"2.0.0\", green = \"2.1.0\", live = \"blue\" }\n"),
        "{spec}"
    );
}

#[test]
fn releases_follow_the_promotion_order_unless_told_otherwise() {
    let ws = Workspace::with_spec(SPEC);
    let original = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let (code, _, stderr) = ws.run(&["release", "users", "1.6.0", "--env", "prod"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("1.6.0 is not live in `dev` yet, so it cannot be released to `prod`: `users` serves 1.5.0 there"), "{stderr}");
    assert!(stderr.contains("--skip-order"), "{stderr}");
    assert_eq!(
        fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap(),
        original
    );

    let (code, _, stderr) = ws.run(&["release", "users", "1.6.0", "--env", "prod", "--skip-order"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_version_only_on_the_idle_colour_before_cannot_be_released_to_the_next_environment() {
    let ws = Workspace::with_spec(SPEC);
    let (code, _, stderr) = ws.run(&["release", "users", "1.6.0", "--env", "dev"]);
    assert_eq!(code, 0, "{stderr}");
    let previewed = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();

    let (code, _, stderr) = ws.run(&["release", "users", "1.6.0", "--env", "prod"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("1.6.0 runs in `dev` only on the idle colour (green, the preview), so it cannot be released to `prod`: `users` serves 1.5.0 there"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fleetc promote users --env dev"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap(),
        previewed
    );

    let (code, _, stderr) = ws.run(&["promote", "users", "--env", "dev"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = ws.run(&["release", "users", "1.6.0", "--env", "prod"]);
    assert_eq!(code, 0, "live in dev, it may go to prod: {stderr}");
}

#[test]
fn an_idle_version_may_still_skip_the_order_when_told() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["release", "users", "1.6.0", "--env", "dev"]).0, 0);
    let (code, _, stderr) = ws.run(&["release", "users", "1.6.0", "--env", "prod", "--skip-order"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn impossible_steps_are_refused_and_write_nothing() {
    let ws = Workspace::with_spec(SPEC);
    let original = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let cases: [(&[&str], &str); 6] = [
        (
            &["promote", "users", "--env", "prod"],
            "`users` in `prod` has no release in flight",
        ),
        (
            &["rollback", "users", "--env", "prod"],
            "has nothing to roll back",
        ),
        (
            &["retire", "users", "--env", "prod"],
            "has no idle colour to retire",
        ),
        (
            &["release", "users", "1.4.2", "--env", "prod"],
            "already runs 1.4.2 on blue (live)",
        ),
        (
            &["release", "nobody", "1.0", "--env", "prod"],
            "service `nobody` is not declared",
        ),
        (
            &["promote", "users", "--env", "qa"],
            "environment `qa` is not declared",
        ),
    ];
    for (args, message) in cases {
        let (code, _, stderr) = ws.run(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(
            fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap(),
            original
        );
    }
}

#[test]
fn rollback_after_the_old_colour_is_retired_says_so() {
    let ws = Workspace::with_spec(SPEC);
    ws.edit_spec(
        r#"deploy.prod   =   { blue = "1.4.2",   live = "blue" }"#,
        r#"deploy.prod   =   { green = "1.5.0", live = "green", previous = "blue" }"#,
    );
    let (code, _, stderr) = ws.run(&["rollback", "users", "--env", "prod"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`previous` of `users` in `prod` is `blue`, which runs no version"),
        "{stderr}"
    );
    assert!(stderr.contains("--> spec/enterprise.toml:"), "{stderr}");
}

#[test]
fn an_edit_that_would_break_the_spec_is_not_written() {
    let ws = Workspace::with_spec(SPEC);
    ws.edit_spec(
        "sync = \"manual\"",
        "sync = \"manual\"\nrequire_digest = true",
    );
    ws.edit_spec(
        "version = \"2.0.0\"",
        "version = \"2.0.0@sha256:1111111111111111111111111111111111111111111111111111111111111111\"",
    );
    ws.edit_spec(r#"{ blue = "1.4.2","#, r#"{ blue = "1.4.2@sha256:0000000000000000000000000000000000000000000000000000000000000000","#);
    let original = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let (code, _, stderr) = ws.run(&["release", "users", "1.5.0", "--env", "prod"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("requires image digests, but green runs `1.5.0`"),
        "{stderr}"
    );
    assert!(stderr.contains("was not written"), "{stderr}");
    assert_eq!(
        fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap(),
        original
    );
}

#[test]
fn services_on_argo_rollouts_are_not_switched_by_fleetc() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let (code, _, stderr) = ws.run(&["promote", "search", "--env", "prod"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`search` is delivered by Argo Rollouts (strategy `canary`)"),
        "{stderr}"
    );
    assert!(stderr.contains("kubectl argo rollouts"), "{stderr}");
}

#[test]
fn the_preview_host_serves_every_route_with_the_release_in_place_of_its_live_colour() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let (code, _, stderr) = ws.run(&["release", "storefront", "9.9.9", "--env", "dev"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ws.run(&["build"]).0, 0);
    let preview = fs::read_to_string(ws.path("generated/envs/dev/ingress-preview.yaml")).unwrap();
    let documents = fleetc::parse_documents(&preview).unwrap();
    let backends: Vec<(String, String)> = documents[0]["spec"]["rules"][0]["http"]["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_owned(),
                p["backend"]["service"]["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // `/` would otherwise take every path of the preview host to the release.
    assert!(
        backends.contains(&("/".to_owned(), "storefront-preview".to_owned())),
        "{backends:?}"
    );
    assert!(
        backends.contains(&("/users".to_owned(), "users-preview".to_owned())),
        "{backends:?}"
    );
    assert!(
        backends.contains(&("/cart".to_owned(), "cart-preview".to_owned())),
        "{backends:?}"
    );
}
