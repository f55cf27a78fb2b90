//! `commit`: build, show the plan, and commit the spec and the tree with git, refusing when
//! the repository holds something else in flight.

use crate::common;

use std::fs;

use common::Workspace;
use git2::Repository;

fn repository(ws: &Workspace) -> Repository {
    let repo = Repository::init(ws.path("")).unwrap();
    let mut config = repo.config().unwrap();
    config.set_str("user.name", "Fleet Tester").unwrap();
    config.set_str("user.email", "tester@example.com").unwrap();
    repo
}

fn head_message(repo: &Repository) -> String {
    repo.head()
        .unwrap()
        .peel_to_commit()
        .unwrap()
        .message()
        .unwrap()
        .to_owned()
}

#[test]
fn commits_the_spec_and_the_tree_with_a_summary_of_the_impact() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let repo = repository(&ws);
    let (code, stdout, stderr) = ws.run(&["commit", "--yes", "-m", "the estate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("committed "), "{stdout}");
    let tree = repo.head().unwrap().peel_to_tree().unwrap();
    assert!(tree.get_path("spec/enterprise.toml".as_ref()).is_ok());
    assert!(
        tree.get_path("generated/apps/users/overlays/prod/service-patch.yaml".as_ref())
            .is_ok()
    );

    assert_eq!(ws.run(&["promote", "users", "--env", "prod"]).0, 0);
    let (code, stdout, stderr) = ws.run(&["commit", "--yes"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("users-prod  live colour blue → green"),
        "{stdout}"
    );
    assert_eq!(
        head_message(&repo),
        "fleetc: users-prod: live colour blue → green\n"
    );
    assert!(
        repo.statuses(None).unwrap().is_empty(),
        "everything committed"
    );
    assert_eq!(ws.run(&["check"]).0, 0);

    let (code, stdout, _) = ws.run(&["commit", "--yes"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("nothing to commit"), "{stdout}");
}

#[test]
fn without_a_terminal_it_asks_for_yes() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let repo = repository(&ws);
    let (code, _, stderr) = ws.run(&["commit"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("pass --yes to commit"), "{stderr}");
    assert!(repo.head().is_err(), "no commit was made");
    assert!(!ws.path("generated").exists(), "nothing was written");
}

#[test]
fn unrelated_staged_changes_and_merges_in_flight_are_refused() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let repo = repository(&ws);
    assert_eq!(ws.run(&["commit", "--yes", "-m", "start"]).0, 0);

    fs::write(ws.path("notes.txt"), "mine\n").unwrap();
    let mut index = repo.index().unwrap();
    index.add_path("notes.txt".as_ref()).unwrap();
    index.write().unwrap();
    let (code, _, stderr) = ws.run(&["commit", "--yes"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("the index holds staged changes fleetc would not make: notes.txt"),
        "{stderr}"
    );
    index.remove_path("notes.txt".as_ref()).unwrap();
    index.write().unwrap();

    let head = repo.head().unwrap().target().unwrap();
    fs::write(ws.path(".git/MERGE_HEAD"), format!("{head}\n")).unwrap();
    let (code, _, stderr) = ws.run(&["commit", "--yes"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("in the middle of a Merge"), "{stderr}");
}

/// A spec in several files is committed whole: an edit of a team's file is committed with the
/// tree it changes.
#[test]
fn the_files_the_spec_includes_are_committed_with_it() {
    let ws = Workspace::with_spec("spec/by-team/enterprise-100.toml");
    fs::create_dir_all(ws.path("spec/teams")).unwrap();
    let teams = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/by-team/teams");
    for entry in fs::read_dir(teams).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), ws.path("spec/teams").join(entry.file_name())).unwrap();
    }
    let repo = repository(&ws);
    let (code, _, stderr) = ws.run(&["commit", "--yes", "-m", "the estate"]);
    assert_eq!(code, 0, "{stderr}");
    let tree = repo.head().unwrap().peel_to_tree().unwrap();
    assert!(tree.get_path("spec/teams/data.toml".as_ref()).is_ok());
    assert_eq!(ws.run(&["release", "orders", "9.9.9", "--env", "dev"]).0, 0);
    let (code, _, stderr) = ws.run(&["commit", "--yes"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        repo.statuses(None).unwrap().is_empty(),
        "everything committed"
    );
    let tree = repo.head().unwrap().peel_to_tree().unwrap();
    let data = tree.get_path("spec/teams/data.toml".as_ref()).unwrap();
    let blob = data.to_object(&repo).unwrap().peel_to_blob().unwrap();
    assert!(String::from_utf8_lossy(blob.content()).contains("green = \"9.9.9\""));
}
