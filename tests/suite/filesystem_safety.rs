//! Nothing is written, followed or deleted outside `--out` (or beside the spec, for edits),
//! whatever the tree holds: links planted at temporary names or generated paths, files fleetc
//! did not write, an `--out` that is not a directory, a read-only or linked spec.

use crate::common;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

use common::Workspace;

const SPEC: &str = "spec/enterprise.toml";
const VICTIM_TEXT: &str = "name: deploy\n# must never change\n";

/// A file outside the tree that a planted link points at.
fn victim(ws: &Workspace) -> std::path::PathBuf {
    let path = ws.path("victim.yml");
    fs::write(&path, VICTIM_TEXT).unwrap();
    path
}

fn links_below(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(walkdir::DirEntry::path_is_symlink)
        .map(|e| e.path().display().to_string())
        .collect()
}

/// An edit of the spec that changes CODEOWNERS.
fn change_an_owner(ws: &Workspace) {
    let text = fs::read_to_string(ws.path(SPEC)).unwrap();
    let owners = text
        .lines()
        .find(|l| l.starts_with("owners = ["))
        .expect("a team with owners")
        .to_owned();
    ws.edit_spec(&owners, "owners = [\"@northwind/new-owners\"]");
}

#[test]
fn a_link_planted_at_a_temporary_name_is_never_written_through() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    let victim = victim(&ws);
    symlink(&victim, ws.path("generated/.CODEOWNERS.fleetc-tmp")).unwrap();
    change_an_owner(&ws);

    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), VICTIM_TEXT);
    assert!(links_below(&ws.path("generated")).is_empty());
    let codeowners = fs::symlink_metadata(ws.path("generated/CODEOWNERS")).unwrap();
    assert!(codeowners.is_file());
    assert!(
        fs::read_to_string(ws.path("generated/CODEOWNERS"))
            .unwrap()
            .contains("@northwind/new-owners")
    );
    assert_eq!(ws.run(&["check"]).0, 0);
}

#[test]
fn a_hard_link_planted_at_a_temporary_name_is_never_written_through() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    let victim = victim(&ws);
    fs::hard_link(&victim, ws.path("generated/.CODEOWNERS.fleetc-tmp")).unwrap();
    change_an_owner(&ws);
    assert_eq!(ws.run(&["build"]).0, 0);
    assert_eq!(fs::read_to_string(&victim).unwrap(), VICTIM_TEXT);
}

#[test]
fn a_link_planted_beside_the_spec_is_never_written_through_by_an_edit() {
    let ws = Workspace::with_spec(SPEC);
    let victim = victim(&ws);
    symlink(&victim, ws.path("spec/.enterprise.toml.fleetc-tmp")).unwrap();
    let (code, _, stderr) = ws.run(&["promote", "users", "--env", "prod"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), VICTIM_TEXT);
    assert!(fs::symlink_metadata(ws.path(SPEC)).unwrap().is_file());
    assert!(
        fs::read_to_string(ws.path(SPEC))
            .unwrap()
            .contains("live = \"green\"")
    );
}

#[test]
fn a_link_planted_in_the_render_folder_is_never_written_through() {
    let ws = Workspace::with_spec(SPEC);
    let victim = victim(&ws);
    fs::create_dir(ws.path("hydrated")).unwrap();
    symlink(
        &victim,
        ws.path("hydrated/.apps_users_overlays_prod.yaml.fleetc-tmp"),
    )
    .unwrap();
    let (code, _, stderr) = ws.run(&["render", "--all", "--to", "hydrated"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), VICTIM_TEXT);
    assert!(links_below(&ws.path("hydrated")).is_empty());
}

#[test]
fn check_and_a_no_op_build_refuse_a_generated_file_that_is_a_link() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    let copy = ws.path("CODEOWNERS.copy");
    fs::rename(ws.path("generated/CODEOWNERS"), &copy).unwrap();
    symlink(&copy, ws.path("generated/CODEOWNERS")).unwrap();
    for command in ["check", "build", "plan"] {
        let (code, stdout, stderr) = ws.run(&[command]);
        assert_eq!(code, 2, "{command}: {stdout}{stderr}");
        assert!(
            stderr.contains("CODEOWNERS is a symbolic link"),
            "{command}: {stderr}"
        );
        assert!(!stdout.contains("up to date"), "{command}: {stdout}");
    }
}

#[test]
fn check_refuses_a_generated_folder_that_is_a_link() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    let elsewhere = ws.path("users-elsewhere");
    fs::rename(ws.path("generated/apps/users"), &elsewhere).unwrap();
    symlink(&elsewhere, ws.path("generated/apps/users")).unwrap();
    let (code, _, stderr) = ws.run(&["check"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("apps/users is a symbolic link"), "{stderr}");
    let before = fs::read_dir(&elsewhere).unwrap().count();
    ws.edit_spec(
        "replicas = { dev = 1, staging = 2, prod = 3 }",
        "replicas = 5",
    );
    assert_eq!(ws.run(&["build"]).0, 2);
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), before);
}

