//! The records of written files: one in each service's folder and one at the root, so pull
//! requests about different services never rewrite the same record, and a build still removes
//! only files fleetc wrote, each service's only inside its own folder.

use crate::common;

use std::fs;
use std::os::unix::fs::symlink;

use common::Workspace;

const SPEC: &str = "spec/enterprise.toml";

fn listed(ws: &Workspace, record: &str) -> Vec<String> {
    fs::read_to_string(ws.path(record))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// The spec without the notifications service (its table and every reference to it).
fn drop_notifications(ws: &Workspace) {
    let spec = fs::read_to_string(ws.path(SPEC)).unwrap();
    let start = spec.find("[services.notifications]").unwrap();
    let trimmed = spec[..start]
        .replace(", \"notifications\"]", "]")
        .replace("[\"notifications\"]", "[]");
    fs::write(ws.path(SPEC), trimmed).unwrap();
}

#[test]
fn each_service_records_its_own_files_and_the_root_records_the_rest() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    let root = listed(&ws, "generated/.fleetc-manifest");
    assert!(root.contains(&"CODEOWNERS".to_owned()), "{root:?}");
    assert!(root.contains(&"apps/users/.fleetc-manifest".to_owned()));
    assert!(
        !root
            .iter()
            .any(|p| p.starts_with("apps/") && !p.ends_with("/.fleetc-manifest"))
    );
    let users = listed(&ws, "generated/apps/users/.fleetc-manifest");
    assert!(
        users.contains(&"base/kustomization.yaml".to_owned()),
        "{users:?}"
    );
    let on_disk = walkdir::WalkDir::new(ws.path("generated/apps/users"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != ".fleetc-manifest")
        .count();
    assert_eq!(
        users.len(),
        on_disk,
        "the record lists every file of the folder"
    );
}

#[test]
fn a_record_removes_nothing_outside_its_own_folder() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    for path in [
        "generated/keep.txt",
        "keep.txt",
        "generated/apps/payments/keep.txt",
    ] {
        fs::write(ws.path(path), "mine\n").unwrap();
    }
    let record = ws.path("generated/apps/notifications/.fleetc-manifest");
    let mut text = fs::read_to_string(&record).unwrap();
    text.push_str("../../keep.txt\n../../../keep.txt\n../payments/keep.txt\n/etc/hostname\n");
    fs::write(&record, text).unwrap();
    drop_notifications(&ws);

    let (code, _, stderr) = ws.run(&["build", "--allow-delete"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !ws.path("generated/apps/notifications").exists(),
        "the service's files went"
    );
    for path in [
        "generated/keep.txt",
        "keep.txt",
        "generated/apps/payments/keep.txt",
    ] {
        assert!(ws.path(path).is_file(), "{path} stays");
    }
    assert_eq!(ws.run(&["check"]).0, 0);
}

#[test]
fn a_record_the_root_does_not_list_owns_nothing() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    fs::create_dir_all(ws.path("generated/apps/ghost")).unwrap();
    fs::write(
        ws.path("generated/apps/ghost/.fleetc-manifest"),
        "keep.txt\n",
    )
    .unwrap();
    fs::write(ws.path("generated/apps/ghost/keep.txt"), "mine\n").unwrap();
    fs::write(
        ws.path("generated/apps/users/.fleetc-manifest.bak"),
        "base/kustomization.yaml\n",
    )
    .unwrap();
    drop_notifications(&ws);
    assert_eq!(ws.run(&["build", "--allow-delete"]).0, 0);
    assert!(ws.path("generated/apps/ghost/keep.txt").is_file());
    assert!(ws.path("generated/apps/ghost/.fleetc-manifest").is_file());
}

#[test]
fn a_record_that_is_a_link_is_refused_and_nothing_is_removed() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    fs::write(ws.path("victim.txt"), "mine\n").unwrap();
    fs::write(
        ws.path("elsewhere-record"),
        "../../../victim.txt\nbase/kustomization.yaml\n",
    )
    .unwrap();
    let record = ws.path("generated/apps/notifications/.fleetc-manifest");
    fs::remove_file(&record).unwrap();
    symlink(ws.path("elsewhere-record"), &record).unwrap();
    drop_notifications(&ws);
    let (code, _, stderr) = ws.run(&["build", "--allow-delete"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(ws.path("victim.txt").is_file());
    assert!(
        ws.path("generated/apps/notifications/base/kustomization.yaml")
            .is_file()
    );
}

/// A tree whose root record lists every file (as trees written before the services kept
/// their own records) is taken over: its files stay owned, and the next build writes the
/// services' records.
#[test]
fn a_tree_recorded_in_one_file_is_taken_over() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    let mut every: Vec<String> = ws
        .generated()
        .into_keys()
        .filter(|p| !p.ends_with(".fleetc-manifest"))
        .map(|p| p["generated/".len()..].to_owned())
        .collect();
    every.sort();
    for entry in fs::read_dir(ws.path("generated/apps")).unwrap() {
        let _ = fs::remove_file(entry.unwrap().path().join(".fleetc-manifest"));
    }
    let mut text = String::from("# Files written by fleetc; `fleetc build` removes only these.\n");
    for path in &every {
        text.push_str(path);
        text.push('\n');
    }
    fs::write(ws.path("generated/.fleetc-manifest"), text).unwrap();
    assert_eq!(ws.run(&["check"]).0, 1, "the records are missing");
    drop_notifications(&ws);
    let (code, _, stderr) = ws.run(&["build", "--allow-delete"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("not written by fleetc"), "{stderr}");
    assert!(!ws.path("generated/apps/notifications").exists());
    assert!(ws.path("generated/apps/users/.fleetc-manifest").is_file());
    assert_eq!(ws.run(&["check"]).0, 0);
}
