//! A spec in several files: the root includes others by path or pattern; the tree is the
//! same as the one file's; every diagnostic, `why` and edit names and changes the file that
//! holds the key; a revision is read with the files it included then.

use crate::common;

use std::fs;
use std::path::Path;

use common::Workspace;

const SINGLE: &str = "spec/enterprise-100.toml";
const SPLIT: &str = "spec/by-team/enterprise-100.toml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A workspace holding the bundled 100-service spec split by team: `spec/enterprise.toml`
/// and `spec/teams/<team>.toml`.
pub(crate) fn split_workspace() -> Workspace {
    let ws = Workspace::with_spec(SPLIT);
    fs::create_dir_all(ws.path("spec/teams")).unwrap();
    for entry in fs::read_dir(root().join("spec/by-team/teams")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), ws.path("spec/teams").join(entry.file_name())).unwrap();
    }
    ws
}

fn files_below(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().display().to_string();
            (relative, fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_spec_split_by_team_builds_the_tree_of_its_single_file() {
    let out = tempfile::tempdir().unwrap();
    let build = |spec: &str, to: &str| {
        let (code, _, stderr) = Workspace::with_spec(SINGLE).run(&[
            "--spec",
            &root().join(spec).display().to_string(),
            "--out",
            &out.path().join(to).display().to_string(),
            "build",
        ]);
        assert_eq!(code, 0, "{spec}: {stderr}");
    };
    build(SINGLE, "single");
    build(SPLIT, "split");
    let single = files_below(&out.path().join("single"));
    assert!(single.len() > 1000);
    assert!(
        single == files_below(&out.path().join("split")),
        "the trees differ"
    );
}

/// `spec/by-team` is what `fleetc split` writes from the 100-service spec.
#[test]
fn the_bundled_split_spec_is_what_split_writes() {
    let ws = Workspace::with_spec(SINGLE);
    let text = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let (first, rest) = text.split_once('\n').unwrap();
    assert_eq!(first, "#:schema ../schemas/enterprise.schema.json");
    fs::create_dir_all(ws.path("spec/by-team")).unwrap();
    let moved = format!("#:schema ../../schemas/enterprise.schema.json\n{rest}");
    fs::write(ws.path("spec/by-team/enterprise-100.toml"), moved).unwrap();
    let (code, stdout, stderr) = ws.run(&["--spec", "spec/by-team/enterprise-100.toml", "split"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("wrote 8 team files in spec/by-team/teams"),
        "{stdout}"
    );
    assert_eq!(
        files_below(&ws.path("spec/by-team")),
        files_below(&root().join("spec/by-team")),
        "spec/by-team is stale: run `fleetc --spec spec/by-team/enterprise-100.toml split` on a copy of {SINGLE}"
    );
}

#[test]
fn split_writes_nothing_when_a_team_file_exists_or_the_spec_already_includes() {
    let ws = Workspace::with_spec(SINGLE);
    fs::create_dir_all(ws.path("spec/teams")).unwrap();
    fs::write(ws.path("spec/teams/data.toml"), "# mine\n").unwrap();
    let before = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let (code, _, stderr) = ws.run(&["split"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("spec/teams/data.toml` exists"), "{stderr}");
    assert_eq!(
        fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap(),
        before
    );
    assert_eq!(fs::read_dir(ws.path("spec/teams")).unwrap().count(), 1);

    let ws = split_workspace();
    let (code, _, stderr) = ws.run(&["split", "--into", "more"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("already includes"), "{stderr}");
}

#[test]
fn a_release_edits_the_file_that_holds_the_service_and_keeps_its_comments() {
    let ws = split_workspace();
    assert_eq!(ws.run(&["build"]).0, 0);
    let data = ws.path("spec/teams/data.toml");
    let mut text = fs::read_to_string(&data).unwrap();
    text = text.replacen(
        "[services.orders]\n",
        "# orders: the data team's\n[services.orders]\n",
        1,
    );
    fs::write(&data, &text).unwrap();
    let root_before = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let others: Vec<_> = files_below(&ws.path("spec/teams"))
        .into_iter()
        .filter(|(p, _)| p != "data.toml")
        .collect();

    let (code, _, stderr) = ws.run(&["release", "orders", "9.9.9", "--env", "dev"]);
    assert_eq!(code, 0, "{stderr}");
    let after = fs::read_to_string(&data).unwrap();
    assert!(
        after.contains("# orders: the data team's\n[services.orders]\n"),
        "{after}"
    );
    assert!(
        after.contains("deploy.dev = { blue = \"2.6.6\", green = \"9.9.9\", live = \"blue\" }"),
        "{after}"
    );
    assert_eq!(after.lines().count(), text.lines().count() + 1);
    assert_eq!(
        fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap(),
        root_before
    );
    let still: Vec<_> = files_below(&ws.path("spec/teams"))
        .into_iter()
        .filter(|(p, _)| p != "data.toml")
        .collect();
    assert_eq!(still, others, "the other teams' files are untouched");
    assert_eq!(ws.run(&["build"]).0, 0);
    assert_eq!(ws.run(&["check"]).0, 0);
}

#[test]
fn a_pin_in_the_root_is_edited_in_the_root() {
    let ws = split_workspace();
    let teams = files_below(&ws.path("spec/teams"));
    let (code, _, stderr) = ws.run(&[
        "pin-module",
        "eks",
        "v9.9.9@c0ffee5e7a1b2c3d4e5f60718293a4b5c6d7e8f9",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        fs::read_to_string(ws.path("spec/enterprise.toml"))
            .unwrap()
            .contains("v9.9.9")
    );
    assert_eq!(files_below(&ws.path("spec/teams")), teams);
}

#[test]
fn a_problem_in_an_included_file_is_located_in_that_file() {
    let ws = split_workspace();
    let data = ws.path("spec/teams/data.toml");
    let text = fs::read_to_string(&data).unwrap();
    fs::write(
        &data,
        text.replacen("route = \"/orders\"", "route = \"orders\"", 1),
    )
    .unwrap();
    let line = text
        .lines()
        .position(|l| l == "route = \"/orders\"")
        .unwrap()
        + 1;
    let (code, _, stderr) = ws.run(&["check", "--color", "never"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!("--> spec/teams/data.toml:{line}:9")),
        "{stderr}"
    );
    let (_, stdout, _) = ws.run(&["check", "--format", "github"]);
    assert!(
        stdout.contains(&format!("file=spec/teams/data.toml,line={line},col=9")),
        "{stdout}"
    );
}

/// `check` with `text` as a new team file: exit 2, saying `says` and pointing at `at`.
fn refused_with_a_team_file(ws: &Workspace, text: &str, says: &[&str], at: &str) {
    fs::write(ws.path("spec/teams/zz.toml"), text).unwrap();
    let (code, _, stderr) = ws.run(&["check", "--color", "never"]);
    assert_eq!(code, 2, "{stderr}");
    for said in says {
        assert!(stderr.contains(said), "{said}: {stderr}");
    }
    assert!(
        stderr.contains(&format!("--> spec/teams/zz.toml:{at}")),
        "{stderr}"
    );
}

#[test]
fn a_table_written_in_two_files_names_both_places() {
    let ws = split_workspace();
    let twice = "`services.orders` is written in two files";
    refused_with_a_team_file(
        &ws,
        "[services.orders]\nteam = \"data\"\n",
        &[twice, "spec/teams/data.toml:"],
        "1:11",
    );
    refused_with_a_team_file(
        &ws,
        "[services.orders.overrides.prod]\nreplicas = 2\n",
        &[twice],
        "1:18",
    );
    refused_with_a_team_file(
        &ws,
        "replicas = 2\n[services.zz]\n",
        &["starts with a key outside any table"],
        "1:1",
    );
}

#[test]
fn an_include_that_cannot_be_read_is_refused_at_its_entry_and_nothing_is_written() {
    let cases: &[(&str, &str)] = &[
        (
            "\"missing.toml\"",
            "`missing.toml` does not exist beside the spec",
        ),
        ("\"../outside.toml\"", "leaves the spec's folder"),
        (
            "\"/etc/passwd.toml\"",
            "is not a path relative to the spec's folder",
        ),
        ("\"teams/*.yaml\"", "does not end in `.toml`"),
        ("\"linked/*.toml\"", "outside the spec's folder"),
        ("\"binary.toml\"", "is not UTF-8 text"),
    ];
    for (entry, says) in cases {
        let ws = split_workspace();
        fs::write(ws.path("outside.toml"), "[services.x]\n").unwrap();
        fs::create_dir_all(ws.path("elsewhere")).unwrap();
        fs::write(ws.path("elsewhere/x.toml"), "[services.x]\n").unwrap();
        std::os::unix::fs::symlink(ws.path("elsewhere"), ws.path("spec/linked")).unwrap();
        fs::write(ws.path("spec/binary.toml"), [0xff, 0xfe, 0x00]).unwrap();
        let text = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
        let text = text.replacen(
            "include = [\"teams/*.toml\"]",
            &format!("include = [\"teams/*.toml\", {entry}]"),
            1,
        );
        fs::write(ws.path("spec/enterprise.toml"), &text).unwrap();
        let line = text
            .lines()
            .position(|l| l.starts_with("include = "))
            .unwrap()
            + 1;
        let (code, _, stderr) = ws.run(&["build", "--color", "never"]);
        assert_eq!(code, 2, "{entry}: {stderr}");
        assert!(stderr.contains(says), "{entry}: {stderr}");
        assert!(
            stderr.contains(&format!("--> spec/enterprise.toml:{line}:")),
            "{entry}: {stderr}"
        );
        assert!(
            !ws.path("generated").exists(),
            "{entry}: nothing is written"
        );
    }
}

#[test]
fn why_names_the_file_that_holds_the_key() {
    let ws = split_workspace();
    assert_eq!(ws.run(&["build"]).0, 0);
    let (code, stdout, stderr) = ws.run(&[
        "why",
        "generated/apps/orders/base/service.yaml",
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("--> spec/teams/data.toml:"), "{stdout}");
}

#[test]
fn a_revision_is_read_with_the_files_it_included_then() {
    let ws = split_workspace();
    assert_eq!(ws.run(&["build"]).0, 0);
    let repo = git2::Repository::init(ws.path("")).unwrap();
    common::git::commit(&repo, &["spec", "generated"], "split estate", None);
    let data = ws.path("spec/teams/data.toml");
    let text = fs::read_to_string(&data).unwrap();
    fs::write(
        &data,
        text.replacen("version = \"2.6.6\"", "version = \"2.7.0\"", 1),
    )
    .unwrap();
    fs::write(
        ws.path("spec/teams/search.toml"),
        "[teams.search]\nowners = [\"@acme/search\"]\n\n[services.finder]\nteam = \"search\"\nbase = \"go:1.22\"\nversion = \"1.0.0\"\n",
    )
    .unwrap();
    let (code, stdout, stderr) = ws.run(&["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let apps: Vec<String> = report["environments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["applications"].as_array().unwrap().clone())
        .map(|a| a["path"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        apps.iter().any(|p| p.starts_with("apps/orders/")),
        "{apps:?}"
    );
    assert!(
        apps.iter().any(|p| p.starts_with("apps/finder/")),
        "{apps:?}"
    );
    assert!(
        !apps.iter().any(|p| p.starts_with("apps/users/")),
        "{apps:?}"
    );
    assert_eq!(ws.run(&["check"]).0, 1, "the committed tree is stale");
}

/// The services' order in the spec's text is not the tree's: written in any order, or in any
/// files, the estate compiles to the same tree.
#[test]
fn the_tree_does_not_depend_on_the_order_services_are_written_in() {
    let ws = Workspace::with_spec("golden/estate/enterprise.toml");
    let dir = root().join("golden/estate");
    for entry in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let relative = entry.path().strip_prefix(&dir).unwrap();
        if entry.file_type().is_file()
            && !relative.starts_with("expected")
            && relative != Path::new("enterprise.toml")
        {
            let to = ws.path("spec").join(relative);
            fs::create_dir_all(to.parent().unwrap()).unwrap();
            fs::copy(entry.path(), to).unwrap();
        }
    }
    assert_eq!(ws.run(&["build", "--out", "in-order"]).0, 0);
    let text = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let first = text.find("\n[services.").unwrap() + 1;
    let (head, services) = text.split_at(first);
    let mut blocks: Vec<String> = Vec::new();
    for line in services.split_inclusive('\n') {
        if line.starts_with("[services.")
            && !blocks.last().is_some_and(|b| {
                line.starts_with(&format!(
                    "{}.",
                    b.lines().next().unwrap().trim_end_matches(']')
                ))
            })
        {
            blocks.push(String::new());
        }
        blocks.last_mut().unwrap().push_str(line);
    }
    assert!(blocks.len() > 10);
    blocks.reverse();
    fs::write(
        ws.path("spec/enterprise.toml"),
        format!("{head}{}", blocks.concat()),
    )
    .unwrap();
    let (code, _, stderr) = ws.run(&["build", "--out", "reversed"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        files_below(&ws.path("in-order")) == files_below(&ws.path("reversed")),
        "the trees differ"
    );
}

#[test]
fn codeowners_gives_each_team_its_spec_file_and_the_platform_the_root() {
    let ws = split_workspace();
    fs::write(
        ws.path("spec/teams/zz-shared.toml"),
        "[base_images.rust]\nimage = \"platform/rust\"\nversions.\"1.80\" = { status = \"approved\" }\n",
    )
    .unwrap();
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    let codeowners = fs::read_to_string(ws.path("generated/CODEOWNERS")).unwrap();
    let owners = |path: &str| common::codeowners::owners(&codeowners, path);
    assert_eq!(owners("spec/teams/data.toml"), ["@acme/data"]);
    assert_eq!(owners("spec/teams/commerce.toml"), ["@acme/commerce"]);
    assert_eq!(
        owners("spec/enterprise.toml"),
        ["@acme/platform", "@acme/sre"]
    );
    assert_eq!(
        owners("spec/teams/zz-shared.toml"),
        ["@acme/platform", "@acme/sre"],
        "a file holding what the estate shares is the platform's"
    );
    assert_eq!(
        owners("generated/apps/orders/base/service.yaml"),
        ["@acme/data"]
    );
}

/// A release edits the team's own file, so with the tree's files it asks the team alone in an
/// environment without approvers; an edit of the root asks the platform.
#[test]
fn a_change_to_a_team_file_asks_its_team_and_one_to_the_root_the_platform() {
    let ws = split_workspace();
    assert_eq!(ws.run(&["build"]).0, 0);
    let repo = git2::Repository::init(ws.path("")).unwrap();
    common::git::commit(&repo, &["spec", "generated"], "split estate", None);
    assert_eq!(ws.run(&["release", "orders", "9.9.9", "--env", "dev"]).0, 0);
    assert_eq!(ws.run(&["build"]).0, 0);
    let owners = |ws: &Workspace| {
        let (code, stdout, stderr) = ws.run(&["diff", "--base", "HEAD", "--format", "json"]);
        assert_eq!(code, 0, "{stderr}");
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        report["owners"].clone()
    };
    assert_eq!(owners(&ws), serde_json::json!(["@acme/data"]));

    let root = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    fs::write(
        ws.path("spec/enterprise.toml"),
        format!("{root}\n# a note\n"),
    )
    .unwrap();
    let asked = owners(&ws);
    for owner in ["@acme/data", "@acme/platform", "@acme/sre"] {
        assert!(asked.as_array().unwrap().contains(&owner.into()), "{asked}");
    }
}
