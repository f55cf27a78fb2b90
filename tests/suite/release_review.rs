//! A release changes its own service's files and nothing the estate shares, so it asks for
//! the reviews its environment needs and no more: its team alone where the environment has
//! no approvers, the team and the approvers where it has, production's as ever. The preview
//! host still shows the release.

use crate::common;

use serde_json::Value;

use common::Workspace;

const BUNDLED: &str = "spec/enterprise.toml";

/// The bundled estate built and committed, then `cart` 1.13.0 released in `env` (after dev
/// and staging, where the order asks for them) and the tree rebuilt.
fn released_in(env: &str) -> Workspace {
    let ws = Workspace::with_spec(BUNDLED);
    assert_eq!(ws.run(&["build"]).0, 0);
    let repo = git2::Repository::init(ws.path("")).unwrap();
    let order = ["dev", "staging", "prod"];
    let before = &order[..order.iter().position(|e| *e == env).unwrap()];
    let version = |env: &str| match env {
        "prod" => format!("1.13.0@sha256:{}", "ab".repeat(32)),
        _ => "1.13.0".to_owned(),
    };
    for earlier in before {
        assert_eq!(
            ws.run(&["release", "cart", &version(earlier), "--env", earlier])
                .0,
            0
        );
        assert_eq!(ws.run(&["promote", "cart", "--env", earlier]).0, 0);
        assert_eq!(ws.run(&["retire", "cart", "--env", earlier]).0, 0);
    }
    assert_eq!(ws.run(&["build"]).0, 0);
    common::git::commit(
        &repo,
        &["spec", "generated"],
        "cart 1.13.0 up to here",
        None,
    );
    let (code, _, stderr) = ws.run(&["release", "cart", &version(env), "--env", env]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ws.run(&["build"]).0, 0);
    ws
}

fn review(ws: &Workspace) -> Value {
    let (code, stdout, stderr) = ws.run(&["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn changed_files(ws: &Workspace) -> Vec<String> {
    let repo = git2::Repository::open(ws.path("")).unwrap();
    let mut options = git2::StatusOptions::new();
    options.include_untracked(true).recurse_untracked_dirs(true);
    let statuses = repo.statuses(Some(&mut options)).unwrap();
    statuses
        .iter()
        .filter_map(|s| s.path().ok().map(str::to_owned))
        .filter(|p| p.starts_with("generated/"))
        .collect()
}

#[test]
fn a_release_in_an_environment_without_approvers_asks_its_team_alone() {
    let ws = released_in("dev");
    let changed = changed_files(&ws);
    assert!(!changed.is_empty());
    assert!(
        changed
            .iter()
            .all(|p| p.starts_with("generated/apps/cart/")),
        "{changed:?}"
    );
    let review = review(&ws);
    assert_eq!(review["owners"], serde_json::json!(["@northwind/commerce"]));
    assert_eq!(review["platform_files"], serde_json::json!([]));
    let (_, plan, _) = ws.run(&["plan", "--format", "json"]);
    let plan: Value = serde_json::from_str(&plan).unwrap();
    assert_eq!(
        plan["owners"],
        serde_json::json!([]),
        "built: nothing left to do"
    );
}

/// A release of `cart` in `env` changes cart's files alone and asks `owners`.
fn asks_only(env: &str, owners: &[&str]) {
    let ws = released_in(env);
    let changed = changed_files(&ws);
    assert!(
        changed
            .iter()
            .all(|p| p.starts_with("generated/apps/cart/")),
        "{changed:?}"
    );
    assert_eq!(review(&ws)["owners"], serde_json::json!(owners));
}

#[test]
fn a_release_in_an_environment_with_approvers_asks_its_team_and_them() {
    asks_only("staging", &["@northwind/commerce", "@northwind/qa"]);
}

#[test]
fn a_release_in_production_asks_productions_approvers() {
    asks_only(
        "prod",
        &[
            "@northwind/commerce",
            "@northwind/platform",
            "@northwind/sre",
        ],
    );
}

/// The preview host routes to each service's preview Service, which selects the idle colour
/// while a release is in flight and the live one otherwise.
#[test]
fn the_preview_host_reaches_the_release_through_its_services_own_preview_service() {
    let ws = released_in("dev");
    let (code, rendered, stderr) = ws.run(&["render", "cart", "dev"]);
    assert_eq!(code, 0, "{stderr}");
    let documents: Vec<Value> = serde_saphyr::from_multiple(&rendered).unwrap();
    let selector_of = |name: &str| {
        documents
            .iter()
            .find(|d| d["kind"] == "Service" && d["metadata"]["name"] == name)
            .map(|d| d["spec"]["selector"]["version"].clone())
    };
    assert_eq!(selector_of("cart-preview"), Some(Value::from("green")));
    assert_eq!(selector_of("cart"), Some(Value::from("blue")));
    let (_, catalog, _) = ws.run(&["render", "catalog", "dev"]);
    let documents: Vec<Value> = serde_saphyr::from_multiple(&catalog).unwrap();
    let service = |name: &str| {
        documents
            .iter()
            .find(|d| d["kind"] == "Service" && d["metadata"]["name"] == name)
            .unwrap_or_else(|| panic!("{name}: a routed service keeps its preview Service"))
    };
    assert_eq!(
        service("catalog-preview")["spec"]["selector"],
        service("catalog")["spec"]["selector"],
        "with no release, the preview host shows the live colour"
    );
    let ingress =
        std::fs::read_to_string(ws.path("generated/envs/dev/ingress-preview.yaml")).unwrap();
    let ingress: Value = serde_saphyr::from_str(&ingress).unwrap();
    let backend = |path: &str| {
        ingress["spec"]["rules"][0]["http"]["paths"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["path"] == path)
            .map(|p| p["backend"]["service"]["name"].clone())
    };
    assert_eq!(backend("/cart"), Some(Value::from("cart-preview")));
    assert_eq!(backend("/catalog"), Some(Value::from("catalog-preview")));
    // Argo Rollouts shifts a canary's traffic on the live host itself.
    assert_eq!(backend("/search"), Some(Value::from("search")));
}
