//! Many pull requests from one main, merged one after another with plain `git merge`: with
//! `fleetc merge-driver` installed, no conflict and a tree `fleetc check` passes after every
//! merge; a key both sides change is the one conflict, reported as git reports one.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::Workspace;

const FLEETC: &str = env!("CARGO_BIN_EXE_fleetc");

/// The 100-service spec split by team, built and committed on `main`, the driver installed.
fn estate(with_driver: bool) -> Workspace {
    let ws = Workspace::with_spec("spec/by-team/enterprise-100.toml");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::create_dir_all(ws.path("spec/teams")).unwrap();
    for entry in fs::read_dir(root.join("spec/by-team/teams")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), ws.path("spec/teams").join(entry.file_name())).unwrap();
    }
    git(&ws, &["init", "-q", "-b", "main"]);
    git(&ws, &["config", "user.email", "tester@example.com"]);
    git(&ws, &["config", "user.name", "Fleet Tester"]);
    assert_eq!(ws.run(&["build"]).0, 0);
    if with_driver {
        let (code, stdout, stderr) = ws.run(&["merge-driver", "install"]);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stdout.contains("merge driver `fleetc` installed"),
            "{stdout}"
        );
    }
    git(&ws, &["add", "-A"]);
    git(&ws, &["commit", "-q", "-m", "estate"]);
    ws
}

