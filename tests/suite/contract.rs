//! The command-line contract: for every command, what it prints and how it exits when it
//! succeeds, when the answer is no (exit 1) and on bad input (exit 2), run as a user runs it
//! and snapshotted whole, so a changed message, column or exit path is reviewed like code.
//! Re-bless with `INSTA_UPDATE=always cargo test --test suite contract` and read the diff.

use crate::common;

use std::fs;

use common::Workspace;

/// Where a case starts.
#[derive(Clone, Copy)]
enum Start {
    /// The bundled spec alone.
    Spec,
    /// The bundled spec and the tree it builds.
    Built,
    /// The spec and its tree committed in a git repository.
    Committed,
    /// An empty folder.
    Empty,
}

/// A change made to the spec after the start, before the command runs.
type Change = Option<(&'static str, &'static str)>;

/// `pricing` leaves prod: one Application goes.
const NARROWED: Change = Some((
    "deploy.prod = { blue = \"2.0.3@sha256:790547ec718fbf363dc75fb1ff1f6ec9dab1604ba23cfaa32cbb881e0e372505\", live = \"blue\" }\n",
    "environments = [\"dev\", \"staging\"]\n",
));
/// `auth`'s next build moves onto a deprecated base.
const DEPRECATED_BASE: Change = Some(("base = \"go:1.22\"", "base = \"go:1.21\""));
/// One more storefront replica in prod.
const SCALED: Change = Some(("staging = 2, prod = 6 }", "staging = 2, prod = 7 }"));
/// A service names a team the spec does not have.
const BROKEN: Change = Some(("team = \"web\"\n", "team = \"webb\"\n"));

const DIGEST: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

fn workspace(start: Start, change: Change) -> Workspace {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    match start {
        Start::Spec => {}
        Start::Empty => fs::remove_dir_all(ws.path("spec")).unwrap(),
        Start::Built | Start::Committed => {
            let (code, _, stderr) = ws.run(&["build"]);
            assert_eq!(code, 0, "{stderr}");
        }
    }
    if matches!(start, Start::Committed) {
        let repo = git2::Repository::init(ws.path("")).unwrap();
        common::git::commit(
            &repo,
            &["spec", "generated"],
            "the estate",
            Some("2026-06-01T00:00:00Z"),
        );
    }
    if let Some((from, to)) = change {
        ws.edit_spec(from, to);
    }
    ws
}

/// The exit code, stdout and stderr of one run, with the scratch folder's path masked.
fn transcript(ws: &Workspace, args: &[&str]) -> String {
    let mut full: Vec<&str> = args.to_vec();
    full.extend(["--color", "never", "--today", "2026-06-02"]);
    if !args.contains(&"--now")
        && !matches!(args.first(), Some(&("release" | "promote" | "advance")))
    {
        full.extend(["--now", "2026-06-02T12:00:00Z"]);
    }
    let (code, stdout, stderr) = ws.run(&full);
    let root = ws.path("").display().to_string();
    let root = root.trim_end_matches('/');
    let mask = |text: &str| mask_commits(&text.replace(root, "[WS]"));
    format!(
        "$ fleetc {}\nexit: {code}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        mask(&stdout),
        mask(&stderr)
    )
}

/// Commit ids of the scratch repository (their times are fixed, their trees are not always)
/// as `[COMMIT]`: a run of 7 to 40 hex digits after `commit ` or `committed `.
fn mask_commits(text: &str) -> String {
    let re = regex::Regex::new(r"\b(commit |committed |\[[a-z-]+ )([0-9a-f]{7,40})\b").unwrap();
    re.replace_all(text, "${1}[COMMIT]").into_owned()
}

macro_rules! contract {
    ($($name:ident: $start:expr, $change:expr, [$($arg:expr),* $(,)?] => $code:expr;)*) => {$(
        #[test]
        fn $name() {
            let ws = workspace($start, $change);
            let transcript = transcript(&ws, &[$($arg),*]);
            let exit = transcript.lines().nth(1).unwrap().to_owned();
            insta::assert_snapshot!(stringify!($name), transcript);
            // Every diagnostic about the spec shows the line it is about.
            assert!(
                !transcript.contains("--> spec/enterprise.toml\n"),
                "a diagnostic without a line:\n{transcript}"
            );
            assert_eq!(exit, format!("exit: {}", $code), "{transcript}");
        }
    )*};
}

