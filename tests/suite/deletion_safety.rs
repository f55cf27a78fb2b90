//! A service or environment removed from the spec leaves the tree, and Argo CD deletes the
//! Applications it produced; their workloads keep running until someone confirms. What Argo CD
//! does follows from the objects, so these tests read them from the tree `build` writes before
//! and after the removal: the Application's resources finalizer (deleting it deletes what it
//! deployed) with `Delete=confirm` (but only once confirmed), no
//! `preserveResourcesOnDeletion` (which would drop the finalizer and orphan the workloads,
//! unmanaged), and the AppProject's finalizer (kept while an Application still uses it).

use crate::common;

use std::fs;

use common::Workspace;
use common::applications::instantiate;
use fleetc::parse_documents;
use serde_json::Value;

const FINALIZER: &str = "resources-finalizer.argocd.argoproj.io";

fn spec(envs: &[&str], services: &[&str]) -> String {
    let mut text = common::spec_preamble(envs);
    text.push_str(
        "[teams.t]\nowners = [\"@gen/t\"]\n[base_images.b]\nimage = \"b\"\nversions.\"1\" = {}\n",
    );
    for name in services {
        text.push_str(&format!(
            "[services.{name}]\nteam = \"t\"\nbase = \"b:1\"\nversion = \"1.0.0\"\nroute = \"/{name}\"\n"
        ));
    }
    text
}

/// Builds the spec; the deletions these tests make are the point, so they are allowed.
fn build(workspace: &Workspace, text: &str) {
    fs::write(workspace.path("spec/enterprise.toml"), text).unwrap();
    let (code, _, stderr) = workspace.run(&["build", "--allow-delete", "--today", "2026-11-22"]);
    assert_eq!(code, 0, "{stderr}");
}

fn document(workspace: &Workspace, path: &str) -> Option<Value> {
    let text = fs::read_to_string(workspace.path(&format!("generated/{path}"))).ok()?;
    Some(parse_documents(&text).unwrap().remove(0))
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Deleting the Application deletes its workloads, once someone confirms.
fn waits_for_confirmation(application: &Value) -> bool {
    strings(&application["metadata"]["finalizers"]).contains(&FINALIZER)
        && strings(&application["spec"]["syncPolicy"]["syncOptions"]).contains(&"Delete=confirm")
}

/// The Applications an ApplicationSet produces, by name, as the controller makes them.
fn generated(application_set: &Value) -> Vec<(String, Value)> {
    let template = &application_set["spec"]["template"];
    let elements = application_set["spec"]["generators"][0]["list"]["elements"]
        .as_array()
        .unwrap();
    elements
        .iter()
        .map(|element| {
            let name = instantiate(template["metadata"]["name"].as_str().unwrap(), element);
            (name, template.clone())
        })
        .collect()
}

fn keeps_its_finalizer(application_set: &Value) -> bool {
    application_set["spec"]["syncPolicy"]["preserveResourcesOnDeletion"] != true
}

#[test]
fn a_removed_service_s_applications_keep_its_workloads_until_deletion_is_confirmed() {
    let workspace = Workspace::with_spec("golden/minimal/enterprise.toml");
    build(&workspace, &spec(&["dev", "prod"], &["shop", "cart"]));
    for env in ["dev", "prod"] {
        let set = document(&workspace, &format!("argocd/applicationsets/{env}.yaml")).unwrap();
        assert!(keeps_its_finalizer(&set), "{env}");
        let before = generated(&set);
        let cart = before
            .iter()
            .find(|(name, _)| *name == format!("cart-{env}"));
        assert!(waits_for_confirmation(&cart.unwrap().1), "{env}: {set:#}");
    }

    build(&workspace, &spec(&["dev", "prod"], &["shop"]));
    for env in ["dev", "prod"] {
        let set = document(&workspace, &format!("argocd/applicationsets/{env}.yaml")).unwrap();
        let names: Vec<String> = generated(&set).into_iter().map(|(name, _)| name).collect();
        assert_eq!(
            names,
            [format!("shop-{env}")],
            "{env}: the ApplicationSet deletes cart-{env}"
        );
    }
    assert!(!workspace.path("generated/apps/cart").exists());
}

#[test]
fn a_removed_environment_keeps_its_namespace_and_workloads_until_deletion_is_confirmed() {
    let workspace = Workspace::with_spec("golden/minimal/enterprise.toml");
    build(&workspace, &spec(&["dev", "prod"], &["shop"]));
    let environment = document(&workspace, "argocd/environments/prod.yaml").unwrap();
    assert!(
        waits_for_confirmation(&environment),
        "the Application of envs/prod, whose Namespace holds every workload: {environment:#}"
    );
    let project = document(&workspace, "argocd/projects/prod.yaml").unwrap();
    assert!(strings(&project["metadata"]["finalizers"]).contains(&FINALIZER));
    let set = document(&workspace, "argocd/applicationsets/prod.yaml").unwrap();
    assert!(keeps_its_finalizer(&set));
    assert!(
        generated(&set)
            .iter()
            .all(|(_, app)| waits_for_confirmation(app))
    );
    let root = document(&workspace, "argocd/root.yaml").unwrap();
    assert_eq!(
        root["spec"]["syncPolicy"]["automated"]["prune"], true,
        "the root Application prunes what leaves argocd/"
    );

    build(&workspace, &spec(&["dev"], &["shop"]));
    for gone in [
        "argocd/applicationsets/prod.yaml",
        "argocd/environments/prod.yaml",
        "argocd/projects/prod.yaml",
    ] {
        assert!(
            document(&workspace, gone).is_none(),
            "{gone} leaves the tree"
        );
    }
}
