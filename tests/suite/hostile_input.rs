//! Huge, deep, long and malformed specs: each is answered with a short, located error and
//! exit 2, and nothing is written.

use crate::common;

use std::fs;

use common::Workspace;

/// Runs `build` on `text` and asserts the refusal: exit 2, `expected` in the message, no
/// output directory, and a message of bounded size whatever the input size.
fn refused(text: &[u8], expected: &str) -> String {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    fs::write(ws.path("spec/enterprise.toml"), text).unwrap();
    let (code, stdout, stderr) = ws.run(&["build", "--color", "never"]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(stderr.contains(expected), "{expected:?} not in:\n{stderr}");
    assert!(!ws.path("generated").exists(), "nothing is written");
    stderr
}

fn bundled() -> String {
    fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/spec/enterprise.toml")).unwrap()
}

#[test]
fn a_spec_over_the_size_limit_is_refused_before_it_is_parsed() {
    let mut text = bundled();
    // 50 MB of comment: valid TOML, so only the size can refuse it.
    let line = format!("# {}\n", "x".repeat(1000));
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&line);
    }
    let stderr = refused(text.as_bytes(), "is larger than 8 MiB");
    assert!(stderr.len() < 500, "{stderr}");
}

#[test]
fn ten_thousand_services_validate() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let (code, _, stderr) = ws.run(&["init", "--services", "10000", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = ws.run(&["validate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("10000 services in 3 environments"),
        "{stdout}"
    );
}

#[test]
fn ten_thousand_errors_are_each_located() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    assert_eq!(ws.run(&["init", "--services", "10000", "--force"]).0, 0);
    let path = ws.path("spec/enterprise.toml");
    let text = fs::read_to_string(&path).unwrap();
    let mut broken = String::new();
    for line in text.lines() {
        broken.push_str(line);
        broken.push('\n');
        if line.starts_with("[services.") && !line[10..].contains('.') {
            broken.push_str("colour = \"blue\"\n");
        }
    }
    fs::write(&path, &broken).unwrap();
    let (code, _, stderr) = ws.run(&["validate", "--color", "never"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("has 10000 errors"),
        "{}",
        &stderr[stderr.len().saturating_sub(300)..]
    );
    let located = stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("--> spec/enterprise.toml:"))
        .count();
    assert_eq!(located, 10000);
    // The last service's key, at its own line, not at the first one's.
    let last_line = broken
        .lines()
        .collect::<Vec<_>>()
        .iter()
        .rposition(|l| *l == "colour = \"blue\"")
        .unwrap()
        + 1;
    assert!(
        stderr.contains(&format!("--> spec/enterprise.toml:{last_line}:1")),
        "line {last_line}"
    );
}

#[test]
fn deep_nesting_is_refused() {
    let depth = 100_000;
    let array = format!("x = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    refused(array.as_bytes(), "spec/enterprise.toml:1:");
    let tables = format!("x = {}{}\n", "{ a = ".repeat(depth), "}".repeat(depth));
    refused(tables.as_bytes(), "spec/enterprise.toml:1:");
}

#[test]
fn megabyte_values_get_one_line_messages() {
    let long = "a".repeat(1024 * 1024);
    for (key, was, expected) in [
        ("version", "\"3.8.1\"", "version `aaaa"),
        ("domain", "\"dev.northwind.example\"", "domain `aaaa"),
        (
            "registry",
            "\"123456789012.dkr.ecr.eu-west-1.amazonaws.com\"",
            "registry `aaaa",
        ),
        ("platform_team", "\"@northwind/platform\"", "owner `aaaa"),
        (
            "cluster",
            "\"https://dev.k8s.northwind.internal\"",
            "cluster `aaaa",
        ),
    ] {
        let text = bundled();
        let start = text
            .find(&format!("{key} = {was}"))
            .unwrap_or_else(|| panic!("{key} = {was} in the bundled spec"))
            + key.len()
            + 4;
        let end = start + text[start..].find('"').unwrap();
        let edited = format!("{}{long}{}", &text[..start], &text[end..]);
        let stderr = refused(edited.as_bytes(), expected);
        assert!(
            stderr.len() < 4096,
            "{key}: a {} byte message",
            stderr.len()
        );
        assert!(stderr.contains('…'), "{key}: the value is cut short");
    }
}

#[test]
fn text_that_is_not_utf8_is_refused() {
    let mut text = bundled().into_bytes();
    text.extend_from_slice(b"# \xff\xfe\n");
    refused(&text, "is not UTF-8 text");
}
