//! Pods acting as cloud identities, as a user writes and changes them: each cloud's webhook
//! finds what it reads where it reads it, an environment's identity changes that environment's
//! files alone, and only production's owners may change production's.

use crate::common;

use std::fs;

use common::Workspace;
use serde_json::Value;

const SPEC: &str = "golden/identities/enterprise.toml";

fn workspace() -> Workspace {
    let ws = Workspace::with_spec(SPEC);
    // The schema comment points into the repository; the copy lives elsewhere.
    ws.edit_spec("#:schema ../../schemas/enterprise.schema.json\n", "");
    assert_eq!(ws.run(&["build"]).0, 0);
    ws
}

/// The hydrated objects of `service` in `place` (`env` or `env/cluster`) of `kind`.
fn objects(ws: &Workspace, service: &str, place: &str, kind: &str) -> Vec<Value> {
    let (code, stdout, stderr) = ws.run(&["render", service, place]);
    assert_eq!(code, 0, "{stderr}");
    fleetc::parse_documents(&stdout)
        .unwrap()
        .into_iter()
        .filter(|d| d["kind"] == kind)
        .collect()
}

fn annotations(ws: &Workspace, service: &str, place: &str) -> Value {
    let accounts = objects(ws, service, place, "ServiceAccount");
    assert_eq!(accounts.len(), 1, "{service} in {place}");
    accounts[0]["metadata"]["annotations"].clone()
}

#[test]
fn each_clouds_webhook_finds_the_identity_where_it_reads_it() {
    let ws = workspace();
    for (service, place, annotation, id) in [
        (
            "orders",
            "dev",
            "eks.amazonaws.com/role-arn",
            "arn:aws:iam::111111111111:role/orders-dev",
        ),
        (
            "orders",
            "prod/eu",
            "eks.amazonaws.com/role-arn",
            "arn:aws:iam::222222222222:role/orders-prod",
        ),
        (
            "orders",
            "prod/us",
            "eks.amazonaws.com/role-arn",
            "arn:aws:iam::333333333333:role/globex/orders-prod-us",
        ),
        (
            "mailer",
            "dev",
            "iam.gke.io/gcp-service-account",
            "mailer@globex-dev.iam.gserviceaccount.com",
        ),
        (
            "mailer",
            "prod/us",
            "iam.gke.io/gcp-service-account",
            "mailer@globex-prod.iam.gserviceaccount.com",
        ),
        (
            "reports",
            "prod/eu",
            "azure.workload.identity/client-id",
            "7d4f0a3c-2b1e-4c5d-9e8f-0a1b2c3d4e5f",
        ),
    ] {
        let found = annotations(&ws, service, place);
        assert_eq!(
            found,
            serde_json::json!({ annotation: id }),
            "{service} in {place}"
        );
    }
    assert_eq!(annotations(&ws, "reports", "dev"), Value::Null);

    // Azure's webhook mutates only the pods labelled for it, wherever the kind keeps them;
    // the other clouds' read the ServiceAccount alone. No cloud needs the API token mounted.
    let label = |pod: &Value| pod["metadata"]["labels"]["azure.workload.identity/use"].clone();
    let cron = &objects(&ws, "reports", "prod/eu", "CronJob")[0];
    let pod = &cron["spec"]["jobTemplate"]["spec"]["template"];
    assert_eq!(label(pod), "true");
    assert_eq!(pod["spec"]["automountServiceAccountToken"], false);
    let cron = &objects(&ws, "reports", "dev", "CronJob")[0];
    assert_eq!(
        label(&cron["spec"]["jobTemplate"]["spec"]["template"]),
        Value::Null
    );
    let colours = objects(&ws, "orders", "dev", "Deployment");
    assert_eq!(colours.len(), 2, "a release is in flight in dev");
    for deployment in &colours {
        let pod = &deployment["spec"]["template"];
        assert_eq!(label(pod), Value::Null);
        assert_eq!(pod["spec"]["serviceAccountName"], "orders");
        assert_eq!(pod["spec"]["automountServiceAccountToken"], false);
    }
}

#[test]
fn an_identity_is_written_in_its_overlays_never_in_the_base() {
    let ws = workspace();
    let generated = ws.generated();
    let base =
        String::from_utf8(generated["generated/apps/mailer/base/serviceaccount.yaml"].clone())
            .unwrap();
    assert!(!base.contains("annotations"), "{base}");
    let patches: Vec<&String> = generated
        .keys()
        .filter(|path| path.ends_with("serviceaccount-patch.yaml"))
        .collect();
    assert!(
        patches.iter().all(|path| path.contains("/overlays/")),
        "{patches:?}"
    );
    // reports acts as nothing in dev: its overlay there is untouched.
    assert!(
        !generated.contains_key("generated/apps/reports/overlays/dev/serviceaccount-patch.yaml")
    );
    assert_eq!(patches.len(), 8, "{patches:?}");
}

