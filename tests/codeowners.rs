//! CODEOWNERS as GitHub reads it: the last matching rule wins. For a set of paths, the owners
//! GitHub picks are exactly the expected ones.

use std::fs;
use std::path::Path;

/// The owners GitHub assigns to `path` (repository-relative, no leading slash).
fn owners<'a>(codeowners: &'a str, path: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    for line in codeowners.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let pattern = words.next().unwrap();
        if matches(pattern, path) {
            found = words.collect();
        }
    }
    found
}

/// The pattern forms fleetc writes: `*`, and `/dir/` (a folder, anchored at the root).
fn matches(pattern: &str, path: &str) -> bool {
    match pattern {
        "*" => true,
        anchored => {
            let folder = anchored
                .strip_prefix('/')
                .and_then(|p| p.strip_suffix('/'))
                .unwrap_or_else(|| {
                    panic!("fleetc writes only `*` and `/folder/` patterns, not {anchored}")
                });
            folder.is_empty() || path.starts_with(&format!("{folder}/"))
        }
    }
}

#[test]
fn owners_github_picks_for_the_bundled_tree() {
    let codeowners =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/CODEOWNERS"))
            .unwrap();
    let production = ["@northwind/platform", "@northwind/sre"];
    let cases: [(&str, &[&str]); 12] = [
        (
            "generated/apps/users/base/service.yaml",
            &["@northwind/identity"],
        ),
        (
            "generated/apps/users/colours/green/deployment.yaml",
            &["@northwind/identity"],
        ),
        (
            "generated/apps/users/overlays/dev/kustomization.yaml",
            &["@northwind/identity"],
        ),
        (
            "generated/apps/users/overlays/staging/service-patch.yaml",
            &["@northwind/identity"],
        ),
        (
            "generated/apps/users/overlays/prod/service-patch.yaml",
            &production,
        ),
        (
            "generated/apps/payments/rollout/analysis.yaml",
            &["@northwind/payments", "@northwind/security"],
        ),
        (
            "generated/apps/payments/overlays/prod/rollout-patch.yaml",
            &production,
        ),
        ("generated/argocd/applicationsets/prod.yaml", &production),
        ("generated/argocd/projects/dev.yaml", &production),
        ("generated/envs/dev/policies.yaml", &production),
        ("generated/terraform/prod/main.tf", &production),
        ("generated/CODEOWNERS", &production),
    ];
    for (path, expected) in cases {
        assert_eq!(owners(&codeowners, path), expected, "{path}");
    }
    assert!(
        owners(&codeowners, "spec/enterprise.toml").is_empty(),
        "outside the generated tree"
    );
}

#[test]
fn a_tree_at_the_repository_root_uses_a_catch_all() {
    let codeowners = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("golden/edge-cases/expected/CODEOWNERS"),
    )
    .unwrap();
    assert_eq!(
        owners(&codeowners, "README.md"),
        ["@edge/platform", "@edge/cab", "@alice"]
    );
    assert_eq!(
        owners(&codeowners, "apps/on/overlays/qa/hpa.yaml"),
        ["@edge/yes"]
    );
    assert_eq!(
        owners(&codeowners, "apps/on/overlays/live/hpa.yaml"),
        ["@edge/platform", "@edge/cab", "@alice"]
    );
    assert_eq!(
        owners(&codeowners, "apps/y/base/pdb.yaml"),
        ["@edge/platform"],
        "a team without owners falls back to the platform team"
    );
}
