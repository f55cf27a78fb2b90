//! `workflow github` writes the GitOps repository's pull-request workflow: where GitHub runs it,
//! the same bytes on every run, and never over a file fleetc did not write.

use crate::common;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use common::Workspace;

const WORKFLOW: &str = ".github/workflows/fleetc.yml";

fn printed(ws: &Workspace, args: &[&str]) -> String {
    let (code, stdout, stderr) = ws.run(args);
    assert_eq!(code, 0, "{stderr}");
    stdout
}

#[test]
fn writes_the_workflow_where_github_runs_it() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let (code, stdout, stderr) = ws.run(&["workflow", "github"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "wrote .github/workflows/fleetc.yml; pull requests run it once it is committed\n"
    );
    assert_eq!(
        fs::read_to_string(ws.path(WORKFLOW)).unwrap(),
        printed(&ws, &["workflow", "github", "--print"])
    );
    assert!(!ws.path("generated").exists(), "nothing else is written");
}

#[test]
fn rewriting_its_own_workflow_gives_the_same_bytes_and_keeps_the_mode() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    assert_eq!(ws.run(&["workflow", "github", "--max-blast", "3"]).0, 0);
    fs::set_permissions(ws.path(WORKFLOW), fs::Permissions::from_mode(0o640)).unwrap();

    let (code, stdout, stderr) = ws.run(&["workflow", "github"]);
    assert_eq!(
        code, 0,
        "its own file is rewritten without --force: {stderr}"
    );
    assert!(stdout.starts_with("wrote "), "{stdout}");
    let written = fs::read(ws.path(WORKFLOW)).unwrap();
    assert!(String::from_utf8_lossy(&written).contains("--max-blast 10 \"$@\"\n"));
    let meta = fs::metadata(ws.path(WORKFLOW)).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);

    let (code, stdout, _) = ws.run(&["workflow", "github"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, ".github/workflows/fleetc.yml is up to date\n");
    assert_eq!(fs::read(ws.path(WORKFLOW)).unwrap(), written);
    assert_eq!(
        fs::metadata(ws.path(WORKFLOW)).unwrap().modified().unwrap(),
        meta.modified().unwrap(),
        "an unchanged workflow is not rewritten"
    );
}

#[test]
fn a_file_fleetc_did_not_write_is_refused_unless_forced() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    fs::create_dir_all(ws.path(".github/workflows")).unwrap();
    fs::write(ws.path(WORKFLOW), "name: ours\non: push\n").unwrap();

    let (code, stdout, stderr) = ws.run(&["workflow", "github"]);
    assert_eq!(code, 2, "{stdout}");
    assert_eq!(
        stderr,
        "error: `.github/workflows/fleetc.yml` exists and fleetc did not write it; pass --force \
         to replace it, or --to to write the workflow elsewhere\n"
    );
    assert_eq!(
        fs::read_to_string(ws.path(WORKFLOW)).unwrap(),
        "name: ours\non: push\n"
    );

    let (code, _, stderr) = ws.run(&["workflow", "github", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        fs::read_to_string(ws.path(WORKFLOW)).unwrap(),
        printed(&ws, &["workflow", "github", "--print"])
    );
}

#[test]
fn the_commands_name_the_spec_and_tree_the_workflow_was_written_for() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let text = printed(
        &ws,
        &[
            "--out", "./tree", "workflow", "github", "--to", "ci.yml", "--print",
        ],
    );
    assert!(text.contains("\n        run: fleetc --out tree check --format github\n"));
    assert!(text.contains("paths: [\"spec/**\", \"tree/**\", \"ci.yml\"]\n"));
    assert!(text.contains("\n#   fleetc --out tree workflow github --to ci.yml\n"));
    assert!(!ws.path("ci.yml").exists(), "--print writes nothing");
}

