//! `diff --base REV` in a scratch git repository: the spec at REV is read from git, both
//! revisions are compiled in memory, and every Application whose rendered manifests change is
//! listed with its diff.

use crate::common;

use std::fs;
use std::path::Path;

use common::Workspace;
use git2::Repository;

fn repo_with(ws: &Workspace) -> Repository {
    let repo = Repository::init(ws.path("")).unwrap();
    common::git::commit(&repo, &["spec"], "the estate", None);
    repo
}

#[test]
fn a_changed_default_lists_every_affected_application() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let repo = repo_with(&ws);
    ws.edit_spec(
        "replicas = { dev = 1, staging = 2, prod = 3 }",
        "replicas = { dev = 1, staging = 2, prod = 4 }",
    );
    common::git::commit(&repo, &["spec"], "more replicas in prod", None);
    let spec_before = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();

    let (code, stdout, stderr) = ws.run(&["diff", "--base", "HEAD~1", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    let listed: Vec<&str> = stdout
        .lines()
        .skip_while(|l| *l != "Applications:")
        .skip_while(|l| !l.starts_with("  prod"))
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    // storefront, auth and payments set their own prod replicas.
    assert_eq!(
        listed,
        [
            "cart-prod",
            "catalog-prod",
            "notifications-prod",
            "orders-prod",
            "pricing-prod",
            "search-prod",
            "users-prod"
        ],
        "{stdout}"
    );
    assert!(
        stdout.contains("Impact: 7 services in 1 environment change"),
        "{stdout}"
    );
    assert!(
        stdout.contains("--- a/apps/cart/overlays/prod\n+++ b/apps/cart/overlays/prod\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-  minReplicas: 3\n+  minReplicas: 4\n"),
        "{stdout}"
    );
    assert_eq!(
        fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap(),
        spec_before,
        "no checkout"
    );
    assert!(
        repo.statuses(None).unwrap().is_empty(),
        "the working tree is untouched"
    );
}

#[test]
fn the_working_spec_is_compared_with_a_revision() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    repo_with(&ws);
    assert_eq!(ws.run(&["promote", "users", "--env", "prod"]).0, 0);
    let (code, stdout, _) = ws.run(&["diff", "--base", "HEAD", "--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("### fleetc diff against `HEAD`\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| **prod** (production) | `users-prod` | live colour blue → green |"),
        "{stdout}"
    );
    assert!(stdout.contains("```mermaid\nflowchart LR\n  prod_live[\"prod live traffic\"] -->|was blue| users_prod[\"users: green live\"]\n```"), "{stdout}");
    assert!(
        stdout.contains(
            "<details><summary><code>users-prod</code>: live colour blue → green</summary>"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("```diff\n"), "{stdout}");
}

#[test]
fn a_large_preview_is_split_into_comments_that_fit() {
    let ws = Workspace::with_spec("spec/enterprise-100.toml");
    let repo = repo_with(&ws);
    ws.edit_spec(
        "env = { LOG_FORMAT = \"json\" }",
        "env = { LOG_FORMAT = \"logfmt\" }",
    );
    common::git::commit(&repo, &["spec"], "logfmt everywhere", None);
    let (code, stdout, stderr) = ws.run(&["diff", "--base", "HEAD~1", "--format", "markdown"]);
    assert_eq!(code, 0, "{stderr}");
    let parts: Vec<&str> = stdout.split(fleetc::PART_SEPARATOR).collect();
    assert!(
        parts.len() > 1,
        "300 Applications do not fit in one comment"
    );
    for (i, part) in parts.iter().enumerate() {
        assert!(
            part.len() <= 65_000,
            "part {} has {} characters",
            i + 1,
            part.len()
        );
        if i > 0 {
            assert!(part.trim_start().starts_with(&format!(
                "### fleetc diff against `HEAD~1` (part {} of {})",
                i + 1,
                parts.len()
            )));
        }
    }
    let sections = stdout.matches("<details><summary>").count();
    assert_eq!(sections, 300, "every Application has its section");
    assert_eq!(
        stdout.matches("```diff\n").count() + stdout.matches("more than one comment holds").count(),
        300
    );
}

#[test]
fn a_revision_that_does_not_exist_is_bad_input() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    repo_with(&ws);
    let (code, _, stderr) = ws.run(&["diff", "--base", "no-such-branch"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("revision `no-such-branch`"), "{stderr}");
    let outside = tempfile::tempdir().unwrap();
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden/minimal/enterprise.toml");
    fs::copy(&spec, outside.path().join("spec.toml")).unwrap();
    let (code, _, stderr) = ws.run(&[
        "diff",
        "--base",
        "HEAD",
        "--spec",
        outside.path().join("spec.toml").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is not in a git repository"), "{stderr}");
}

#[test]
fn a_diff_of_equal_specs_is_empty_and_requests_no_owners() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    repo_with(&ws);
    let (code, stdout, stderr) = ws.run(&["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let files = report["platform_files"].as_array().map_or(0, Vec::len);
    assert_eq!(files, 0, "{stdout}");
    assert_eq!(report["owners"], serde_json::json!([]), "{stdout}");
    let (_, text, _) = ws.run(&["diff", "--base", "HEAD", "--color", "never"]);
    for platform in ["CODEOWNERS", "argocd/", "ci/", "terraform/"] {
        assert!(!text.contains(platform), "{platform} listed:\n{text}");
    }
}

#[test]
fn a_change_to_one_service_requests_only_its_owners() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    repo_with(&ws);
    assert_eq!(ws.run(&["promote", "users", "--env", "prod"]).0, 0);
    let (code, stdout, stderr) = ws.run(&["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let text = &stdout;
    assert!(!text.contains("CODEOWNERS"), "{text}");
    assert!(!text.contains("argocd/"), "{text}");
    let app = &report["environments"][0]["applications"][0];
    assert_eq!(app["path"], "apps/users/overlays/prod", "{text}");
    assert!(!report["owners"].as_array().unwrap().is_empty(), "{text}");
    assert_eq!(
        report["owners"], app["owners"],
        "only the Application's owners: {text}"
    );
}

/// A release in production adds the service's new colour folder, which CODEOWNERS gives to
/// the service's team: the owners `diff` and `plan` request are everyone the base branch's
/// CODEOWNERS assigns to a file the pull request touches, the team among them.
#[test]
fn a_release_in_prod_requests_the_team_that_owns_its_new_colour() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    repo_with(&ws);
    assert_eq!(ws.run(&["build"]).0, 0);
    let base = ws.generated();
    let digest = format!("sha256:{}", "a".repeat(64));
    let (code, _, stderr) = ws.run(&[
        "release",
        "auth",
        &format!("2.2.0@{digest}"),
        "--env",
        "prod",
        "--skip-order",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = ws.run(&["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let (_, plan, _) = ws.run(&["plan", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_str(&plan).unwrap();
    assert_eq!(
        plan["owners"], report["owners"],
        "plan asks the same owners"
    );

    assert_eq!(ws.run(&["build"]).0, 0);
    let head = ws.generated();
    let touched = base
        .keys()
        .chain(head.keys())
        .filter(|path| base.get(*path) != head.get(*path))
        .map(String::as_str);
    assert!(
        touched
            .clone()
            .any(|p| p.starts_with("generated/apps/auth/colours/green/")),
        "the release adds the green colour"
    );
    let codeowners = String::from_utf8(base["generated/CODEOWNERS"].clone()).unwrap();
    let required = common::codeowners::required(&codeowners, touched);
    assert!(required.contains("@northwind/identity"), "{required:?}");
    let requested: std::collections::BTreeSet<String> =
        serde_json::from_value(report["owners"].clone()).unwrap();
    assert_eq!(requested, required);
}

/// With the tree at the repository's root, the catch-all line of CODEOWNERS owns the spec
/// too, which the pull request changes: its owners are asked along with those of the tree.
#[test]
fn a_tree_at_the_repository_root_asks_the_owners_of_the_spec_too() {
    let ws = Workspace::with_spec("golden/edge-cases/enterprise.toml");
    repo_with(&ws);
    ws.edit_spec("namespace = \"edge-quality\"", "namespace = \"edge-qa\"");
    let (code, stdout, stderr) = ws.run(&["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let codeowners = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("golden/edge-cases/expected/CODEOWNERS"),
    )
    .unwrap();
    let spec_owners = common::codeowners::owners(&codeowners, "spec/enterprise.toml");
    assert_eq!(spec_owners, ["@edge/platform", "@edge/cab", "@alice"]);
    let requested: Vec<&str> = report["owners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    for owner in spec_owners {
        assert!(requested.contains(&owner), "{owner} in {requested:?}");
    }
}

#[test]
fn diff_max_blast_guards_the_pull_request_change_that_plan_cannot_see() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let repo = repo_with(&ws);
    assert_eq!(ws.run(&["build"]).0, 0);
    ws.edit_spec(
        "replicas = { dev = 1, staging = 2, prod = 3 }",
        "replicas = { dev = 1, staging = 2, prod = 4 }",
    );
    assert_eq!(ws.run(&["build"]).0, 0);
    // The pull request's commit carries the spec and the regenerated tree.
    let mut index = repo.index().unwrap();
    index
        .add_all(["spec", "generated"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    common::git::commit(&repo, &["spec"], "more replicas in prod", None);
    assert_eq!(
        ws.run(&["plan", "--max-blast", "2"]).0,
        0,
        "plan sees no change"
    );

    let (code, _, stderr) = ws.run(&["diff", "--base", "HEAD~1", "--max-blast", "2"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("more than --max-blast 2"), "{stderr}");
    assert!(stderr.contains("`prod`"), "{stderr}");
    let (code, _, stderr) = ws.run(&["diff", "--base", "HEAD~1", "--max-blast", "7"]);
    assert_eq!(code, 0, "{stderr}");
}
