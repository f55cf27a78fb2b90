//! CODEOWNERS as GitHub reads it (`common::codeowners`): for a set of paths, the owners GitHub
//! picks are exactly the expected ones.

use crate::common;

use std::fs;
use std::path::Path;

use common::codeowners::{matches, owners};

#[test]
fn the_matcher_reads_patterns_as_github_does() {
    let cases: [(&str, &str, bool); 16] = [
        ("*", "README.md", true),
        ("*", "a/b/c.yaml", true),
        ("/docs/", "docs/a/b.md", true),
        ("/docs/", "src/docs/a.md", false),
        ("docs/", "src/docs/a.md", true),
        ("/docs", "docs/a.md", true),
        ("docs/*", "docs/a.md", true),
        ("docs/*", "docs/a/b.md", false),
        ("docs/*", "src/docs/a.md", false),
        ("*.yaml", "envs/dev/a.yaml", true),
        ("/envs/*.yaml", "envs/dev/a.yaml", false),
        ("/apps/**/prod/", "apps/users/overlays/prod/x.yaml", true),
        (
            "/apps/**/prod/",
            "apps/users/overlays/staging/x.yaml",
            false,
        ),
        (
            "/argocd/projects/dev.yaml",
            "argocd/projects/dev.yaml",
            true,
        ),
        (
            "/argocd/projects/dev.yaml",
            "argocd/projects/dev.yaml.bak",
            false,
        ),
        (
            "/generated/apps/users/",
            "generated/apps/users-api/base/x.yaml",
            false,
        ),
    ];
    for (pattern, path, expected) in cases {
        assert_eq!(matches(pattern, path), expected, "{pattern} on {path}");
    }
}

#[test]
fn owners_github_picks_for_the_bundled_tree() {
    let codeowners =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/CODEOWNERS"))
            .unwrap();
    let production = ["@northwind/platform", "@northwind/sre"];
    let staging = ["@northwind/platform", "@northwind/qa"];
    let cases: [(&str, &[&str]); 17] = [
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
            &["@northwind/identity", "@northwind/qa"],
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
        (
            "generated/argocd/projects/dev.yaml",
            &["@northwind/platform"],
        ),
        ("generated/envs/dev/policies.yaml", &["@northwind/platform"]),
        ("generated/envs/staging/ingress.yaml", &staging),
        ("generated/argocd/applicationsets/staging.yaml", &staging),
        ("generated/terraform/staging/main.tf", &staging),
        ("generated/argocd/root.yaml", &production),
        ("generated/ci/users.yml", &production),
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
