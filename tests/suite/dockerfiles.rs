//! `impact` and `upgrade-base --dockerfiles` on the forms a Dockerfile's `FROM` takes: images
//! held in `ARG`s, continuation lines, `Containerfile`s.

use crate::common;
mod upgrade_properties;

use std::cmp::Ordering;
use std::fs;
use std::path::Path;

use common::Workspace;
use fleetc::compare_versions;
use fleetc::{parse_from_lines, upgrade_from_lines};
use proptest::prelude::*;
use upgrade_properties::check_upgrade;

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
fn a_read_only_dockerfile_stops_the_upgrade_before_the_spec_is_written() {
    use std::os::unix::fs::PermissionsExt;
    let ws = with_file(
        "Dockerfile",
        "FROM <registry>/platform/python-base:3.11-r9\n",
    );
    let dockerfile = ws.path("dockerfiles/Dockerfile");
    fs::set_permissions(&dockerfile, fs::Permissions::from_mode(0o444)).unwrap();
    let spec = fs::read_to_string(ws.path(SPEC)).unwrap();
    let (code, _, stderr) = ws.run(&[
        "upgrade-base",
        "python",
        "3.12-r2",
        "--dockerfiles",
        "dockerfiles",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("Dockerfile is read-only"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(
        fs::read_to_string(ws.path(SPEC)).unwrap(),
        spec,
        "the spec is untouched"
    );
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

fn version() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["3.10", "3.11-r9", "3.12", "3.13", "3.14", "3"])
        .prop_map(str::to_owned)
}

fn digest() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", "@sha256:1111", "@${D}", "@sha256:22${D}"])
        .prop_map(str::to_owned)
}

/// An image reference as a `FROM` or an `ARG` default may write it.
fn reference() -> impl Strategy<Value = String> {
    let registry = prop::sample::select(vec![
        "",
        "registry.acme.example/",
        "${REG}/",
        "localhost:5000/",
    ]);
    let repository = prop::sample::select(vec!["platform/python", "platform/tools", "python"]);
    let tag = prop_oneof![
        1 => version().prop_map(|v| format!(":{v}")),
        2 => Just(":$V".to_owned()),
        2 => Just(":${V}".to_owned()),
        1 => version().prop_map(|v| format!(":${{UNSET:-{v}}}")),
        1 => version().prop_map(|v| format!(":${{V:-{v}}}-slim")),
        1 => Just(String::new()),
    ];
    (registry, repository, tag, digest()).prop_map(|(r, p, t, d)| format!("{r}{p}{t}{d}"))
}

fn quoted(text: String, quote: usize) -> String {
    match quote {
        0 => format!("\"{text}\""),
        1 => format!("'{text}'"),
        _ => text,
    }
}

fn global_arg() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        1 => reference(),
        2 => version(),
        1 => Just("registry.acme.example".to_owned()),
        1 => Just("sha256:3333".to_owned()),
    ];
    let name = prop::sample::select(vec!["IMG", "V", "V", "REG", "D", "UNSET"]);
    (name, value, 0..4usize, any::<bool>()).prop_map(|(n, v, q, bare)| {
        if bare {
            format!("ARG {n}")
        } else {
            format!("ARG {n}={}", quoted(v, q))
        }
    })
}

fn from_line() -> impl Strategy<Value = String> {
    let image = prop_oneof![
        reference(),
        Just("$IMG".to_owned()),
        Just("${IMG}".to_owned()),
        Just("build".to_owned())
    ];
    let platform = prop::sample::select(vec![
        "",
        "--platform=linux/amd64 ",
        "--platform=$BUILDPLATFORM ",
    ]);
    let stage = prop::sample::select(vec!["", " AS build", " as runtime", " AS Build"]);
    let keyword = prop::sample::select(vec!["FROM", "from"]);
    (keyword, platform, image, stage).prop_map(|(k, p, i, s)| format!("{k} {p}{i}{s}"))
}

fn other_line() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "RUN pip install .",
        "# FROM platform/python:3.10",
        "",
        "ARG V=3.10",
        "COPY --from=build /app /app",
        "RUN <<EOF\nFROM platform/python:3.9\nEOF",
    ])
    .prop_map(str::to_owned)
}

