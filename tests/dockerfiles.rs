//! `impact` and `upgrade-base --dockerfiles` on the forms a Dockerfile's `FROM` takes: images
//! held in `ARG`s, continuation lines, `Containerfile`s.

mod common;

use std::fs;

use common::Workspace;

const SPEC: &str = "spec/enterprise.toml";
const REGISTRY: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const NEW_DIGEST: &str = "sha256:4b64fb1051fb44ee8f4009e876da4bcf28867088150c5c0f6cb7d853da9463d2";

/// The bundled spec with one file below `dockerfiles/`.
fn with_file(name: &str, text: &str) -> Workspace {
    let ws = Workspace::with_spec(SPEC);
    let path = ws.path("dockerfiles").join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text.replace("<registry>", REGISTRY)).unwrap();
    ws
}

fn upgrade(ws: &Workspace) -> String {
    let (code, stdout, stderr) = ws.run(&[
        "upgrade-base",
        "python",
        "3.12-r2",
        "--dockerfiles",
        "dockerfiles",
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    stdout
}

fn read(ws: &Workspace, name: &str) -> String {
    fs::read_to_string(ws.path("dockerfiles").join(name))
        .unwrap()
        .replace(REGISTRY, "<registry>")
}

fn impact_text(ws: &Workspace) -> String {
    let (code, stdout, stderr) = ws.run(&["impact", "python", "--dockerfiles", "dockerfiles"]);
    assert_eq!(code, 0, "{stderr}");
    stdout.replace(REGISTRY, "<registry>")
}

#[test]
fn upgrade_base_rewrites_an_image_held_whole_in_an_arg_without_panicking() {
    let ws = with_file(
        "Dockerfile",
        "ARG IMG=<registry>/platform/python-base:3.11-r9\nFROM $IMG\nRUN true\n",
    );
    let stdout = upgrade(&ws);
    assert_eq!(
        read(&ws, "Dockerfile"),
        "ARG IMG=<registry>/platform/python-base:3.12-r2\nFROM $IMG\nRUN true\n"
    );
    assert!(stdout.contains("dockerfiles/Dockerfile:1\n"), "{stdout}");
}

#[test]
fn upgrade_base_moves_the_arg_and_keeps_the_from_of_a_named_stage() {
    let ws = with_file(
        "Dockerfile",
        "ARG BASE_IMAGE=<registry>/platform/python-base:3.11-r9\nFROM $BASE_IMAGE AS runtime\n",
    );
    upgrade(&ws);
    assert_eq!(
        read(&ws, "Dockerfile"),
        "ARG BASE_IMAGE=<registry>/platform/python-base:3.12-r2\nFROM $BASE_IMAGE AS runtime\n"
    );
}

#[test]
fn upgrade_base_rewrites_a_from_continued_on_the_next_line() {
    let text = "FROM \\\n    --platform=linux/amd64 \\\n    <registry>/platform/python-base:3.11-r9@sha256:6a07046a203f7b11561e45023398777c3880508689106f20cd2bea2b0cbc6f3c \\\n    AS runtime\nUSER 10001\n";
    let ws = with_file("Dockerfile", text);
    let listed = impact_text(&ws);
    assert!(
        listed.contains("dockerfiles/Dockerfile:1  FROM"),
        "{listed}"
    );
    let stdout = upgrade(&ws);
    assert_eq!(
        read(&ws, "Dockerfile"),
        text.replace(
            "3.11-r9@sha256:6a07046a203f7b11561e45023398777c3880508689106f20cd2bea2b0cbc6f3c",
            &format!("3.12-r2@{NEW_DIGEST}")
        ),
        "the continuation layout is kept"
    );
    assert!(stdout.contains("dockerfiles/Dockerfile:3\n"), "{stdout}");
}

#[test]
fn containerfiles_are_found_by_impact_and_upgrade_base() {
    let from = "FROM <registry>/platform/python-base:3.11-r9\n";
    let names = [
        "Containerfile",
        "app/Containerfile.prod",
        "tools/build.Containerfile",
    ];
    let ws = Workspace::with_spec(SPEC);
    for name in names {
        let path = ws.path("dockerfiles").join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, from.replace("<registry>", REGISTRY)).unwrap();
    }
    let listed = impact_text(&ws);
    for name in names {
        assert!(
            listed.contains(&format!("dockerfiles/{name}:1")),
            "{listed}"
        );
    }
    upgrade(&ws);
    for name in names {
        assert_eq!(
            read(&ws, name),
            "FROM <registry>/platform/python-base:3.12-r2\n"
        );
    }
}

#[test]
fn impact_shows_the_image_an_arg_resolves_to_beside_what_is_written() {
    let ws = with_file(
        "Dockerfile",
        "ARG PY_TAG=3.11-r9\nFROM <registry>/platform/python-base:${PY_TAG} AS build\n",
    );
    let listed = impact_text(&ws);
    assert!(
        listed.contains(
            "dockerfiles/Dockerfile:2  FROM <registry>/platform/python-base:3.11-r9 (stage build)  written <registry>/platform/python-base:${PY_TAG}"
        ),
        "{listed}"
    );
    let (_, json, _) = ws.run(&[
        "impact",
        "python",
        "--dockerfiles",
        "dockerfiles",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let found = &report["dockerfiles"][0];
    assert_eq!(
        found["image"],
        format!("{REGISTRY}/platform/python-base:3.11-r9")
    );
    assert_eq!(
        found["from"],
        format!("{REGISTRY}/platform/python-base:${{PY_TAG}}")
    );
    assert_eq!(found["version"], "3.11-r9");
}
