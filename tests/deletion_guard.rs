//! No silent mass deletion: a change that deletes Argo CD Applications is called out before
//! the headline and makes `plan`, `diff`, `build` and `commit` answer no (exit 1, nothing
//! written) unless `--allow-delete` is given. Removing other files is not such a change.

mod common;

use std::fs;

use common::Workspace;
use git2::Repository;
use serde_json::Value;

const BUNDLED: &str = "spec/enterprise.toml";

fn built(spec: &str) -> Workspace {
    let ws = Workspace::with_spec(spec);
    assert_eq!(ws.run(&["build"]).0, 0);
    ws
}

/// Drops the notifications service and every reference to it.
fn remove_notifications(ws: &Workspace) {
    let path = ws.path("spec/enterprise.toml");
    let spec = fs::read_to_string(&path).unwrap();
    let start = spec.find("[services.notifications]").unwrap();
    let trimmed = spec[..start]
        .replace(", \"notifications\"]", "]")
        .replace("[\"notifications\"]", "[]");
    fs::write(path, trimmed).unwrap();
}

/// `plan` refuses with the deleted Applications named first; `build` refuses and writes
/// nothing; both go ahead with `--allow-delete`.
fn assert_guarded(ws: &Workspace, deleted: &str) {
    let (code, stdout, stderr) = ws.run(&["plan", "--color", "never"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.starts_with(&format!(
            "DELETION: this change deletes {deleted}\n\nImpact: "
        )),
        "{stdout}"
    );
    assert!(
        stderr.contains(&format!("error: this change deletes {deleted}")),
        "{stderr}"
    );
    assert!(stderr.contains("run again with --allow-delete"), "{stderr}");

    let before = ws.files();
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error: nothing was written"), "{stderr}");
    assert_eq!(ws.files(), before, "build wrote nothing");

    assert_eq!(ws.run(&["plan", "--allow-delete"]).0, 0);
    let (code, _, stderr) = ws.run(&["build", "--allow-delete"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning: this change deletes"), "{stderr}");
    assert_eq!(ws.run(&["plan"]).0, 0, "nothing left to delete");
}

#[test]
fn removing_a_service_is_refused_without_allow_delete() {
    let ws = built(BUNDLED);
    remove_notifications(&ws);
    assert_guarded(
        &ws,
        "3 Argo CD Applications, and everything they deployed: notifications-prod, notifications-dev, notifications-staging",
    );
}

#[test]
fn narrowing_a_services_environments_is_refused_without_allow_delete() {
    let ws = built(BUNDLED);
    ws.edit_spec(
        "autoscaling = { enabled = false }\ndeploy.prod = { blue = \"1.1.0@sha256:30a412db02cb661ed0cc40ddae4ffba5b95165dd770597e885d8e8a3211062e7\", live = \"blue\" }",
        "autoscaling = { enabled = false }\nenvironments = [\"dev\", \"staging\"]",
    );
    assert_guarded(
        &ws,
        "1 Argo CD Application, and everything it deployed: notifications-prod",
    );
}

#[test]
fn removing_an_environment_is_refused_without_allow_delete() {
    let ws = Workspace::with_spec("golden/minimal/enterprise.toml");
    let qa = "[environments.qa]\ncluster = \"https://qa.example\"\ndomain = \"qa.tiny.example\"\n\n[teams.core]";
    ws.edit_spec("[teams.core]", qa);
    assert_eq!(ws.run(&["build"]).0, 0);
    ws.edit_spec(qa, "[teams.core]");
    assert_guarded(
        &ws,
        "2 Argo CD Applications, and everything they deployed: hello-qa, qa (environment)",
    );
}

#[test]
fn a_rename_deletes_and_creates() {
    let ws = built(BUNDLED);
    ws.edit_spec("[services.pricing]", "[services.prices]");
    ws.edit_spec(
        "depends_on = [\"catalog\", \"pricing\"]",
        "depends_on = [\"catalog\", \"prices\"]",
    );
    ws.edit_spec(
        "depends_on = [\"payments\", \"pricing\", \"notifications\"]",
        "depends_on = [\"payments\", \"prices\", \"notifications\"]",
    );
    let (code, stdout, _) = ws.run(&["plan", "--format", "json"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        report["deleted_applications"],
        serde_json::json!(["pricing-prod", "pricing-dev", "pricing-staging"])
    );
    assert_eq!(
        report["created_applications"],
        serde_json::json!(["prices-prod", "prices-dev", "prices-staging"])
    );
    let (_, text, _) = ws.run(&["plan", "--color", "never"]);
    assert!(
        text.contains("  created: prices-prod, prices-dev, prices-staging\n  deleted: pricing-prod, pricing-dev, pricing-staging\n"),
        "{text}"
    );
    assert_eq!(ws.run(&["build"]).0, 1);
}

#[test]
fn retiring_a_colour_removes_files_but_no_application() {
    let ws = built(BUNDLED);
    assert_eq!(ws.run(&["promote", "users", "--env", "prod"]).0, 0);
    assert_eq!(ws.run(&["build"]).0, 0);
    assert_eq!(ws.run(&["retire", "users", "--env", "prod"]).0, 0);
    let (code, stdout, stderr) = ws.run(&["plan", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("users-blue stops"), "{stdout}");
    assert!(!stdout.contains("DELETION"), "{stdout}");
    let (code, stdout, _) = ws.run(&["build", "--color", "never"]);
    assert_eq!(code, 0);
    assert!(
        !stdout.contains(" 0 removed"),
        "files were removed:\n{stdout}"
    );
}

#[test]
fn markdown_and_github_call_the_deletion_out_first() {
    let ws = built(BUNDLED);
    remove_notifications(&ws);
    let (code, markdown, _) = ws.run(&["plan", "--format", "markdown"]);
    assert_eq!(code, 1);
    assert!(
        markdown.starts_with("### fleetc plan\n\n> [!CAUTION]\n> **This change deletes 3 Argo CD Applications, and everything they deployed: notifications-prod, notifications-dev, notifications-staging.**\n\n**1 service"),
        "{markdown}"
    );
    let (code, github, _) = ws.run(&["plan", "--format", "github", "--color", "never"]);
    assert_eq!(code, 1);
    assert!(
        github.starts_with(
            "::error title=Applications deleted::This change deletes 3 Argo CD Applications"
        ),
        "{github}"
    );
}

#[test]
fn diff_refuses_a_pull_request_that_deletes_applications() {
    let ws = Workspace::with_spec(BUNDLED);
    let repo = Repository::init(ws.path("")).unwrap();
    common::git::commit(&repo, &["spec"], "the estate", None);
    remove_notifications(&ws);
    common::git::commit(&repo, &["spec"], "no more notifications", None);
    let (code, stdout, stderr) = ws.run(&["diff", "--base", "HEAD~1", "--color", "never"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.starts_with("DELETION: this change deletes 3 Argo CD Applications"),
        "{stdout}"
    );
    assert!(stderr.contains("--allow-delete"), "{stderr}");
    let (code, json, _) = ws.run(&[
        "diff",
        "--base",
        "HEAD~1",
        "--format",
        "json",
        "--allow-delete",
    ]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["deleted_applications"].as_array().unwrap().len(), 3);
}

#[test]
fn commit_refuses_to_delete_applications_and_commits_nothing() {
    let ws = Workspace::with_spec(BUNDLED);
    let repo = Repository::init(ws.path("")).unwrap();
    let mut config = repo.config().unwrap();
    config.set_str("user.name", "Fleet Tester").unwrap();
    config.set_str("user.email", "tester@example.com").unwrap();
    assert_eq!(ws.run(&["commit", "--yes", "-m", "the estate"]).0, 0);
    let head = repo.head().unwrap().target().unwrap();
    remove_notifications(&ws);
    let before = ws.files();
    let (code, _, stderr) = ws.run(&["commit", "--yes"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error: nothing was written"), "{stderr}");
    assert_eq!(ws.files(), before, "nothing was written");
    assert_eq!(repo.head().unwrap().target().unwrap(), head, "no commit");
    let (code, _, stderr) = ws.run(&["commit", "--yes", "--allow-delete"]);
    assert_eq!(code, 0, "{stderr}");
    assert_ne!(repo.head().unwrap().target().unwrap(), head);
}
