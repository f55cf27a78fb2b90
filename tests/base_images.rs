//! `impact` and `upgrade-base` on the bundled 100-service spec and a folder of sample
//! Dockerfiles: who runs a base image, and the forced move off it.

mod common;

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
            "dockerfiles/cart/Dockerfile:3  FROM ${REGISTRY}/platform/python:${PYTHON_VERSION}"
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
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 25);
    assert!(
        changed
            .iter()
            .all(|(a, b)| *a == "base = \"python:3.12\"" && *b == "base = \"python:3.13\"")
    );

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

    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
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
