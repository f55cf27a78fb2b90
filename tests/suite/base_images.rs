//! `impact` and `upgrade-base` on the bundled 100-service spec and a folder of sample
//! Dockerfiles: who runs a base image, and the forced move off it.

use crate::common;

use std::fs;
use std::path::Path;

use common::Workspace;

const SPEC: &str = "spec/enterprise-100.toml";

fn with_dockerfiles() -> Workspace {
    let ws = Workspace::with_spec(SPEC);
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dockerfiles");
    for entry in walkdir::WalkDir::new(&source)
        .into_iter()
        .filter_map(Result::ok)
    {
        let relative = entry.path().strip_prefix(&source).unwrap();
        let target = ws.path("dockerfiles").join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(target).unwrap();
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
    ws
}

#[test]
fn impact_lists_every_service_and_environment_and_dockerfile() {
    let ws = with_dockerfiles();
    let (code, stdout, stderr) = ws.run(&[
        "impact",
        "python",
        "--dockerfiles",
        "dockerfiles",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["base"], "python");
    assert_eq!(report["image"], "platform/python");
    let services = report["services"].as_array().unwrap();
    assert_eq!(
        services.len(),
        25 * 3,
        "25 python services in 3 environments"
    );
    assert!(
        services.iter().any(|s| s["service"] == "users"
            && s["environment"] == "prod"
            && s["version"] == "3.12")
    );
    let found: Vec<(String, u64, String)> = report["dockerfiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["version"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "dockerfiles/auth/Dockerfile.prod".to_owned(),
                2,
                "3.12".to_owned()
            ),
            (
                "dockerfiles/cart/Dockerfile".to_owned(),
                3,
                "3.11".to_owned()
            ),
            (
                "dockerfiles/users/Dockerfile".to_owned(),
                2,
                "3.12".to_owned()
            ),
            (
                "dockerfiles/users/Dockerfile".to_owned(),
                10,
                "3.12".to_owned()
            ),
        ],
        "multi-stage, --platform, ARG tags and registry prefixes are read; Docker Hub's python, stage references and hidden folders are not"
    );
}

