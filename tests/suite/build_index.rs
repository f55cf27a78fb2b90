//! A build with nothing to do answers from its index of what the last build read and wrote,
//! and goes the whole way whenever anything the index vouches for has changed: a spec file,
//! a file beside it, a file a pattern newly includes, a file of the tree, fleetc's options.

use crate::common;
use crate::escape_hatch;
use crate::spec_files::split_workspace;

use std::fs;
use std::path::PathBuf;

use common::Workspace;

const MARK: &str = "note: answered from the index";

/// Makes the workspace a git repository: the index lives in its git folder.
fn in_repository(ws: Workspace) -> Workspace {
    let out = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(ws.path(""))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    ws
}

/// The index of `generated/`, in the repository's git folder.
fn index(ws: &Workspace) -> PathBuf {
    let folder = ws.path(".git/fleetc");
    let found: Vec<PathBuf> = fs::read_dir(&folder)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| !p.to_string_lossy().ends_with(".new"))
                .collect()
        })
        .unwrap_or_default();
    match found.as_slice() {
        [one] => one.clone(),
        _ => folder.join("none"),
    }
}

/// Builds until an index vouches for the tree (a build whose files were written within the
/// tick it began in leaves none), then marks the index with a warning no compile gives, so a
/// build that answers from it shows the mark.
fn indexed(ws: &Workspace) {
    for _ in 0..50 {
        let (code, _, stderr) = ws.run(&["build"]);
        assert_eq!(code, 0, "{stderr}");
        if let Ok(text) = fs::read_to_string(index(ws)) {
            let marked: String = text
                .lines()
                .map(|line| {
                    if line.starts_with("warnings ") {
                        format!("warnings \"{MARK}\\n\"\n")
                    } else {
                        format!("{line}\n")
                    }
                })
                .collect();
            fs::write(index(ws), marked).unwrap();
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("no build left an index");
}

/// `fleetc build` with `args`: whether it answered from the index, and what it printed.
fn build(ws: &Workspace, args: &[&str]) -> (bool, String, String) {
    let (code, stdout, stderr) = ws.run(&[&["build"], args].concat());
    assert_eq!(code, 0, "{stderr}");
    (stderr.contains(MARK), stdout, stderr)
}

#[test]
fn an_unchanged_build_answers_from_its_index_and_says_what_the_whole_build_says() {
    let ws = in_repository(Workspace::with_spec("spec/enterprise.toml"));
    let (_, whole, _) = build(&ws, &[]);
    let (_, whole_again, _) = build(&ws, &[]);
    assert!(whole_again.contains("generated is up to date ("), "{whole}");
    indexed(&ws);
    let (answered, stdout, _) = build(&ws, &[]);
    assert!(answered, "the index vouches for every file");
    assert_eq!(stdout, whole_again);
    let (code, stdout, stderr) = ws.run(&["check"]);
    assert_eq!(code, 0);
    assert!(!stderr.contains(MARK), "check never reads the index");
    assert_eq!(stdout, "generated is up to date\n");
}

#[test]
fn a_build_answered_from_the_index_shows_the_warnings_the_compile_showed() {
    let ws = in_repository(Workspace::with_spec("spec/enterprise.toml"));
    ws.edit_spec(
        "[services.notifications]\n",
        "[services.notifications]\nenvironments = [\"prod\"]\n",
    );
    let (_, _, _) = build(&ws, &[]);
    let whole = loop {
        let (_, _, stderr) = build(&ws, &[]);
        if index(&ws).exists() {
            break stderr;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(
        whole.contains("depends on `notifications`, which does not run in"),
        "{whole}"
    );
    let (_, _, answered) = build(&ws, &[]);
    assert_eq!(answered, whole);
}

#[test]
fn an_edited_spec_is_compiled_again() {
    let ws = in_repository(Workspace::with_spec("spec/enterprise.toml"));
    indexed(&ws);
    ws.edit_spec("version = \"1.1.0\"", "version = \"1.1.1\"");
    let (answered, stdout, _) = build(&ws, &[]);
    assert!(!answered);
    assert!(stdout.contains("wrote generated"), "{stdout}");
}

#[test]
fn an_edited_included_file_and_a_file_a_pattern_newly_matches_are_compiled_again() {
    let ws = in_repository(split_workspace());
    indexed(&ws);
    let team = ws.path("spec/teams/commerce.toml");
    let text = fs::read_to_string(&team).unwrap();
    fs::write(&team, format!("{text}\n# a comment changes no key\n")).unwrap();
    let (answered, stdout, _) = build(&ws, &[]);
    assert!(!answered, "the file's stamp changed");
    assert!(stdout.contains("generated is up to date"), "{stdout}");

    indexed(&ws);
    fs::write(
        ws.path("spec/teams/zz-new.toml"),
        "# the team's services move here\n",
    )
    .unwrap();
    let (answered, stdout, _) = build(&ws, &[]);
    assert!(!answered, "a new file matches `teams/*.toml`: {stdout}");
    let (code, _, stderr) = ws.run(&["check"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn an_edited_file_beside_the_spec_is_compiled_again() {
    let ws = in_repository(escape_hatch::workspace());
    indexed(&ws);
    escape_hatch::edit_file(&ws, "config/logging.yaml", "level: info", "level: debug");
    let (answered, stdout, _) = build(&ws, &[]);
    assert!(!answered);
    assert!(stdout.contains("wrote generated"), "{stdout}");
}

#[test]
fn a_tree_file_edited_by_hand_or_removed_is_written_again() {
    let ws = in_repository(Workspace::with_spec("spec/enterprise.toml"));
    indexed(&ws);
    let file = ws.path("generated/apps/users/base/kustomization.yaml");
    let written = fs::read_to_string(&file).unwrap();
    // The same size: only the stamp's times and the bytes tell.
    fs::write(&file, written.replacen("users", "USERS", 1)).unwrap();
    let (answered, _, _) = build(&ws, &[]);
    assert!(!answered);
    assert_eq!(fs::read_to_string(&file).unwrap(), written);

    indexed(&ws);
    fs::remove_file(&file).unwrap();
    let (answered, _, _) = build(&ws, &[]);
    assert!(!answered);
    assert_eq!(fs::read_to_string(&file).unwrap(), written);
}

#[test]
fn a_file_added_among_the_trees_or_left_by_a_killed_build_is_seen() {
    let ws = in_repository(Workspace::with_spec("spec/enterprise.toml"));
    indexed(&ws);
    fs::write(ws.path("generated/apps/users/notes.txt"), "mine").unwrap();
    let (answered, _, stderr) = build(&ws, &[]);
    assert!(!answered);
    assert!(stderr.contains("not written by fleetc"), "{stderr}");

    indexed(&ws);
    let (_, _, stderr) = build(&ws, &[]);
    assert!(stderr.contains("not written by fleetc"), "{stderr}");
    let left = ws.path("generated/apps/users/.kustomization.yaml.a1b2c3d4.fleetc-tmp");
    fs::write(&left, "half").unwrap();
    let (answered, _, _) = build(&ws, &[]);
    assert!(!answered);
    assert!(
        !left.exists(),
        "the whole build removes what a killed one left"
    );
}

#[test]
fn another_day_or_another_fleetc_is_compiled_again() {
    let ws = in_repository(Workspace::with_spec("spec/enterprise.toml"));
    indexed(&ws);
    assert!(!build(&ws, &["--today", "2031-01-01"]).0);
    indexed(&ws);
    let copy = ws.path("fleetc");
    fs::copy(assert_cmd::cargo::cargo_bin("fleetc"), &copy).unwrap();
    let output = std::process::Command::new(&copy)
        .arg("build")
        .current_dir(ws.path(""))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(!String::from_utf8_lossy(&output.stderr).contains(MARK));
}

#[test]
fn without_a_repository_nothing_but_the_tree_is_written() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    for _ in 0..3 {
        build(&ws, &[]);
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let (_, stdout, _) = build(&ws, &[]);
    assert!(stdout.contains("generated is up to date"), "{stdout}");
    let listed: Vec<String> = fs::read_to_string(ws.path("generated/.fleetc-manifest"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    for entry in fs::read_dir(ws.path("generated")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name == ".fleetc-manifest"
                || listed
                    .iter()
                    .any(|l| l == &name || l.starts_with(&format!("{name}/"))),
            "{name} is not the tree's"
        );
    }
    assert!(!ws.path(".git").exists());
}

#[test]
fn in_a_repository_the_index_lives_in_its_git_folder_and_is_never_committed() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(ws.path(""))
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    git(&["init", "-q"]);
    for _ in 0..50 {
        build(&ws, &[]);
        if ws.path(".git/fleetc").exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let kept: Vec<_> = fs::read_dir(ws.path(".git/fleetc")).unwrap().collect();
    assert_eq!(kept.len(), 1, "one index for the one tree");
    assert!(!git(&["status", "--porcelain", "--ignored"]).contains("index"));
}
