//! No silent mass deletion: a change that deletes Argo CD Applications is called out before
//! the headline and makes `plan`, `diff`, `build` and `commit` answer no (exit 1, nothing
//! written) unless `--allow-delete` is given. Removing other files is not such a change.

use crate::common;

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
        "3 Argo CD Applications, and everything they deployed:\n  notifications: dev, staging, prod",
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
        "1 Argo CD Application, and everything it deployed:\n  notifications: prod",
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
        "2 Argo CD Applications, and everything they deployed:\n  qa (environment)\n  hello: qa",
    );
}

/// A spec of `count` services named `s00`, `s01`, … deployed to dev, staging and prod.
fn estate(count: usize) -> String {
    let mut text = common::spec_preamble(&["dev", "staging", "prod"]);
    text.push_str(
        "[teams.t]\nowners = [\"@gen/t\"]\n[base_images.b]\nimage = \"b\"\nversions.\"1\" = {}\n",
    );
    for i in 0..count {
        text.push_str(&format!(
            "[services.s{i:02}]\nteam = \"t\"\nbase = \"b:1\"\nversion = \"1.0.0\"\nroute = \"/s{i:02}\"\n"
        ));
    }
    text
}

/// The lines of `out` from the one starting with `first` to a blank line or a help.
fn paragraph<'a>(out: &'a str, first: &str) -> Vec<&'a str> {
    let start = out
        .find(first)
        .unwrap_or_else(|| panic!("{first} in:\n{out}"));
    out[start..]
        .lines()
        .take_while(|l| !l.is_empty() && !l.starts_with("  = help"))
        .collect()
}

#[test]
fn a_mass_deletion_is_summarised_per_service_within_a_screenful() {
    let ws = Workspace::with_spec("golden/minimal/enterprise.toml");
    let spec = ws.path("spec/enterprise.toml");
    fs::write(&spec, estate(40)).unwrap();
    assert_eq!(ws.run(&["build"]).0, 0);
    let kept = estate(40).replace(&estate(36), &estate(0));
    fs::write(&spec, kept).unwrap();

    let sentence = "this change deletes 108 Argo CD Applications, and everything they deployed:";
    let summary = ["  s00: dev, staging, prod", "  s01: dev, staging, prod"];
    let tail = "  and 17 more services (51 Applications)";
    let (code, stdout, stderr) = ws.run(&["plan", "--color", "never"]);
    assert_eq!(code, 1, "{stderr}");
    for (out, first) in [(&stdout, "DELETION: "), (&stderr, "error: ")] {
        let block = paragraph(out, &format!("{first}{sentence}"));
        assert_eq!(block[1..3], summary, "{out}");
        assert_eq!(block.len(), 21, "a screenful: {out}");
        assert_eq!(block[20], tail, "{out}");
    }
    let head = &stdout[..stdout.find("\nApplications:\n").expect("the detail")];
    assert!(head.lines().all(|l| l.len() < 200), "{head}");
    let deleted = paragraph(&stdout, "  deleted: 108 Applications");
    let listed: Vec<&&str> = deleted[1..]
        .iter()
        .take_while(|l| l.starts_with("    "))
        .collect();
    assert_eq!(*listed[0], "    s00: dev, staging, prod", "{stdout}");
    assert_eq!(listed.len(), 20, "{stdout}");

    let (_, markdown, _) = ws.run(&["plan", "--format", "markdown"]);
    let caution = paragraph(&markdown, "> [!CAUTION]");
    assert_eq!(
        caution[1],
        "> **This change deletes 108 Argo CD Applications, and everything they deployed:**",
        "{markdown}"
    );
    assert_eq!(caution[2], "> - s00: dev, staging, prod", "{markdown}");
    assert_eq!(caution.len(), 22, "{markdown}");

    let (_, github, _) = ws.run(&["plan", "--format", "github", "--color", "never"]);
    let annotation = github.lines().next().unwrap();
    assert!(annotation.starts_with("::error title=Applications deleted::This change deletes 108 Argo CD Applications, and everything they deployed:%0A  s00: dev, staging, prod%0A"), "{annotation}");
    assert!(annotation.len() < 2_000, "{annotation}");

    let (_, json, _) = ws.run(&["plan", "--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        report["deleted_applications"].as_array().unwrap().len(),
        108,
        "JSON keeps every name"
    );

    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        paragraph(&stderr, &format!("error: {sentence}")).len(),
        21,
        "{stderr}"
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
        text.contains("  created: 3 Applications\n    prices: dev, staging, prod\n  deleted: 3 Applications\n    pricing: dev, staging, prod\n"),
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
        markdown.starts_with("### fleetc plan\n\n> [!CAUTION]\n> **This change deletes 3 Argo CD Applications, and everything they deployed:**\n> - notifications: dev, staging, prod\n\n**1 service"),
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
