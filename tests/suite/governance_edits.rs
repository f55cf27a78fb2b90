//! The governance edits on a copy of the bundled spec, driven through the binary: each
//! changes exactly its own lines (every comment and every other line stays), refuses with
//! exit 1 when the answer is no and exit 2 on bad input (the spec byte for byte as it was),
//! and the compiled tree follows the edit.

use crate::common;

use std::fs;

use common::Workspace;

const BUNDLED: &str = "spec/enterprise.toml";
const TODAY: &str = "2026-11-24";
const DIGEST: &str = "sha256:abababababababababababababababababababababababababababababababab";
const COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

fn fleetc(ws: &Workspace, args: &[&str]) -> (i32, String, String) {
    let mut all = args.to_vec();
    all.extend(["--today", TODAY, "--color", "never"]);
    ws.run(&all)
}

fn spec(ws: &Workspace) -> String {
    fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap()
}

/// The lines an edit removed and added, in order: everything else, comments included, is
/// the same text in the same place.
fn changed_lines(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let diff = similar::TextDiff::from_lines(before, after);
    let lines = |tag: similar::ChangeTag| -> Vec<String> {
        diff.iter_all_changes()
            .filter(|c| c.tag() == tag)
            .map(|c| c.value().trim_end_matches('\n').to_owned())
            .collect()
    };
    (
        lines(similar::ChangeTag::Delete),
        lines(similar::ChangeTag::Insert),
    )
}

/// Runs an edit that must succeed and change exactly `removed` into `added`.
fn edit(ws: &Workspace, args: &[&str], removed: &[&str], added: &[&str]) -> String {
    let before = spec(ws);
    let (code, stdout, stderr) = fleetc(ws, args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    let after = spec(ws);
    let (gone, new) = changed_lines(&before, &after);
    assert_eq!(gone, removed, "{args:?}");
    assert_eq!(new, added, "{args:?}");
    for line in before.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(after.contains(line), "{args:?} kept the comment {line}");
    }
    assert!(
        !stdout.contains("+++ b/"),
        "no diff without --diff: {stdout}"
    );
    stdout
}

/// Runs an edit that must fail with `code`, say `message`, and leave the spec as it was.
fn refused(ws: &Workspace, args: &[&str], code: i32, message: &str) -> String {
    let before = spec(ws);
    let (got, stdout, stderr) = fleetc(ws, args);
    assert_eq!(got, code, "{args:?}: {stdout}{stderr}");
    assert!(stderr.contains(message), "{args:?}: {stderr}");
    assert!(stderr.contains("nothing was written"), "{args:?}: {stderr}");
    assert_eq!(spec(ws), before, "{args:?} left the spec byte for byte");
    stderr
}

fn line_of(text: &str, start: &str) -> String {
    text.lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("a line starts with {start}"))
        .to_owned()
}