/// Runs git in the workspace, with fleetc on the PATH as the driver's command names it.
fn git_status(ws: &Workspace, args: &[&str]) -> (bool, String) {
    let bin = Path::new(FLEETC).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("git")
        .args(args)
        .current_dir(ws.path(""))
        .env("PATH", path)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

fn git(ws: &Workspace, args: &[&str]) {
    let (ok, text) = git_status(ws, args);
    assert!(ok, "git {args:?}: {text}");
}

/// The services of the estate fleetc releases, each with its team and whether it has a
/// release state in prod, in the order they are written.
fn services(ws: &Workspace) -> Vec<(String, String, bool)> {
    let mut found = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(ws.path("spec/teams"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let text = fs::read_to_string(&path).unwrap();
        for block in text.split("\n[services.").skip(1) {
            let name = block.split(']').next().unwrap().to_owned();
            let team = block
                .lines()
                .find_map(|l| l.strip_prefix("team = \""))
                .unwrap()
                .trim_end_matches('"')
                .to_owned();
            // Argo Rollouts delivers some: fleetc releases the others only.
            if !block.contains("strategy =") {
                found.push((name, team, block.contains("deploy.prod")));
            }
        }
    }
    found
}

/// A branch from main with one change made by `change`, built and committed.
fn branch(ws: &Workspace, name: &str, change: impl FnOnce(&Workspace)) {
    git(ws, &["checkout", "-q", "-b", name, "main"]);
    change(ws);
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{name}: {stderr}");
    git(ws, &["add", "-A"]);
    git(ws, &["commit", "-q", "-m", name]);
    git(ws, &["checkout", "-q", "main"]);
}

fn ok(ws: &Workspace, args: &[&str]) {
    let (code, _, stderr) = ws.run(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
}

/// Twenty-five branches: releases of twenty services of six teams in dev, staging and prod,
/// two promotions, a base upgrade, a Terraform pin, a new service.
fn twenty_branches(ws: &Workspace) -> Vec<String> {
    let services = services(ws);
    let mut names = Vec::new();
    let mut teams_used = std::collections::BTreeSet::new();
    let candidates: Vec<&(String, String, bool)> =
        services.iter().filter(|(_, _, prod)| !prod).collect();
    let envs = ["dev", "staging", "prod"];
    for (index, (service, team, _)) in candidates.iter().step_by(3).take(20).enumerate() {
        let env = envs[index % 3];
        teams_used.insert(team.clone());
        let version = if env == "prod" {
            format!("9.{index}.0@sha256:{}", format!("{index:02x}").repeat(32))
        } else {
            format!("9.{index}.0")
        };
        let name = format!("release-{service}-{env}");
        branch(ws, &name, |ws| {
            ok(
                ws,
                &["release", service, &version, "--env", env, "--skip-order"],
            );
        });
        names.push(name);
    }
    assert!(teams_used.len() >= 6, "{teams_used:?}");
    for (service, _, _) in services.iter().filter(|(_, _, prod)| *prod).take(2) {
        let name = format!("promote-{service}");
        branch(ws, &name, |ws| {
            ok(ws, &["promote", service, "--env", "prod"]);
        });
        names.push(name);
    }
    branch(ws, "upgrade-python", |ws| {
        ws.edit_spec(
            "[base_images.python]\nimage = \"platform/python\"\n",
            "[base_images.python]\nimage = \"platform/python\"\nversions.\"3.13\" = { status = \"approved\" }\n",
        );
        ok(ws, &["upgrade-base", "python", "3.13"]);
    });
    names.push("upgrade-python".to_owned());
    branch(ws, "pin-eks", |ws| {
        ok(
            ws,
            &[
                "pin-module",
                "eks",
                "v1.5.0@c0ffee5e7a1b2c3d4e5f60718293a4b5c6d7e8f9",
            ],
        );
    });
    names.push("pin-eks".to_owned());
    branch(ws, "new-service", |ws| {
        let path = ws.path("spec/teams/data.toml");
        let mut text = fs::read_to_string(&path).unwrap();
        text.push_str("\n[services.lakehouse]\nteam = \"data\"\nbase = \"python:3.12\"\nroute = \"/lakehouse\"\nversion = \"0.1.0\"\n");
        fs::write(path, text).unwrap();
    });
    names.push("new-service".to_owned());
    assert_eq!(names.len(), 25);
    names
}

fn merge_all(ws: &Workspace, order: &[String]) {
    for name in order {
        let (merged, text) = git_status(ws, &["merge", "--no-edit", "-q", name]);
        assert!(merged, "merging {name}: {text}");
        let (code, stdout, stderr) = ws.run(&["check"]);
        assert_eq!(code, 0, "after merging {name}: {stdout}{stderr}");
    }
}

#[test]
fn twenty_five_branches_merge_in_any_order_without_conflict_and_every_merge_checks() {
    let ws = estate(true);
    let (_, start) = git_status(&ws, &["rev-parse", "HEAD"]);
    let names = twenty_branches(&ws);
    merge_all(&ws, &names);
    let merged = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    assert!(
        merged.contains("c0ffee5e7a1b2c3d4e5f60718293a4b5c6d7e8f9"),
        "the pin landed"
    );
    let data = fs::read_to_string(ws.path("spec/teams/data.toml")).unwrap();
    assert!(
        data.contains("[services.lakehouse]"),
        "the new service landed"
    );

    git(&ws, &["reset", "-q", "--hard", start.trim()]);
    let mut order = names.clone();
    order.reverse();
    order.swap(3, 17);
    order.swap(0, 12);
    merge_all(&ws, &order);
}

#[test]
fn both_sides_changing_one_key_conflict_as_git_reports_it_and_nothing_else_is_written() {
    let ws = estate(true);
    let (service, _, _) = services(&ws)
        .into_iter()
        .find(|(_, _, prod)| !prod)
        .unwrap();
    branch(&ws, "ours", |ws| {
        ok(ws, &["release", &service, "7.0.0", "--env", "dev"]);
    });
    branch(&ws, "theirs", |ws| {
        ok(ws, &["release", &service, "8.0.0", "--env", "dev"]);
    });
    git(&ws, &["merge", "--no-edit", "-q", "ours"]);
    let before: Vec<(String, Vec<u8>)> = ws.generated().into_iter().collect();
    let (merged, text) = git_status(&ws, &["merge", "--no-edit", "theirs"]);
    assert!(!merged, "{text}");
    assert!(
        text.contains("CONFLICT (content): Merge conflict in spec/teams/"),
        "{text}"
    );
    let (_, unmerged) = git_status(&ws, &["diff", "--name-only", "--diff-filter=U"]);
    let unmerged: Vec<&str> = unmerged.lines().collect();
    assert_eq!(unmerged.len(), 1, "{unmerged:?}");
    let file = fs::read_to_string(ws.path(unmerged[0])).unwrap();
    assert!(
        file.contains("<<<<<<< ours\n") && file.contains(">>>>>>> theirs\n"),
        "{file}"
    );
    assert!(
        file.contains("green = \"7.0.0\"") && file.contains("green = \"8.0.0\""),
        "{file}"
    );
    let after: Vec<(String, Vec<u8>)> = ws.generated().into_iter().collect();
    let changed: Vec<&String> = after
        .iter()
        .filter(|(path, bytes)| {
            before
                .iter()
                .find(|(p, _)| p == path)
                .is_none_or(|(_, b)| b != bytes)
        })
        .map(|(path, _)| path)
        .collect();
    assert!(
        changed
            .iter()
            .all(|path| path.starts_with(&format!("generated/apps/{service}/"))),
        "only the release's own files are taken from theirs: {changed:?}"
    );
}

/// Without the driver, git merges the files by their lines: branches that change different
/// services' keys still merge, since each release changes its own service's files only.
#[test]
fn without_the_driver_releases_of_different_services_merge_and_check() {
    let ws = estate(false);
    let services: Vec<(String, String, bool)> = services(&ws)
        .into_iter()
        .filter(|(_, _, prod)| !prod)
        .step_by(7)
        .take(6)
        .collect();
    let mut names = Vec::new();
    for (index, (service, _, _)) in services.iter().enumerate() {
        let name = format!("release-{service}");
        branch(&ws, &name, |ws| {
            ok(
                ws,
                &["release", service, &format!("9.{index}.0"), "--env", "dev"],
            );
        });
        names.push(name);
    }
    merge_all(&ws, &names);
}

/// Without the driver, git merges every file by its lines: the tree's files never conflict
/// (each release changes its own service's files), and the spec conflicts only where two
/// branches write lines at one place of one service (a release and a base upgrade both adding
/// a key at the end of its table).
#[test]
fn without_the_driver_the_branches_conflict_only_in_the_spec() {
    let ws = estate(false);
    let names = twenty_branches(&ws);
    let mut conflicted = Vec::new();
    for name in &names {
        let (merged, _) = git_status(&ws, &["merge", "--no-edit", "-q", name]);
        if !merged {
            let (_, unmerged) = git_status(&ws, &["diff", "--name-only", "--diff-filter=U"]);
            for path in unmerged.lines() {
                assert!(path.starts_with("spec/"), "{name}: {path} conflicts");
                conflicted.push(path.to_owned());
            }
            git(&ws, &["merge", "--abort"]);
        }
    }
    assert!(conflicted.len() <= 2, "{conflicted:?}");
}

/// The hook rewrites only the merge commit it follows: a pull that fast-forwards to a merge
/// made elsewhere, whose tree is stale, leaves that commit as the remote has it.
#[test]
fn a_merge_commit_reached_by_a_fast_forward_is_never_rewritten() {
    let ws = estate(true);
    // A python service: its new colour carries the base image the upgrade moves.
    branch(&ws, "release", |ws| {
        ok(ws, &["release", "cart", "9.0.0", "--env", "dev"]);
    });
    branch(&ws, "upgrade", |ws| {
        ws.edit_spec(
            "[base_images.python]\nimage = \"platform/python\"\n",
            "[base_images.python]\nimage = \"platform/python\"\nversions.\"3.13\" = { status = \"approved\" }\n",
        );
        ok(ws, &["upgrade-base", "python", "3.13"]);
    });
    let clone = tempfile::tempdir().unwrap();
    let clone_path = clone.path().join("clone");
    git(
        &ws,
        &["clone", "-q", ".", &clone_path.display().to_string()],
    );
    let in_clone = |args: &[&str]| {
        let mut all = vec!["-C", clone_path.to_str().unwrap()];
        all.extend_from_slice(args);
        git_status(&ws, &all)
    };
    assert!(in_clone(&["config", "user.email", "tester@example.com"]).0);
    assert!(in_clone(&["config", "user.name", "Fleet Tester"]).0);
    let install = Command::new(FLEETC)
        .args(["merge-driver", "install"])
        .current_dir(&clone_path)
        .output()
        .unwrap();
    assert!(install.status.success(), "{install:?}");
    // Main is merged elsewhere with no hook: its merge commit holds a stale tree.
    git(&ws, &["merge", "-q", "--no-edit", "release"]);
    git(
        &ws,
        &[
            "-c",
            "core.hooksPath=/dev/null",
            "merge",
            "-q",
            "--no-edit",
            "upgrade",
        ],
    );
    let (_, merged) = git_status(&ws, &["rev-parse", "HEAD"]);
    assert_eq!(ws.run(&["check"]).0, 1, "the merge made elsewhere is stale");
    let (pulled, text) = in_clone(&["pull", "-q", "--ff-only", "origin", "main"]);
    assert!(pulled, "{text}");
    let (_, head) = in_clone(&["rev-parse", "HEAD"]);
    assert_eq!(head, merged, "the remote's merge commit is left as it is");
}