contract! {
    build_writes_the_tree: Start::Spec, None, ["build"] => 0;
    build_stops_before_deleting_applications: Start::Built, NARROWED, ["build"] => 1;
    build_names_a_missing_spec: Start::Spec, None, ["build", "--spec", "nope.toml"] => 2;

    check_passes_on_a_current_tree: Start::Built, None, ["check"] => 0;
    check_fails_on_a_stale_tree: Start::Built, SCALED, ["check"] => 1;
    check_refuses_a_broken_spec: Start::Built, BROKEN, ["check"] => 2;

    plan_of_no_change: Start::Built, None, ["plan"] => 0;
    plan_calls_out_deleted_applications: Start::Built, NARROWED, ["plan"] => 1;
    plan_names_an_unknown_format: Start::Built, None, ["plan", "--format", "yaml"] => 2;

    diff_shows_the_rendered_change: Start::Committed, SCALED, ["diff", "--base", "HEAD"] => 0;
    diff_guards_the_blast_radius: Start::Committed, SCALED, ["diff", "--base", "HEAD", "--max-blast", "0"] => 1;
    diff_names_an_unknown_revision: Start::Committed, SCALED, ["diff", "--base", "no-such-rev"] => 2;

    commit_builds_and_commits: Start::Committed, SCALED, ["commit", "--yes", "-m", "storefront: one more replica"] => 0;
    commit_stops_before_deleting_applications: Start::Committed, NARROWED, ["commit", "--yes"] => 1;
    commit_outside_a_repository_is_bad_input: Start::Built, SCALED, ["commit", "--yes"] => 2;

    apps_lists_the_applications: Start::Spec, None, ["apps", "--env", "prod"] => 0;
    apps_refuses_a_broken_spec: Start::Spec, BROKEN, ["apps"] => 2;

    why_names_the_key_behind_a_file: Start::Built, None, ["why", "generated/apps/users/overlays/prod/kustomization.yaml"] => 0;
    why_names_a_path_fleetc_does_not_write: Start::Built, None, ["why", "generated/nope.yaml"] => 2;

    validate_passes_the_bundled_spec: Start::Spec, None, ["validate"] => 0;
    validate_locates_an_error: Start::Spec, BROKEN, ["validate"] => 2;

    impact_names_the_users_of_a_base: Start::Spec, None, ["impact", "python:3.11-r9"] => 0;
    impact_names_an_unknown_image: Start::Spec, None, ["impact", "ruby:3"] => 2;

    render_hydrates_one_overlay: Start::Spec, None, ["render", "users", "dev"] => 0;
    render_names_an_unknown_service: Start::Spec, None, ["render", "nope", "dev"] => 2;
    render_names_a_file_given_as_the_folder: Start::Spec, None, ["render", "--all", "--to", "spec/enterprise.toml"] => 2;

    init_writes_a_starter_spec: Start::Empty, None, ["init", "--services", "2"] => 0;
    init_keeps_an_existing_spec: Start::Spec, None, ["init"] => 2;

    man_writes_the_pages: Start::Empty, None, ["man", "--to", "man"] => 0;
    man_names_a_file_given_as_the_folder: Start::Spec, None, ["man", "--to", "spec/enterprise.toml"] => 2;

    workflow_writes_the_pull_request_workflow: Start::Spec, None, ["workflow", "github"] => 0;
    workflow_stays_inside_the_repository: Start::Spec, None, ["workflow", "github", "--to", "../x.yml"] => 2;

    release_help_explains_the_command: Start::Empty, None, ["release", "--help"] => 0;
    release_short_help_is_its_summary: Start::Empty, None, ["release", "-h"] => 0;
    release_starts_a_release: Start::Spec, None, ["release", "cart", "9.9.9", "--env", "dev"] => 0;
    release_refuses_a_version_out_of_order: Start::Spec, None, ["release", "cart", "9.9.9", "--env", "staging"] => 1;
    release_names_an_unknown_service: Start::Spec, None, ["release", "nope", "1.0.0", "--env", "dev"] => 2;

    promote_switches_traffic: Start::Spec, None, ["promote", "users", "--env", "prod"] => 0;
    promote_refuses_outside_every_allow_window: Start::Spec, None, ["promote", "users", "--env", "prod", "--now", "2026-06-06T12:00:00Z"] => 1;
    promote_with_nothing_to_promote: Start::Spec, None, ["promote", "cart", "--env", "prod"] => 2;

    advance_moves_live_versions_on: Start::Spec, None, ["advance", "--from", "staging", "storefront", "--digest", &format!("storefront={DIGEST}")] => 0;
    advance_refuses_an_unsoaked_version: Start::Committed, None, ["advance", "--from", "staging", "storefront", "--digest", &format!("storefront={DIGEST}"), "--soak", "30d"] => 1;
    advance_wants_the_digests_production_requires: Start::Spec, None, ["advance", "--from", "staging"] => 2;
    advance_from_the_last_environment: Start::Spec, None, ["advance", "--from", "prod"] => 2;

    rollback_of_a_release_never_promoted: Start::Spec, None, ["rollback", "users", "--env", "prod"] => 2;
    rollback_names_an_unknown_environment: Start::Spec, None, ["rollback", "users", "--env", "qa"] => 2;

    retire_abandons_a_release: Start::Spec, None, ["retire", "users", "--env", "prod"] => 0;
    retire_names_an_unknown_service: Start::Spec, None, ["retire", "nope", "--env", "prod"] => 2;

    upgrade_base_moves_services: Start::Spec, None, ["upgrade-base", "go", "1.22"] => 0;
    upgrade_base_names_an_unknown_version: Start::Spec, None, ["upgrade-base", "go", "1.99"] => 2;

    block_base_blocks_a_version: Start::Spec, None, ["block-base", "go", "1.21", "--reason", "CVE-2026-1"] => 0;
    block_base_of_a_blocked_version: Start::Spec, None, ["block-base", "python", "3.11-r9", "--reason", "again"] => 1;
    block_base_names_an_unknown_image: Start::Spec, None, ["block-base", "ruby", "3", "--reason", "x"] => 2;

    approve_base_adds_a_version: Start::Spec, None, ["approve-base", "node", "20.12", "--digest", DIGEST] => 0;
    approve_base_keeps_the_recorded_digest: Start::Spec, None, ["approve-base", "node", "20.11", "--digest", DIGEST] => 1;
    approve_base_reads_a_digest: Start::Spec, None, ["approve-base", "node", "20.12", "--digest", "sha256:xyz"] => 2;

    except_grants_an_exception: Start::Spec, DEPRECATED_BASE, ["except", "auth", "go:1.21", "--expires", "2026-07-01", "--ticket", "SEC-1"] => 0;
    except_refuses_a_service_not_on_the_base: Start::Spec, None, ["except", "users", "python:3.11-r9", "--expires", "2026-07-01", "--ticket", "SEC-1"] => 1;
    except_names_a_bad_day: Start::Spec, None, ["except", "users", "python:3.11-r9", "--expires", "July", "--ticket", "SEC-1"] => 2;

    move_wave_moves_a_service: Start::Spec, None, ["move-wave", "cart", "v3.0.0"] => 0;
    move_wave_starts_a_new_wave: Start::Spec, None, ["move-wave", "cart", "v9.0.0"] => 0;
    move_wave_names_an_unknown_service: Start::Spec, None, ["move-wave", "nope", "v3.0.0"] => 2;

    pin_module_pins_an_environment: Start::Spec, None, ["pin-module", "vpc", "--env", "dev", "v1.9.9@0123456789abcdef0123456789abcdef01234567"] => 0;
    pin_module_wants_the_commit_of_a_module_pinned_by_commit: Start::Spec, None, ["pin-module", "vpc", "v1.3.0"] => 1;
    pin_module_names_an_unknown_module: Start::Spec, None, ["pin-module", "rds", "v1.0.0"] => 2;
}

/// `schema` prints the committed schema; `completions` a script for the shell named.
#[test]
fn schema_and_completions_print_what_they_promise() {
    let ws = workspace(Start::Empty, None);
    let (code, stdout, stderr) = ws.run(&["schema"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let committed = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schemas/enterprise.schema.json"
    ))
    .unwrap();
    assert_eq!(stdout.trim_end(), committed.trim_end());
    let (code, stdout, _) = ws.run(&["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("complete -F _fleetc"), "{stdout}");
    let (code, _, stderr) = ws.run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'tcsh'"), "{stderr}");
}