/// Breaks some of the spaces of a line into continuation lines.
fn continued(line: &str, breaks: &[bool]) -> String {
    let mut out = String::new();
    for (i, part) in line.split(' ').enumerate() {
        if i > 0 {
            out.push_str(if breaks.get(i).copied().unwrap_or(false) {
                " \\\n    "
            } else {
                " "
            });
        }
        out.push_str(part);
    }
    out
}

fn dockerfile() -> impl Strategy<Value = String> {
    let body = prop::collection::vec(prop_oneof![2 => from_line(), 1 => other_line()], 1..6);
    let breaks = prop::collection::vec(prop::collection::vec(any::<bool>(), 6), 6);
    (
        prop::collection::vec(global_arg(), 0..5),
        body,
        breaks,
        any::<bool>(),
    )
        .prop_map(|(args, body, breaks, crlf)| {
            let lines: Vec<String> = args
                .iter()
                .chain(&body)
                .enumerate()
                .map(|(i, line)| continued(line, &breaks[i % breaks.len()]))
                .collect();
            let text = lines.join("\n") + "\n";
            if crlf {
                text.replace('\n', "\r\n")
            } else {
                text
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// For Dockerfiles of ARG-held images, digests, continuation lines, stage names and
    /// platforms, the upgrade changes only version text, keeps the lines and never panics.
    #[test]
    fn upgrade_base_changes_only_version_text_of_any_dockerfile(
        text in dockerfile(),
        with_digest in any::<bool>(),
    ) {
        check_upgrade(&text, "platform/python", "3.13", with_digest.then_some("sha256:4444"));
    }
}

/// A `FROM` whose image, tag and digest are all written in it, split over continuation lines.
fn literal_from() -> impl Strategy<Value = String> {
    let registry = prop::sample::select(vec!["", "registry.acme.example/", "localhost:5000/"]);
    let repository = prop::sample::select(vec!["platform/python", "platform/tools", "python"]);
    let digest = prop::sample::select(vec!["", "@sha256:1111"]);
    let stage = prop::sample::select(vec!["", " AS build", " as x"]);
    (registry, repository, version(), digest, stage)
        .prop_map(|(r, p, v, d, s)| format!("FROM --platform=linux/arm64 {r}{p}:{v}{d}{s}"))
}

proptest! {
    /// Where nothing is shared through an `ARG`, every older `FROM` of the image is upgraded.
    #[test]
    fn upgrade_base_moves_every_older_literal_from(
        lines in prop::collection::vec(literal_from(), 1..6),
        breaks in prop::collection::vec(any::<bool>(), 6),
    ) {
        let text: String = lines.iter().map(|l| continued(l, &breaks) + "\n").collect();
        let (rewritten, _) = upgrade_from_lines(&text, "platform/python", "3.13", None);
        for (b, a) in parse_from_lines(&text).iter().zip(parse_from_lines(&rewritten)) {
            let tag = b.image.tag.as_deref().unwrap();
            if b.image.is_image("platform/python") && compare_versions(tag, "3.13") == Ordering::Less {
                prop_assert_eq!(a.image.tag.as_deref(), Some("3.13"), "{}", rewritten);
                prop_assert_eq!(a.image.digest, None);
            } else {
                prop_assert_eq!(&b.image, &a.image);
            }
        }
    }
}

/// The fuzzing seeds (each a choice byte, then a Dockerfile) keep the same promises.
#[test]
fn fuzz_seeds_keep_the_upgrade_promises() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/dockerfile");
    let mut checked = 0;
    for entry in fs::read_dir(seeds).unwrap() {
        let bytes = fs::read(entry.unwrap().path()).unwrap();
        let Some((choice, rest)) = bytes.split_first() else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(rest) else {
            continue;
        };
        check_upgrade(
            text,
            "platform/python",
            "3.13",
            (choice % 2 == 0).then_some("sha256:4444"),
        );
        checked += 1;
    }
    assert!(checked >= 12, "the seeds are there");
}