#[test]
fn an_environments_identity_changes_its_files_alone() {
    let ws = workspace();
    let before = ws.generated();
    ws.edit_spec(
        "arn:aws:iam::222222222222:role/orders-prod",
        "arn:aws:iam::222222222222:role/orders-prod-v2",
    );
    assert_eq!(ws.run(&["build"]).0, 0);
    let after = ws.generated();
    let changed: Vec<&String> = after
        .keys()
        .filter(|path| before.get(*path) != after.get(*path))
        .collect();
    assert_eq!(
        changed,
        [
            "generated/apps/orders/overlays/prod/eu/serviceaccount-patch.yaml",
            "generated/terraform/prod/eu/main.tf",
        ],
        "the us cluster has a role of its own"
    );
}

#[test]
fn a_production_identity_is_owned_by_the_platform_and_the_approvers() {
    let ws = workspace();
    let codeowners = fs::read_to_string(ws.path("generated/CODEOWNERS")).unwrap();
    let codeowners = common::codeowners::Codeowners::parse(&codeowners);
    let read = |path: &str| codeowners.owners(path);
    for path in [
        "generated/apps/orders/overlays/prod/us/serviceaccount-patch.yaml",
        "generated/apps/reports/overlays/prod/eu/cronjob-patch.yaml",
        "generated/terraform/prod/us/main.tf",
    ] {
        assert_eq!(read(path), ["@globex/platform", "@globex/sre"], "{path}");
    }
    assert_eq!(
        read("generated/apps/orders/overlays/dev/serviceaccount-patch.yaml"),
        ["@globex/commerce"]
    );
}

/// The plan as `plan --format json` reports it, and every change it names for the
/// Application of overlay `overlay`.
fn planned(ws: &Workspace, overlay: &str) -> (Value, Vec<Value>) {
    let (code, stdout, stderr) = ws.run(&["plan", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let changes = report["environments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["applications"].as_array().unwrap().clone())
        .filter(|a| a["path"] == overlay)
        .flat_map(|a| a["changes"].as_array().unwrap().clone())
        .collect();
    (report, changes)
}

#[test]
fn a_change_of_identity_is_planned_as_one_naming_the_cloud_and_both_identities() {
    let ws = workspace();
    ws.edit_spec("role/orders-prod\"", "role/orders-prod-v2\"");
    let (report, changes) = planned(&ws, "apps/orders/overlays/prod/eu");
    assert_eq!(
        changes,
        [serde_json::json!({
            "kind": "identity",
            "from": "aws arn:aws:iam::222222222222:role/orders-prod",
            "to": "aws arn:aws:iam::222222222222:role/orders-prod-v2",
        })]
    );
    assert_eq!(
        report["headline"]["terraform"],
        serde_json::json!(["Terraform prod/eu: module workload_identity aws_roles \
             arn:aws:iam::222222222222:role/orders-prod trusts system:serviceaccount:globex-prod:orders → \
             arn:aws:iam::222222222222:role/orders-prod-v2 trusts system:serviceaccount:globex-prod:orders"])
    );

    // An Azure identity labels the pods too; the label is part of the identity's change.
    let ws = workspace();
    ws.edit_spec(
        "overrides.prod.identity.azure_client_id",
        "overrides.dev.identity.azure_client_id = \"0b2c4d6e-8f01-4a3b-9c5d-7e9f1a2b3c4d\"\noverrides.prod.identity.azure_client_id",
    );
    let (_, changes) = planned(&ws, "apps/reports/overlays/dev");
    assert_eq!(
        changes,
        [serde_json::json!({
            "kind": "identity",
            "from": "none",
            "to": "azure 0b2c4d6e-8f01-4a3b-9c5d-7e9f1a2b3c4d",
        })]
    );
}

#[test]
fn why_names_the_spec_key_behind_an_identity() {
    let ws = workspace();
    let (code, stdout, stderr) = ws.run(&[
        "why",
        "generated/apps/orders/overlays/prod/us/serviceaccount-patch.yaml:5",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let said = format!("{stdout}{stderr}");
    assert!(
        said.contains("services.orders.overrides.prod.clusters.us.identity.aws_role"),
        "{said}"
    );
}
