//! What a reviewer reads first: the headline of `plan` in every format, before the
//! per-Application detail and the diff; CI template and Terraform changes counted, named and
//! routed to their owners; a service's colour folders counted for that service.

use crate::common;

use common::Workspace;
use serde_json::Value;

const BUNDLED: &str = "spec/enterprise.toml";

/// A release-day change on the bundled spec: a new CI template, a Terraform module upgrade in
/// dev and staging, and a variable every service reads.
fn release_day() -> Workspace {
    let ws = Workspace::with_spec(BUNDLED);
    assert_eq!(ws.run(&["build"]).0, 0);
    ws.edit_spec("version = \"v2.3.0\"", "version = \"v2.4.0\"");
    ws.edit_spec(
        "eks = { version = \"v1.4.0\"",
        "eks = { version = \"v1.5.0\"",
    );
    ws.edit_spec(
        "env = { LOG_FORMAT = \"json\" }",
        "env = { LOG_FORMAT = \"logfmt\" }",
    );
    ws
}

const CI_LINE: &str = "CI template v2.3.0 → v2.4.0: auth, cart, catalog, notifications, payments, pricing, storefront (ci/auth.yml, ci/cart.yml, ci/catalog.yml, ci/notifications.yml, ci/payments.yml, ci/pricing.yml, ci/storefront.yml)";