#[test]
fn impact_of_one_version_and_in_text() {
    let ws = with_dockerfiles();
    let (code, stdout, _) = ws.run(&["impact", "python:3.11", "--dockerfiles", "dockerfiles"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("python:3.11 (platform/python): 0 services"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "dockerfiles/cart/Dockerfile:3  FROM registry.acme.example/platform/python:3.11  written ${REGISTRY}/platform/python:${PYTHON_VERSION}"
        ),
        "{stdout}"
    );
    let (_, stdout, _) = ws.run(&["impact", "registry.acme.example/platform/distroless-go"]);
    assert!(
        stdout.starts_with("go (platform/distroless-go): 25 services"),
        "{stdout}"
    );
}

#[test]
fn impact_of_an_unknown_image_names_the_catalog() {
    let ws = Workspace::with_spec(SPEC);
    let (code, _, stderr) = ws.run(&["impact", "ruby"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "`ruby` is not a base image of the catalog; known: python (platform/python), go"
        ),
        "{stderr}"
    );
}

const BLOCK_3_12: (&str, &str) = (
    "versions.\"3.12\" = { status = \"approved\" }",
    "versions.\"3.12\" = { status = \"blocked\", reason = \"CVE-2026-9999\" }\nversions.\"3.13\" = { status = \"approved\", digest = \"sha256:2222222222222222222222222222222222222222222222222222222222222222\" }",
);

/// "Who is still on it?" is asked exactly once the version is blocked.
#[test]
fn impact_answers_once_the_version_is_blocked() {
    let ws = Workspace::with_spec(SPEC);
    ws.edit_spec(BLOCK_3_12.0, BLOCK_3_12.1);
    let (code, stdout, stderr) = ws.run(&["impact", "python:3.12", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with(
            "python:3.12 (platform/python): 25 services, 75 service × environment pairs"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("3.12 (blocked)"), "{stdout}");
    assert_eq!(
        stderr
            .matches("note: base image `python:3.12` is blocked: CVE-2026-9999")
            .count(),
        25,
        "{stderr}"
    );
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn impact_answers_once_a_deprecation_deadline_has_passed() {
    let ws = Workspace::with_spec(SPEC);
    ws.edit_spec(
        BLOCK_3_12.0,
        "versions.\"3.12\" = { status = \"deprecated\", deadline = \"2026-01-31\" }",
    );
    let (code, stdout, stderr) = ws.run(&[
        "impact",
        "python",
        "--today",
        "2026-11-22",
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("3.12 (deprecated)"), "{stdout}");
    assert!(
        stderr.contains(
            "note: base image `python:3.12` is deprecated, and its deadline 2026-01-31 has passed"
        ),
        "{stderr}"
    );
}

#[test]
fn impact_still_refuses_a_spec_with_other_errors() {
    let ws = Workspace::with_spec(SPEC);
    ws.edit_spec(BLOCK_3_12.0, BLOCK_3_12.1);
    ws.edit_spec("team = \"identity\"", "team = \"nobody\"");
    let (code, stdout, stderr) = ws.run(&["impact", "python:3.12", "--color", "never"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(stderr.contains("team `nobody` is not declared"), "{stderr}");
    assert!(
        stderr.contains("error: base image `python:3.12` is blocked"),
        "a build-breaking spec shows every error as one: {stderr}"
    );
}

/// `why` reads the tree the spec compiles to, writes nothing, and answers on a spec whose only
/// errors are blocked bases, showing them as notes as `impact` does.
#[test]
fn why_answers_once_the_version_is_blocked() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    ws.edit_spec(BLOCK_3_12.0, BLOCK_3_12.1);
    let (code, stdout, stderr) = ws.run(&[
        "why",
        "generated/apps/users/overlays/prod/kustomization.yaml",
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("comes from `services.users"), "{stdout}");
    assert!(
        stderr.contains("note: base image `python:3.12` is blocked: CVE-2026-9999"),
        "{stderr}"
    );
    assert!(!stderr.contains("error"), "{stderr}");
}

/// `apps` lists the Applications of a spec whose only errors are blocked bases, with notes.
#[test]
fn apps_answers_once_the_version_is_blocked() {
    let ws = Workspace::with_spec(SPEC);
    ws.edit_spec(BLOCK_3_12.0, BLOCK_3_12.1);
    let (code, stdout, stderr) = ws.run(&["apps", "--env", "prod", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("users-prod"), "{stdout}");
    assert!(
        stderr.contains("note: base image `python:3.12` is blocked: CVE-2026-9999"),
        "{stderr}"
    );
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn why_and_apps_still_refuse_a_spec_with_other_errors() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    ws.edit_spec(BLOCK_3_12.0, BLOCK_3_12.1);
    ws.edit_spec("team = \"identity\"", "team = \"nobody\"");
    for args in [
        &["apps", "--color", "never"][..],
        &[
            "why",
            "generated/apps/users/overlays/prod/kustomization.yaml",
            "--color",
            "never",
        ],
    ] {
        let (code, stdout, stderr) = ws.run(args);
        assert_eq!(code, 2, "{args:?}: {stdout}");
        assert!(stderr.contains("team `nobody` is not declared"), "{stderr}");
        assert!(
            stderr.contains("error: base image `python:3.12` is blocked"),
            "{stderr}"
        );
    }
}

/// A CVE lands: 3.12 is blocked, 3.13 approved. The build fails until upgrade-base moves
/// everyone, in the spec and in the Dockerfiles.
#[test]
fn upgrade_base_moves_every_older_service_and_dockerfile() {
    let ws = with_dockerfiles();
    ws.edit_spec(BLOCK_3_12.0, BLOCK_3_12.1);
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr
            .matches("error: base image `python:3.12` is blocked: CVE-2026-9999")
            .count(),
        25
    );

    let before = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let (code, stdout, stderr) = ws.run(&[
        "upgrade-base",
        "python",
        "3.13",
        "--dockerfiles",
        "dockerfiles",
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("25 services move to `python:3.13`: users (3.12), cart (3.12)"),
        "{stdout}"
    );
    let after = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let diff = similar::TextDiff::from_lines(&before, &after);
    let lines = |tag: similar::ChangeTag| -> Vec<String> {
        diff.iter_all_changes()
            .filter(|c| c.tag() == tag)
            .map(|c| c.value().trim_end().to_owned())
            .collect()
    };
    let (removed, added) = (
        lines(similar::ChangeTag::Delete),
        lines(similar::ChangeTag::Insert),
    );
    assert_eq!(removed, vec!["base = \"python:3.12\""; 25]);
    assert_eq!(
        added
            .iter()
            .filter(|l| *l == "base = \"python:3.13\"")
            .count(),
        25
    );
    let built_on: Vec<&String> = added
        .iter()
        .filter(|l| l.starts_with("built_on = {"))
        .collect();
    assert_eq!(
        built_on.len(),
        25,
        "one `built_on` line per service, for the versions it runs: {added:?}"
    );
    assert!(built_on.iter().all(|l| l.contains("= \"python:3.12\"")));

    assert_eq!(
        fs::read_to_string(ws.path("dockerfiles/cart/Dockerfile")).unwrap(),
        "ARG REGISTRY=registry.acme.example\nARG PYTHON_VERSION=3.13\nFROM ${REGISTRY}/platform/python:${PYTHON_VERSION}\nCOPY . /app\n"
    );
    let users = fs::read_to_string(ws.path("dockerfiles/users/Dockerfile")).unwrap();
    assert_eq!(users.matches("platform/python:3.13").count(), 2);
    let auth = fs::read_to_string(ws.path("dockerfiles/auth/Dockerfile.prod")).unwrap();
    assert!(
        auth.contains("FROM platform/python:3.13@sha256:2222"),
        "{auth}"
    );
    let vendor = fs::read_to_string(ws.path("dockerfiles/vendor/Dockerfile")).unwrap();
    assert!(vendor.contains("FROM python:3.12-slim"), "not our image");
    assert!(
        stdout.contains(
            "dockerfiles/cart/Dockerfile:2\n-ARG PYTHON_VERSION=3.11\n+ARG PYTHON_VERSION=3.13"
        ),
        "{stdout}"
    );

    // What runs was built on 3.12 and is still blocked until new versions are released.
    let (code, _, stderr) = ws.run(&["build", "--color", "never"]);
    assert_eq!(code, 2);
    let blocked = stderr
        .matches("error: base image `python:3.12` is blocked: CVE-2026-9999")
        .count();
    assert_eq!(
        blocked,
        after.matches("= \"python:3.12\"").count(),
        "{stderr}"
    );
    assert!(blocked >= 25, "{stderr}");
    assert!(
        stderr.contains("help: release a new version of `users`, built on `python:3.13`"),
        "{stderr}"
    );
}

#[test]
fn upgrade_base_refuses_a_version_that_is_not_approved() {
    let ws = Workspace::with_spec(SPEC);
    let original = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    for (version, status) in [("3.11", "blocked"), ("3.14", "not declared")] {
        let (code, _, stderr) = ws.run(&["upgrade-base", "python", version]);
        assert_eq!(code, 2);
        assert!(
            stderr.contains(&format!(
                "`python:{version}` is {status}; services can only be moved to an approved version"
            )),
            "{stderr}"
        );
        assert!(
            stderr.contains("approved versions of `python`: 3.12"),
            "{stderr}"
        );
    }
    assert_eq!(
        fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap(),
        original
    );
}

/// The labels `kubectl get pods -l fleetc.io/base-version=…` and the Kyverno deny read, for
/// each workload of `service` in `env`: (Deployment, base version).
fn rendered_base_versions(ws: &Workspace, service: &str, env: &str) -> Vec<(String, String)> {
    let (code, stdout, stderr) = ws.run(&["render", service, env]);
    assert_eq!(code, 0, "{stderr}");
    stdout
        .split("\n---\n")
        .filter_map(|doc| serde_saphyr::from_str::<serde_json::Value>(doc).ok())
        .filter(|doc| doc["kind"] == "Deployment")
        .map(|doc| {
            (
                doc["metadata"]["name"].as_str().unwrap().to_owned(),
                doc["spec"]["template"]["metadata"]["labels"]["fleetc.io/base-version"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect()
}

const COMMENTED: &str = "tests/fixtures/commented.toml";
const APPROVE_1_2: (&str, &str) = (
    "versions.\"1.1\" = { status = \"approved\" }",
    "versions.\"1.1\" = { status = \"approved\" }\nversions.\"1.2\" = { status = \"approved\" }",
);

/// Moving `base` does not rebuild what runs: prod keeps the image built on the old base, and
/// its pods keep saying so until a new version is released.
#[test]
fn upgrade_base_does_not_relabel_what_still_runs_on_the_old_base() {
    let ws = Workspace::with_spec(COMMENTED);
    ws.edit_spec(APPROVE_1_2.0, APPROVE_1_2.1);
    let before = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let (code, stdout, stderr) = ws.run(&["upgrade-base", "python", "1.2", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("rebuild pending"), "{stdout}");
    let after = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    assert!(
        after.contains("built_on = { \"1.5.0\" = \"python:1.1\", \"1.4.2\" = \"python:1.1\" }"),
        "{after}"
    );
    assert!(
        after.contains("built_on = { \"2.0.0\" = \"python:1.1\" }"),
        "{after}"
    );
    for line in before.lines().filter(|l| l.contains('#')) {
        assert!(after.contains(line), "comment kept: {line}");
    }
    assert_eq!(
        rendered_base_versions(&ws, "users", "prod"),
        [("users-blue".to_owned(), "1.1".to_owned())]
    );

    let (_, stdout, _) = ws.run(&["plan", "--color", "never"]);
    assert!(
        stdout.contains("users in prod runs 1.4.2 built on python:1.1 (next build: python:1.2)"),
        "{stdout}"
    );
    let (code, stdout, stderr) = ws.run(&["impact", "python:1.1"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with(
            "python:1.1 (enterprise/python-base): 2 services, 4 service × environment pairs"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("rebuild pending (next build on python:1.2)"),
        "{stdout}"
    );
}

/// The pull-request form of the plan lists what still runs on the old base, as the text and
/// JSON forms do.
#[test]
fn plan_markdown_shows_the_rebuilds_pending() {
    let ws = Workspace::with_spec(COMMENTED);
    ws.edit_spec(APPROVE_1_2.0, APPROVE_1_2.1);
    let (code, _, stderr) = ws.run(&["upgrade-base", "python", "1.2", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = ws.run(&["plan", "--format", "markdown"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("#### Rebuild pending ("), "{stdout}");
    assert!(
        stdout.contains("| `users` | prod | 1.4.2 | `python:1.1` | `python:1.2` |"),
        "{stdout}"
    );
}

/// A released version gets the current base; once the old one runs nowhere, its record goes.
#[test]
fn a_new_release_runs_on_the_new_base_and_retiring_the_old_version_forgets_its_base() {
    let ws = Workspace::with_spec(COMMENTED);
    ws.edit_spec(APPROVE_1_2.0, APPROVE_1_2.1);
    assert_eq!(ws.run(&["upgrade-base", "python", "1.2"]).0, 0);
    assert_eq!(ws.run(&["release", "users", "1.6.0", "--env", "dev"]).0, 0);
    assert_eq!(
        rendered_base_versions(&ws, "users", "dev"),
        [
            ("users-blue".to_owned(), "1.1".to_owned()),
            ("users-green".to_owned(), "1.2".to_owned())
        ]
    );
    assert_eq!(ws.run(&["promote", "users", "--env", "dev"]).0, 0);
    let (code, _, stderr) = ws.run(&["retire", "users", "--env", "dev"]);
    assert_eq!(code, 0, "{stderr}");
    let spec = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    assert!(
        spec.contains("built_on = { \"1.4.2\" = \"python:1.1\" }"),
        "1.5.0 runs nowhere now:\n{spec}"
    );
    let (code, _, stderr) = ws.run(&["validate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

/// Blocking the old base still catches what runs on it: at compile time at the `built_on`
/// entry, and in the cluster, where the pods still carry the old version's label.
#[test]
fn a_blocked_old_base_is_still_reported_and_denied_while_versions_run_on_it() {
    let ws = Workspace::with_spec(COMMENTED);
    ws.edit_spec(APPROVE_1_2.0, APPROVE_1_2.1);
    assert_eq!(ws.run(&["upgrade-base", "python", "1.2"]).0, 0);
    ws.edit_spec(
        "versions.\"1.1\" = { status = \"approved\" }",
        "versions.\"1.1\" = { status = \"blocked\", reason = \"CVE-2026-7777\" }",
    );
    let (code, _, stderr) = ws.run(&["build", "--color", "never"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr
            .matches("error: base image `python:1.1` is blocked: CVE-2026-7777")
            .count(),
        3,
        "users 1.5.0, users 1.4.2 and orders 2.0.0: {stderr}"
    );
    assert!(
        stderr.contains("built_on = {"),
        "located at the entry: {stderr}"
    );

    let text = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    fs::write(
        ws.path("spec/enterprise.toml"),
        format!("{text}\n[[exceptions]]\nservice = \"orders\"\nbase = \"python:1.1\"\nexpires = \"2099-01-01\"\nticket = \"SEC-1\"\n"),
    )
    .unwrap();
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 2, "users has no exception: {stderr}");
    assert!(
        stderr.contains("has 2 errors"),
        "orders is excepted now: {stderr}"
    );
    assert!(stderr.contains("allowed by exception SEC-1"), "{stderr}");
    fs::write(
        ws.path("spec/enterprise.toml"),
        format!("{}\n[[exceptions]]\nservice = \"users\"\nbase = \"python:1.1\"\nexpires = \"2099-01-01\"\nticket = \"SEC-2\"\n", fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap()),
    )
    .unwrap();
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    let policies = fs::read_to_string(ws.path("generated/envs/prod/policies.yaml")).unwrap();
    assert!(policies.contains("deny-blocked-python"), "{policies}");
    assert_eq!(
        rendered_base_versions(&ws, "users", "prod"),
        [("users-blue".to_owned(), "1.1".to_owned())],
        "the policy's label selector still finds the pods"
    );
}

const BLOCK_1_1: (&str, &str) = (
    "versions.\"1.1\" = { status = \"approved\" }",
    "versions.\"1.1\" = { status = \"blocked\", reason = \"CVE-2026-7777\" }",
);

/// Releasing the rebuilt version is how a blocked old base goes away, so the old versions
/// still running on it do not stop the release commands.
#[test]
fn a_rebuilt_version_is_released_while_the_old_one_runs_on_a_blocked_base() {
    let ws = Workspace::with_spec(COMMENTED);
    ws.edit_spec(APPROVE_1_2.0, APPROVE_1_2.1);
    assert_eq!(ws.run(&["upgrade-base", "python", "1.2"]).0, 0);
    ws.edit_spec(BLOCK_1_1.0, BLOCK_1_1.1);
    for step in [
        &["release", "users", "1.6.0", "--env", "dev"][..],
        &["promote", "users", "--env", "dev"],
        &["retire", "users", "--env", "dev"],
    ] {
        let (code, _, stderr) = ws.run(step);
        assert_eq!(code, 0, "{step:?}: {stderr}");
        assert!(
            stderr.contains("note: base image `python:1.1` is blocked"),
            "{stderr}"
        );
    }
    let (code, _, stderr) = ws.run(&["build", "--color", "never"]);
    assert_eq!(code, 2, "users 1.4.2 in prod and orders still run on 1.1");
    assert!(stderr.contains("has 2 errors"), "{stderr}");
}

/// A new version must not be built on a blocked base: that is still refused.
#[test]
fn a_new_version_is_not_released_on_a_blocked_base() {
    let ws = Workspace::with_spec(COMMENTED);
    ws.edit_spec(BLOCK_1_1.0, BLOCK_1_1.1);
    let original = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let (code, _, stderr) = ws.run(&[
        "release", "users", "1.6.0", "--env", "dev", "--color", "never",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error: base image `python:1.1` is blocked"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap(),
        original
    );
}