#[test]
fn block_base_blocks_the_version_and_names_the_services_now_failing() {
    let ws = Workspace::with_spec(BUNDLED);
    let line = line_of(&spec(&ws), "versions.\"3.12-r2\"");
    let blocked = line.replace(
        "status = \"approved\" }",
        "status = \"blocked\", reason = \"CVE-2026-4242 in zlib\" }",
    );
    let stdout = edit(
        &ws,
        &[
            "block-base",
            "python",
            "3.12-r2",
            "--reason",
            "CVE-2026-4242 in zlib",
        ],
        &[&line],
        &[&blocked],
    );
    assert!(
        stdout.starts_with("`python:3.12-r2` is now blocked (was approved): CVE-2026-4242 in zlib\n3 services built on it now fail the build until moved off it:\n  users (next build; runs 1.5.0, 1.4.2)\n  pricing (next build; runs 2.0.3)\n  notifications (next build; runs 1.1.0)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("no newer version of `python` is approved: `fleetc approve-base python VERSION --digest sha256:…`, then `fleetc upgrade-base python VERSION`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("or, for a while: `fleetc except SERVICE python:3.12-r2 --expires YYYY-MM-DD --ticket TICKET`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    prod (environment)  policies"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "3 files of the tree change: 0 added, 3 changed, 0 removed (--diff shows them)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "`fleetc build` refuses it while 3 base image errors (the notes above) stand"
        ),
        "{stdout}"
    );
    // The block is the spec's: the build now fails at each service's base.
    let (code, _, stderr) = fleetc(&ws, &["build"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stderr
            .matches("error: base image `python:3.12-r2` is blocked: CVE-2026-4242 in zlib")
            .count(),
        3,
        "{stderr}"
    );

    let stderr = refused(
        &ws,
        &["block-base", "python", "3.12-r2", "--reason", "again"],
        1,
        "error: `python:3.12-r2` is already blocked: CVE-2026-4242 in zlib",
    );
    assert!(stderr.contains("--> spec/enterprise.toml:57:"), "{stderr}");
    refused(
        &ws,
        &["block-base", "ruby", "3", "--reason", "x"],
        2,
        "base image `ruby` is not declared",
    );
    refused(
        &ws,
        &["block-base", "python", "3.13", "--reason", "x"],
        2,
        "base image `python` has no version `3.13`",
    );
    refused(
        &ws,
        &["block-base", "go", "1.22", "--reason", " "],
        2,
        "a block needs a reason",
    );
}

#[test]
fn a_block_is_met_by_exceptions_then_by_an_approved_version_and_an_upgrade() {
    let ws = Workspace::with_spec(BUNDLED);
    let (code, _, stderr) = fleetc(
        &ws,
        &["block-base", "python", "3.12-r2", "--reason", "CVE-1"],
    );
    assert_eq!(code, 0, "{stderr}");
    // The spec no longer builds, and the governance edits still work on it.
    let stdout = edit(
        &ws,
        &[
            "except",
            "users",
            "python:3.12-r2",
            "--expires",
            "2026-12-31",
            "--ticket",
            "SEC-7",
        ],
        &[],
        // A blank line, then the table: the blank line before `# The shared pipeline` stays.
        &[
            "[[exceptions]]",
            "service = \"users\"",
            "base = \"python:3.12-r2\"",
            "expires = 2026-12-31",
            "ticket = \"SEC-7\"",
            "",
        ],
    );
    assert!(
        stdout.starts_with("exception SEC-7 lets `users` keep `python:3.12-r2` until 2026-12-31\n  users (next build; runs 1.5.0, 1.4.2): blocked"),
        "{stdout}"
    );
    assert!(stdout.contains("2 base image errors"), "{stdout}");
    let text = spec(&ws);
    assert!(
        text.contains("versions.\"20.11\" = { digest = \"sha256:cf50733d12cc228d315608a41714b6e83f09569c162b497f608ef332c2707706\", status = \"approved\" }\n\n[[exceptions]]\n"),
        "the first exception follows the catalog"
    );
    for service in ["pricing", "notifications"] {
        let (code, _, stderr) = fleetc(
            &ws,
            &[
                "except",
                service,
                "python:3.12-r2",
                "--expires",
                "2026-12-31",
                "--ticket",
                "SEC-7",
            ],
        );
        assert_eq!(code, 0, "{stderr}");
    }
    let (code, _, stderr) = fleetc(&ws, &["build"]);
    assert_eq!(
        code, 0,
        "every service on the blocked version is excepted: {stderr}"
    );
    assert!(
        stderr.contains("warning: base image `python:3.12-r2` is blocked: CVE-1 (allowed by exception SEC-7 until 2026-12-31)"),
        "{stderr}"
    );
    // A later day ends them.
    let (code, _, _) = ws.run(&["validate", "--today", "2027-01-01"]);
    assert_eq!(code, 2);

    // An extension changes the one line it extends.
    edit(
        &ws,
        &[
            "except",
            "users",
            "python:3.12-r2",
            "--expires",
            "2027-01-31",
            "--ticket",
            "SEC-7",
        ],
        &["expires = 2026-12-31"],
        &["expires = 2027-01-31"],
    );

    // The way out: a patched version, approved, and the services moved onto it.
    let added =
        format!("versions.\"3.13-r1\" = {{ digest = \"{DIGEST}\", status = \"approved\" }}");
    let stdout = edit(
        &ws,
        &["approve-base", "python", "3.13-r1", "--digest", DIGEST],
        &[],
        &[&added],
    );
    assert!(
        stdout.starts_with(&format!(
            "`python:3.13-r1` is added to the catalog, approved, with digest {DIGEST}\n"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("No file of the tree changes."), "{stdout}");
    let (code, _, stderr) = fleetc(&ws, &["upgrade-base", "python", "3.13-r1"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = fleetc(&ws, &["build"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn except_refuses_what_it_cannot_allow_and_rejects_what_it_cannot_read() {
    let ws = Workspace::with_spec(BUNDLED);
    let cases: [(&str, &str, &str, i32, &str); 6] = [
        (
            "auth",
            "python:3.11-r9",
            "2026-12-31",
            1,
            "`auth` is not built on `python:3.11-r9`: its next build uses `go:1.22`",
        ),
        (
            "auth",
            "go:1.22",
            "2026-12-31",
            1,
            "`go:1.22` is approved: `auth` needs no exception to use it",
        ),
        (
            "auth",
            "go:1.21",
            "2026-11-23",
            2,
            "--expires 2026-11-23 is before today (2026-11-24)",
        ),
        (
            "nobody",
            "go:1.22",
            "2026-12-31",
            2,
            "service `nobody` is not declared",
        ),
        (
            "auth",
            "go",
            "2026-12-31",
            2,
            "`go` does not name a base image version",
        ),
        (
            "auth",
            "go:1.2",
            "2026-12-31",
            2,
            "base image `go` has no version `1.2`",
        ),
    ];
    for (service, base, expires, code, message) in cases {
        refused(
            &ws,
            &[
                "except",
                service,
                base,
                "--expires",
                expires,
                "--ticket",
                "T",
            ],
            code,
            message,
        );
    }
    // A day that is not one is refused by the argument parser, with the form expected.
    let before = spec(&ws);
    let (code, _, stderr) = fleetc(
        &ws,
        &[
            "except",
            "auth",
            "go:1.21",
            "--expires",
            "2026-02-30",
            "--ticket",
            "T",
        ],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("expected YYYY-MM-DD"), "{stderr}");
    assert_eq!(spec(&ws), before);
}

#[test]
fn approve_base_guards_the_digest_and_the_block() {
    let ws = Workspace::with_spec(BUNDLED);
    refused(
        &ws,
        &["approve-base", "python", "3.11-r9", "--digest", DIGEST],
        1,
        "`python:3.11-r9` is blocked: CVE-2026-31337 in OpenSSL",
    );
    let stderr = refused(
        &ws,
        &["approve-base", "go", "1.22", "--digest", DIGEST],
        1,
        "another image under the same tag",
    );
    assert!(stderr.contains("--replace-digest"), "{stderr}");
    refused(
        &ws,
        &["approve-base", "go", "1.22", "--digest", "sha256:4af96fc1"],
        2,
        "`sha256:4af96fc1` is not an image digest: a sha256 digest has 64 hex digits",
    );
    refused(
        &ws,
        &["approve-base", "rust", "1", "--digest", DIGEST],
        2,
        "base image `rust` is not declared",
    );
    let go_digest = "sha256:4af96fc135a006486d21eb8c5dc0c040db2e2ed8fa4f1cbeffcbde926801060f";
    refused(
        &ws,
        &["approve-base", "go", "1.22", "--digest", go_digest],
        1,
        "`go:1.22` is already approved with digest",
    );
    // A version whose name no generated label can hold is refused by the compile check.
    refused(
        &ws,
        &["approve-base", "go", "1.23 beta", "--digest", DIGEST],
        2,
        "the edit would leave the spec invalid; it was not written",
    );
}

#[test]
fn approve_base_approves_adds_and_replaces_on_purpose() {
    let ws = Workspace::with_spec(BUNDLED);
    let text = spec(&ws);
    let blocked = line_of(&text, "versions.\"3.11-r9\"");
    let go = line_of(&text, "versions.\"1.22\"");
    let go_digest = "sha256:4af96fc135a006486d21eb8c5dc0c040db2e2ed8fa4f1cbeffcbde926801060f";
    // A deprecated version is approved: its deadline goes with the deprecation.
    let deprecated = line_of(&text, "versions.\"1.21\"");
    edit(
        &ws,
        &[
            "approve-base",
            "go",
            "1.21",
            "--digest",
            "sha256:e77145ae45e425c7bbe7b8fe249608204e00e3d82945bae1f8f8a1e3e837293a",
        ],
        &[&deprecated],
        &[
            "versions.\"1.21\" = { digest = \"sha256:e77145ae45e425c7bbe7b8fe249608204e00e3d82945bae1f8f8a1e3e837293a\", status = \"approved\" }",
        ],
    );
    // A block lifted on purpose.
    edit(
        &ws,
        &[
            "approve-base",
            "python",
            "3.11-r9",
            "--digest",
            DIGEST,
            "--unblock",
            "--replace-digest",
        ],
        &[&blocked],
        &[&format!(
            "versions.\"3.11-r9\" = {{ digest = \"{DIGEST}\", status = \"approved\" }}"
        )],
    );
    // A new digest for a version services run reaches their pods.
    let stdout = edit(
        &ws,
        &[
            "approve-base",
            "go",
            "1.22",
            "--digest",
            DIGEST,
            "--replace-digest",
        ],
        &[&go],
        &[&go.replace(
            "sha256:4af96fc135a006486d21eb8c5dc0c040db2e2ed8fa4f1cbeffcbde926801060f",
            DIGEST,
        )],
    );
    assert!(
        stdout.starts_with(&format!(
            "`go:1.22` is approved (digest {go_digest} replaced by {DIGEST})\n"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("    auth-prod "), "{stdout}");
    let (code, _, stderr) = fleetc(&ws, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let (_, rendered, _) = fleetc(&ws, &["render", "auth", "prod"]);
    assert!(
        rendered.contains(&format!("platform/distroless-go:1.22@{DIGEST}")),
        "{rendered}"
    );
}

#[test]
fn move_wave_moves_a_service_between_template_waves() {
    let ws = Workspace::with_spec(BUNDLED);
    let waves = line_of(&spec(&ws), "waves = ");
    let stdout = edit(
        &ws,
        &["move-wave", "users", "v3.1.0"],
        &[&waves],
        &[
            "waves = [{ version = \"v3.0.0\", services = [\"orders\", \"search\"] }, { version = \"v3.1.0\", services = [\"users\"] }]",
        ],
    );
    assert!(
        stdout.starts_with("`users` moves from CI template v3.0.0 to v3.1.0 (a new wave)\n"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("Impact: nothing that Argo CD deploys changes; platform files: ci/users.yml"),
        "{stdout}"
    );
    assert_eq!(fleetc(&ws, &["build"]).0, 0);
    let workflow = fs::read_to_string(ws.path("generated/ci/users.yml")).unwrap();
    assert!(workflow.contains("service.yml@v3.1.0\""), "{workflow}");

    for service in ["orders", "search"] {
        assert_eq!(fleetc(&ws, &["move-wave", service, "v2.3.0"]).0, 0);
    }
    let stdout = edit(
        &ws,
        &["move-wave", "users", "v2.3.0"],
        &["waves = [{ version = \"v3.1.0\", services = [\"users\"] }]"],
        &[],
    );
    assert!(
        stdout.starts_with("`users` moves from CI template v3.1.0 to v2.3.0, the default version\nthe wave of v3.1.0 has no service left and is removed\n"),
        "{stdout}"
    );

    refused(
        &ws,
        &["move-wave", "users", "v2.3.0"],
        1,
        "`users` already uses CI template v2.3.0",
    );
    refused(
        &ws,
        &["move-wave", "users", "latest"],
        2,
        "`latest` is not a template version",
    );
    refused(
        &ws,
        &["move-wave", "user", "v3.0.0"],
        2,
        "did you mean `users`?",
    );
}

#[test]
fn pin_module_pins_an_environment_or_the_default_by_commit() {
    let ws = Workspace::with_spec(BUNDLED);
    let text = spec(&ws);
    let eks = line_of(&text, "eks = ");
    let pin = format!("v1.4.1@{COMMIT}");
    let stdout = edit(
        &ws,
        &["pin-module", "eks", "--env", "prod", &pin],
        &[&eks],
        &[&eks.replace("v1.3.2@3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c", &pin)],
    );
    assert!(
        stdout.starts_with("module `eks` in `prod`: v1.3.2@3b2c1d0 → v1.4.1@0123456\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("platform files: terraform/prod/main.tf"),
        "{stdout}"
    );
    assert_eq!(fleetc(&ws, &["build"]).0, 0);
    let main = fs::read_to_string(ws.path("generated/terraform/prod/main.tf")).unwrap();
    assert!(
        main.contains(&format!("modules/eks?ref={COMMIT}\"")),
        "{main}"
    );

    // Back to the default: the environment's own pin goes.
    edit(
        &ws,
        &[
            "pin-module",
            "eks",
            "--env",
            "prod",
            "v1.4.0@c0ffee5e7a1b2c3d4e5f60718293a4b5c6d7e8f9",
        ],
        &[&eks.replace("v1.3.2@3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c", &pin)],
        &["eks = { version = \"v1.4.0\", commit = \"c0ffee5e7a1b2c3d4e5f60718293a4b5c6d7e8f9\" }"],
    );
    let vpc = line_of(&text, "vpc = ");
    let stdout = edit(
        &ws,
        &["pin-module", "vpc", &format!("v1.3.0@{COMMIT}")],
        &[&vpc],
        &[&format!(
            "vpc = {{ version = \"v1.3.0\", commit = \"{COMMIT}\" }}"
        )],
    );
    assert!(
        stdout.starts_with("module `vpc`: v1.2.0@9d1e0c4 → v1.3.0@0123456 in dev, staging, prod\n"),
        "{stdout}"
    );

    refused(
        &ws,
        &["pin-module", "vpc", "v1.4.0"],
        1,
        "`vpc` is pinned by commit, and v1.4.0 names none",
    );
    refused(
        &ws,
        &["pin-module", "nat", "v1.0.0"],
        2,
        "module `nat` is not declared",
    );
    refused(
        &ws,
        &["pin-module", "vpc", "--env", "qa", &pin],
        2,
        "environment `qa` is not declared",
    );
    refused(
        &ws,
        &["pin-module", "vpc", "1.4"],
        2,
        "`1.4` is not a module version",
    );
    refused(
        &ws,
        &["pin-module", "vpc", "v1.4.0@main"],
        2,
        "`main` is not a git commit hash",
    );
}

#[test]
fn edits_print_the_impact_and_the_full_diff_only_when_asked() {
    let ws = Workspace::with_spec(BUNDLED);
    let (code, stdout, stderr) = fleetc(&ws, &["promote", "users", "--env", "prod"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("`users` in `prod`: live traffic moves to green"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  prod (production)\n    users-prod  live colour blue → green\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "2 files of the tree change: 0 added, 2 changed, 0 removed (--diff shows them)"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("@@"), "{stdout}");
    assert!(!stdout.contains("+++ b/"), "{stdout}");

    let (code, stdout, stderr) = fleetc(&ws, &["rollback", "users", "--env", "prod", "--diff"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("--- a/apps/users/overlays/prod/service-patch.yaml\n+++ b/apps/users/overlays/prod/service-patch.yaml\n@@"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    users-prod  live colour green → blue\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 files of the tree change: 0 added, 2 changed, 0 removed\n"),
        "{stdout}"
    );
}