#[test]
fn a_hand_written_file_at_a_newly_generated_path_is_refused_unless_adopted() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    let spec = fs::read_to_string(ws.path(SPEC)).unwrap();
    let users = spec.find("[services.users]").unwrap();
    let end = users + spec[users..].find("\n[services.auth]").unwrap();
    let copied = spec[users..end]
        .replace("[services.users]", "[services.accounts]")
        .replace("route = \"/users\"", "route = \"/accounts\"");
    fs::write(ws.path(SPEC), format!("{spec}\n{copied}")).unwrap();
    let hand_written = ws.path("generated/apps/accounts/base/kustomization.yaml");
    fs::create_dir_all(hand_written.parent().unwrap()).unwrap();
    fs::write(&hand_written, "# mine\nresources: []\n").unwrap();
    let before = ws.files();

    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("generated/apps/accounts/base/kustomization.yaml"),
        "{stderr}"
    );
    assert!(stderr.contains("--adopt"), "{stderr}");
    assert_eq!(ws.files(), before, "nothing written");
    let (_, _, stderr) = ws.run(&["plan"]);
    assert!(
        stderr.contains("apps/accounts/base/kustomization.yaml"),
        "{stderr}"
    );

    let (code, _, stderr) = ws.run(&["build", "--adopt"]);
    assert_eq!(code, 0, "{stderr}");
    assert_ne!(
        fs::read_to_string(&hand_written).unwrap(),
        "# mine\nresources: []\n"
    );
    assert_eq!(ws.run(&["check"]).0, 0);
}

#[test]
fn an_edit_keeps_the_mode_of_the_spec() {
    let ws = Workspace::with_spec(SPEC);
    fs::set_permissions(ws.path(SPEC), fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(ws.run(&["promote", "users", "--env", "prod"]).0, 0);
    let mode = fs::metadata(ws.path(SPEC)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn an_edit_refuses_a_read_only_spec() {
    let ws = Workspace::with_spec(SPEC);
    fs::set_permissions(ws.path(SPEC), fs::Permissions::from_mode(0o444)).unwrap();
    let before = fs::read_to_string(ws.path(SPEC)).unwrap();
    let (code, _, stderr) = ws.run(&["promote", "users", "--env", "prod"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
    assert_eq!(fs::read_to_string(ws.path(SPEC)).unwrap(), before);
    let mode = fs::metadata(ws.path(SPEC)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
}

#[test]
fn an_edit_of_a_linked_spec_edits_its_target() {
    let ws = Workspace::with_spec(SPEC);
    fs::rename(ws.path(SPEC), ws.path("estate.toml")).unwrap();
    symlink("../estate.toml", ws.path(SPEC)).unwrap();
    assert_eq!(ws.run(&["promote", "users", "--env", "prod"]).0, 0);
    assert!(
        fs::symlink_metadata(ws.path(SPEC))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let target = fs::read_to_string(ws.path("estate.toml")).unwrap();
    assert!(target.contains("live = \"green\""), "{target}");
}

#[test]
fn an_out_that_is_a_regular_file_is_bad_input_naming_it() {
    let ws = Workspace::with_spec(SPEC);
    fs::write(ws.path("tree.txt"), "not a folder").unwrap();
    for command in ["check", "plan", "build"] {
        let (code, stdout, stderr) = ws.run(&[command, "--out", "tree.txt"]);
        assert_eq!(code, 2, "{command}: {stdout}");
        assert!(
            stderr.contains("tree.txt is not a directory"),
            "{command}: {stderr}"
        );
        assert!(!stdout.contains("added"), "{command}: {stdout}");
    }
    assert_eq!(
        fs::read_to_string(ws.path("tree.txt")).unwrap(),
        "not a folder"
    );
}

#[test]
fn a_spec_that_is_a_directory_is_named_with_what_to_give() {
    let ws = Workspace::with_spec(SPEC);
    let (code, _, stderr) = ws.run(&["validate", "--spec", "spec"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("`spec` is a directory"), "{stderr}");
    assert!(stderr.contains("spec/enterprise.toml"), "{stderr}");
    let (_, _, stderr) = ws.run(&["validate", "--spec", "."]);
    assert!(stderr.contains("`.` is a directory"), "{stderr}");
}

/// Runs fleetc with its output read by nobody: the pipe's reading end is closed at once.
fn run_into_closed_pipe(ws: &Workspace, args: &[&str]) -> (std::process::ExitStatus, String) {
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("fleetc"))
        .current_dir(ws.path(""))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let status = output.status;
    assert!(
        status.success() || status.signal() == Some(libc::SIGPIPE),
        "{args:?} ended with {status:?}"
    );
    (status, String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn a_closed_pipe_ends_render_quietly() {
    let ws = Workspace::with_spec(SPEC);
    let (_, stderr) = run_into_closed_pipe(&ws, &["render", "--all"]);
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn a_closed_pipe_ends_diff_quietly() {
    let ws = Workspace::with_spec(SPEC);
    let repo = git2::Repository::init(ws.path("")).unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new(SPEC)).unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let signature = git2::Signature::now("Fleet Tester", "tester@example.com").unwrap();
    repo.commit(Some("HEAD"), &signature, &signature, "estate", &tree, &[])
        .unwrap();
    ws.edit_spec(
        "replicas = { dev = 1, staging = 2, prod = 3 }",
        "replicas = 5",
    );
    let (_, stderr) = run_into_closed_pipe(&ws, &["diff", "--base", "HEAD"]);
    assert!(stderr.is_empty(), "{stderr}");
}