#[test]
fn paths_the_workflow_cannot_name_are_bad_input_and_nothing_is_written() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let absolute = ws.path("spec/enterprise.toml").display().to_string();
    let (code, _, stderr) = ws.run(&["--spec", &absolute, "workflow", "github"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "error: --spec `{absolute}` cannot be named in the workflow; it takes a path inside \
             the repository, relative to its root (where the workflow runs)\n"
        )
    );
    let (code, _, stderr) = ws.run(&["--out", "my tree", "workflow", "github"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("letters, digits, `.`, `_`, `-` and `/`"),
        "{stderr}"
    );
    let (code, _, stderr) = ws.run(&["--spec", "spec/missing.toml", "workflow", "github"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: there is no spec at `spec/missing.toml`"),
        "{stderr}"
    );
    assert!(!ws.path(".github").exists());
}

/// The manual shows the workflow with its longer scripts cut short at `# …` lines: every run of
/// lines between the cuts must be what fleetc writes, byte for byte, in the same order, and
/// the shown part starts where the workflow does.
#[test]
fn the_manual_shows_the_workflow_fleetc_writes() {
    let page = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/src/pull-requests/workflow.md"
    ))
    .unwrap();
    let section = page
        .split_once("\n## What it writes\n")
        .expect("the page has the section")
        .1;
    let block = section
        .split_once("```yaml\n")
        .expect("the section shows a YAML block")
        .1
        .split_once("\n```\n")
        .expect("the block ends")
        .0;
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let written = printed(&ws, &["workflow", "github", "--print"]);
    let written: Vec<&str> = written.lines().collect();
    let mut runs: Vec<Vec<&str>> = vec![Vec::new()];
    // A comment right below a cut goes on saying what was cut, and is the page's own.
    let mut in_cut = false;
    for line in block.lines() {
        let comment = line.trim_start().starts_with('#');
        if line.trim_start().starts_with("# …") {
            runs.push(Vec::new());
            in_cut = true;
        } else if !(in_cut && comment) {
            runs.last_mut().unwrap().push(line);
            in_cut = false;
        }
    }
    assert!(runs.len() > 1, "the page cuts the longer scripts short");
    let mut from = 0;
    for (i, run) in runs.iter().filter(|run| !run.is_empty()).enumerate() {
        let at = (from..=written.len().saturating_sub(run.len()))
            .find(|&start| written[start..start + run.len()] == run[..])
            .unwrap_or_else(|| {
                panic!(
                    "the page shows lines fleetc does not write:\n{}",
                    run.join("\n")
                )
            });
        assert!(
            i > 0 || at == 0,
            "the page starts where the workflow starts"
        );
        from = at + run.len();
    }
}

/// A `--to` outside the repository, or reached through a link, is refused before anything is
/// read or written, whatever `--force` says.
#[test]
fn the_workflow_is_written_only_inside_the_repository() {
    use std::os::unix::fs::symlink;
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let outside = tempfile::tempdir().unwrap();
    let escape = format!("{}/x.yml", outside.path().display());
    for to in ["../outside/x.yml", "spec/../../x.yml", escape.as_str()] {
        let (code, stdout, stderr) = ws.run(&["workflow", "github", "--to", to, "--force"]);
        assert_eq!(code, 2, "{to}: {stdout}");
        assert!(
            stderr.starts_with(&format!(
                "error: --to `{to}` is not a place in the repository; fleetc writes the \
                 workflow only inside it"
            )),
            "{stderr}"
        );
    }
    assert!(!outside.path().join("x.yml").exists());

    symlink(outside.path(), ws.path("linked")).unwrap();
    let (code, _, stderr) = ws.run(&["workflow", "github", "--to", "linked/x.yml"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: `linked` is a symbolic link; fleetc writes the workflow only inside the \
         repository and will not follow it (remove the link, or give another --to)\n"
    );
    assert!(!outside.path().join("x.yml").exists());

    fs::create_dir_all(ws.path(".github/workflows")).unwrap();
    let victim = outside.path().join("victim.yml");
    fs::write(&victim, "name: theirs\n").unwrap();
    symlink(&victim, ws.path(WORKFLOW)).unwrap();
    let (code, _, stderr) = ws.run(&["workflow", "github", "--force"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: `.github/workflows/fleetc.yml` is a symbolic link"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "name: theirs\n");
}

#[test]
fn bots_are_taken_by_login_and_anything_else_is_bad_input() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let (code, _, stderr) = ws.run(&["workflow", "github", "--bots", "renovate[bot],x') || true"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: --bots `x') || true` is not a GitHub login (letters, digits and `-_.[]` only)\n"
    );
    assert!(!ws.path(".github").exists());

    let text = printed(&ws, &["workflow", "github", "--print", "--bots", ""]);
    assert!(text.contains("contains(fromJSON('[]'), "), "no bot at all");
    assert!(text.contains("\n#   fleetc workflow github --bots ''\n"));
}
