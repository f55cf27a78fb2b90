//! `plan` names what a change does per environment and service, and guards the blast radius.

use crate::common;

use common::Workspace;

#[test]
fn a_change_to_defaults_trips_the_blast_radius_guard() {
    let ws = Workspace::with_spec("spec/enterprise-100.toml");
    assert_eq!(ws.run(&["build"]).0, 0);
    ws.edit_spec(
        "env = { LOG_FORMAT = \"json\" }",
        "env = { LOG_FORMAT = \"logfmt\" }",
    );
    let (code, _, stderr) = ws.run(&["plan", "--max-blast", "5", "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error: this change touches 100 services in `prod`, more than --max-blast 5: assets-api, assets, audit-api,"), "{stderr}");
    let refusal = stderr
        .lines()
        .find(|l| l.contains("services in `prod`"))
        .unwrap();
    assert!(
        refusal.ends_with(" and 80 more"),
        "a screenful of names, the rest counted: {refusal}"
    );
}

#[test]
fn a_one_service_change_passes_the_guard_and_says_what_changes() {
    let ws = Workspace::with_spec("spec/enterprise-100.toml");
    assert_eq!(ws.run(&["build"]).0, 0);
    ws.edit_spec(
        "[services.cart]\nteam = \"discovery\"\nbase = \"python:3.12\"\nversion = \"5.4.4\"",
        "[services.cart]\nteam = \"discovery\"\nbase = \"python:3.12\"\nversion = \"5.5.0\"",
    );
    let (code, stdout, stderr) = ws.run(&["plan", "--max-blast", "5", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["totals"]["services"], 1);
    assert_eq!(report["totals"]["environments"], 3);
    let prod = &report["environments"][0];
    assert_eq!(prod["name"], "prod", "production comes first");
    let change = &prod["applications"][0]["changes"][0];
    assert_eq!(change["kind"], "image");
    assert_eq!(
        (change["from"].as_str(), change["to"].as_str()),
        (Some("5.4.4"), Some("5.5.0"))
    );
    assert_eq!(
        prod["applications"][0]["owners"],
        serde_json::json!(["@acme/platform", "@acme/sre"])
    );
    assert_eq!(
        report["environments"][1]["applications"][0]["owners"],
        serde_json::json!(["@acme/discovery"])
    );
    assert_eq!(
        report["labels"],
        serde_json::json!(["env:prod", "env:dev", "env:staging"])
    );
    assert_eq!(
        report["owners"],
        serde_json::json!(["@acme/discovery", "@acme/platform", "@acme/sre"])
    );
}

#[test]
fn a_colour_switch_is_named_in_text_and_markdown() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    assert_eq!(ws.run(&["build"]).0, 0);
    assert_eq!(ws.run(&["promote", "users", "--env", "prod"]).0, 0);
    let (code, stdout, _) = ws.run(&["plan", "--color", "never"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("Impact: 1 service in 1 environment change; production: 1 application"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    users-prod  live colour blue → green\n"),
        "{stdout}"
    );
    let (_, markdown, _) = ws.run(&["plan", "--format", "markdown"]);
    assert!(markdown.contains("| **prod** (production) | `users-prod` | live colour blue → green | @northwind/platform @northwind/sre |"), "{markdown}");
}
