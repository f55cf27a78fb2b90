//! The Renovate configuration finds every pin marked in the bundled spec: its regex managers
//! run over `spec/enterprise.toml` here exactly as Renovate runs them (named groups, JS syntax).

use std::fs;
use std::path::Path;

use regex::Regex;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// (datasource, depName, currentValue, currentDigest) for every match of every manager.
fn extracted(spec_path: &str) -> Vec<(String, String, String, Option<String>)> {
    let config: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root().join("renovate.json")).unwrap()).unwrap();
    let spec = fs::read_to_string(root().join(spec_path)).unwrap();
    let mut found = Vec::new();
    for manager in config["customManagers"].as_array().unwrap() {
        let applies = manager["managerFilePatterns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| {
                let pattern = p.as_str().unwrap().trim_matches('/');
                Regex::new(pattern).unwrap().is_match(spec_path)
            });
        assert!(applies, "{spec_path} is not matched by {manager}");
        for pattern in manager["matchStrings"].as_array().unwrap() {
            let regex = Regex::new(pattern.as_str().unwrap()).unwrap();
            for captures in regex.captures_iter(&spec) {
                let group = |name: &str| captures.name(name).map(|m| m.as_str().to_owned());
                found.push((
                    group("datasource").unwrap(),
                    group("depName").unwrap(),
                    group("currentValue").unwrap(),
                    group("currentDigest"),
                ));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn every_marked_pin_of_the_bundled_spec_is_found() {
    let found = extracted("spec/enterprise.toml");
    let summary: Vec<(String, String, String, bool)> = found
        .into_iter()
        .map(|(datasource, dep, value, digest)| (datasource, dep, value, digest.is_some()))
        .collect();
    let registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    let modules = "https://github.com/northwind/terraform-modules";
    let expected: Vec<(String, String, String, bool)> = [
        (
            "docker",
            format!("{registry}/platform/distroless-go"),
            "1.22",
            true,
        ),
        ("docker", format!("{registry}/platform/node"), "20.11", true),
        (
            "docker",
            format!("{registry}/platform/python-base"),
            "3.12-r2",
            true,
        ),
        (
            "docker",
            format!("{registry}/platform/temurin"),
            "21-r1",
            true,
        ),
        ("git-tags", modules.to_owned(), "v0.9.1", true),
        ("git-tags", modules.to_owned(), "v1.2.0", true),
        ("git-tags", modules.to_owned(), "v1.4.0", true),
        (
            "github-tags",
            "northwind/ci-templates".to_owned(),
            "v2.3.0",
            false,
        ),
    ]
    .into_iter()
    .map(|(d, n, v, g)| (d.to_owned(), n, v.to_owned(), g))
    .collect();
    assert_eq!(summary, expected);
}

#[test]
fn no_renovate_comment_is_left_unmatched() {
    let spec = fs::read_to_string(root().join("spec/enterprise.toml")).unwrap();
    let marked = spec
        .lines()
        .filter(|l| l.trim_start().starts_with("# renovate: "))
        .count();
    assert_eq!(extracted("spec/enterprise.toml").len(), marked);
}