#[test]
fn the_text_plan_leads_with_the_headline_and_ends_with_the_diff() {
    let ws = release_day();
    let (code, stdout, stderr) = ws.run(&["plan", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    let headline = format!(
        "Impact: 10 services in 3 environments change; production: 10 applications; CI: 7 workflows; Terraform: 2 environments\n  prod (production): 10 Applications\n  dev: 10 Applications\n  staging: 10 Applications\n  {CI_LINE}\n  Terraform dev: module eks v1.4.0 → v1.5.0\n  Terraform staging: module eks v1.4.0 → v1.5.0\n"
    );
    assert!(stdout.starts_with(&headline), "{stdout}");
    let detail = stdout.find("\nApplications:\n").expect("the detail");
    let app = stdout
        .find("    auth-prod           variables LOG_FORMAT\n")
        .unwrap();
    let files = stdout
        .find("\nservice        environment")
        .expect("the files");
    let diff = stdout.find("\n--- a/").expect("the diff");
    assert!(detail < app && app < files && files < diff, "{stdout}");
    assert!(!stdout[..diff].contains("configuration"), "{stdout}");
}

#[test]
fn markdown_json_and_github_lead_with_the_headline_too() {
    let ws = release_day();
    let (_, markdown, _) = ws.run(&["plan", "--format", "markdown"]);
    assert!(
        markdown.starts_with("### fleetc plan\n\n**10 services in 3 environments change; production: 10 applications; CI: 7 workflows; Terraform: 2 environments.**\n\n- prod (production): 10 Applications\n- dev: 10 Applications\n- staging: 10 Applications\n"),
        "{markdown}"
    );
    let bullet = markdown.find(&format!("- {CI_LINE}\n")).expect("CI listed");
    let table = markdown.find("| Environment | Application |").unwrap();
    assert!(bullet < table, "{markdown}");

    let (_, json, _) = ws.run(&["plan", "--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
    assert_eq!(keys[..2], ["deleted_applications", "headline"], "{json}");
    assert_eq!(report["headline"]["environments"][0]["name"], "prod");
    assert_eq!(report["headline"]["environments"][0]["applications"], 10);
    assert_eq!(report["headline"]["ci"][0], CI_LINE);
    assert_eq!(report["ci"][0]["to"], "v2.4.0");
    assert_eq!(report["ci"][0]["services"].as_array().unwrap().len(), 7);
    assert_eq!(report["terraform"][0]["environment"], "dev");
    assert_eq!(report["terraform"][0]["module"], "eks");
    assert_eq!(report["totals"]["services"], 10, "older fields stay");

    let (_, github, _) = ws.run(&["plan", "--format", "github", "--color", "never"]);
    assert!(
        github.starts_with("::notice title=Impact::10 services in 3 environments change;"),
        "{github}"
    );
}

/// A CI template bump across a hundred services: the headline names a screenful of them and
/// counts the rest, as the list of platform files does; JSON keeps every one.
#[test]
fn a_ci_template_bump_across_a_hundred_services_is_named_within_a_line() {
    let ws = Workspace::with_spec("spec/enterprise-100.toml");
    assert_eq!(ws.run(&["build"]).0, 0);
    ws.edit_spec("version = \"v1.0.0\"", "version = \"v1.1.0\"");
    let (code, stdout, stderr) = ws.run(&["plan", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    let ci = stdout
        .lines()
        .find(|l| l.starts_with("  CI template v1.0.0 → v1.1.0: "))
        .expect("the CI line");
    assert!(
        ci.contains(" and 80 more (ci/assets-api.yml, ci/assets.yml, ")
            && ci.ends_with(" and 80 more)"),
        "{ci}"
    );
    let platform = stdout
        .lines()
        .find(|l| l.starts_with("Platform files: "))
        .expect("the platform files");
    assert!(platform.ends_with(" and 80 more"), "{platform}");

    let (_, json, _) = ws.run(&["plan", "--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["ci"][0]["services"].as_array().unwrap().len(), 100);
    assert_eq!(report["platform_files"].as_array().unwrap().len(), 100);
}

#[test]
fn a_ci_template_change_alone_is_counted_and_requests_its_owners() {
    let ws = Workspace::with_spec(BUNDLED);
    assert_eq!(ws.run(&["build"]).0, 0);
    ws.edit_spec(
        "waves = [{ version = \"v3.0.0\", services = [\"users\", \"orders\", \"search\"] }]",
        "waves = [{ version = \"v3.0.0\", services = [\"users\", \"orders\", \"search\", \"cart\"] }]",
    );
    let (code, stdout, _) = ws.run(&["plan", "--color", "never"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("Impact: no Application changes; CI: 1 workflow\n  CI template v2.3.0 → v3.0.0: cart (ci/cart.yml)\n"),
        "{stdout}"
    );
    let (_, json, _) = ws.run(&["plan", "--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        report["owners"],
        serde_json::json!(["@northwind/platform", "@northwind/sre"]),
        "CODEOWNERS of ci/: the platform team and production's approvers"
    );
    assert_eq!(report["labels"], serde_json::json!(["ci"]));
}

#[test]
fn a_terraform_pin_in_one_environment_requests_that_environments_owners() {
    let ws = Workspace::with_spec(BUNDLED);
    assert_eq!(ws.run(&["build"]).0, 0);
    ws.edit_spec(
        "staging = \"bottlerocket-1.24.1\"",
        "staging = \"bottlerocket-1.24.2\"",
    );
    ws.edit_spec(
        "prod = \"v1.3.2@3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c\"",
        "prod = \"v1.4.0@c0ffee5e7a1b2c3d4e5f60718293a4b5c6d7e8f9\"",
    );
    let (_, stdout, _) = ws.run(&["plan", "--color", "never"]);
    assert!(
        stdout.starts_with("Impact: no Application changes; Terraform: 2 environments\n  Terraform prod: module eks v1.3.2 → v1.4.0\n  Terraform staging: module eks node_image bottlerocket-1.24.1 → bottlerocket-1.24.2\n"),
        "{stdout}"
    );
    let (_, json, _) = ws.run(&["plan", "--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        report["owners"],
        serde_json::json!(["@northwind/platform", "@northwind/qa", "@northwind/sre"])
    );
    assert_eq!(
        report["labels"],
        serde_json::json!(["env:prod", "env:staging", "terraform"])
    );
}

#[test]
fn a_colour_folder_counts_for_its_service_in_the_environments_that_read_it() {
    let ws = Workspace::with_spec(BUNDLED);
    assert_eq!(ws.run(&["build"]).0, 0);
    assert_eq!(ws.run(&["release", "cart", "1.13.0", "--env", "dev"]).0, 0);
    let (_, stdout, _) = ws.run(&["plan", "--color", "never"]);
    let rows: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("service "))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(
        rows,
        [
            "cart     all              0        1       0",
            "cart     dev              3        3       0",
        ],
        "the new colour's two files count for cart in dev, and its record for cart:\n{stdout}"
    );
    // The tree on disk is read with its root record, which the release leaves alone.
    assert!(
        stdout.contains("  owners to request: @northwind/commerce\n"),
        "{stdout}"
    );
}
