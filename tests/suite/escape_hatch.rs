//! Objects and patches of a service's own, from files beside the spec, as a user writes and
//! changes them: they reach the overlays they are listed for, a change to a file alone is
//! planned (and caught by `check`) as a change of its own kind, `why` on a copied line names
//! the file and line it comes from, and production's copies belong to production's owners.

use crate::common;

use std::fs;
use std::path::Path;

use common::Workspace;
use serde_json::{Value, json};

const CASE: &str = "golden/escape-hatch";

/// A workspace with the golden spec and the files beside it, built.
pub(crate) fn workspace() -> Workspace {
    let ws = Workspace::with_spec(&format!("{CASE}/enterprise.toml"));
    ws.edit_spec("#:schema ../../schemas/enterprise.schema.json\n", "");
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join(CASE);
    for folder in ["extra", "patches", "config"] {
        fs::create_dir_all(ws.path(&format!("spec/{folder}"))).unwrap();
        for entry in fs::read_dir(case.join(folder)).unwrap() {
            let entry = entry.unwrap();
            let to = ws.path(&format!(
                "spec/{folder}/{}",
                entry.file_name().to_string_lossy()
            ));
            fs::copy(entry.path(), to).unwrap();
        }
    }
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    ws
}

pub(crate) fn edit_file(ws: &Workspace, file: &str, from: &str, to: &str) {
    let path = ws.path(&format!("spec/{file}"));
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} holds {from}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The hydrated objects of `service` in `place`.
pub(crate) fn rendered(ws: &Workspace, service: &str, place: &str) -> Vec<Value> {
    let (code, stdout, stderr) = ws.run(&["render", service, place]);
    assert_eq!(code, 0, "{stderr}");
    fleetc::parse_documents(&stdout).unwrap()
}

pub(crate) fn find<'a>(objects: &'a [Value], kind: &str, name: &str) -> Option<&'a Value> {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
}

#[test]
fn own_objects_and_patches_reach_the_places_they_are_listed_for() {
    let ws = workspace();
    for place in ["dev", "prod/eu", "prod/us"] {
        let objects = rendered(&ws, "ledger", place);
        let flags = find(&objects, "ConfigMap", "ledger-flags").expect(place);
        assert_eq!(flags["data"]["currency"], "EUR");
        assert!(
            flags["metadata"]["namespace"]
                .as_str()
                .unwrap()
                .starts_with("initech-"),
            "the overlay puts it in its environment's namespace"
        );
        let deployment = find(&objects, "Deployment", "ledger-blue").unwrap();
        let pod = &deployment["spec"]["template"]["spec"];
        let names: Vec<&str> = pod["containers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["audit-proxy", "ledger"],
            "{place}: the sidecar keeps the app"
        );
        let grace = if place == "dev" {
            Value::Null
        } else {
            json!(120)
        };
        assert_eq!(pod["terminationGracePeriodSeconds"], grace, "{place}");
        let partner = find(&objects, "NetworkPolicy", "ledger-partner");
        assert_eq!(partner.is_some(), place == "prod/us", "{place}");
    }
    let reports = ws.generated();
    assert!(
        !reports
            .keys()
            .any(|path| path.starts_with("generated/apps/reports/") && path.contains("from-spec")),
        "a service without files of its own gets none"
    );
}

#[test]
fn a_patch_of_every_deployment_reaches_both_colours_of_a_release() {
    let ws = workspace();
    let (code, _, stderr) = ws.run(&["release", "ledger", "2.1.0", "--env", "dev"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    let objects = rendered(&ws, "ledger", "dev");
    for colour in ["ledger-blue", "ledger-green"] {
        let deployment = find(&objects, "Deployment", colour).expect(colour);
        let containers = &deployment["spec"]["template"]["spec"]["containers"];
        assert_eq!(containers[0]["name"], "audit-proxy", "{colour}");
        assert_eq!(
            deployment["metadata"]["name"], colour,
            "the target keeps its name"
        );
    }
    let service = find(&objects, "Service", "ledger").unwrap();
    assert_eq!(
        service["metadata"]["annotations"]["initech.example/pager"], "payments-ledger",
        "a patch that names its object patches that one"
    );
}

/// Every change `plan --format json` names for the Application of overlay `overlay`.
pub(crate) fn planned(ws: &Workspace, overlay: &str) -> Vec<Value> {
    let (code, stdout, stderr) = ws.run(&["plan", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    report["environments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["applications"].as_array().unwrap().clone())
        .filter(|a| a["path"] == overlay)
        .flat_map(|a| a["changes"].as_array().unwrap().clone())
        .collect()
}

#[test]
fn a_change_to_a_file_alone_is_stale_output_planned_as_a_change_of_its_own_kind() {
    let ws = workspace();
    edit_file(&ws, "patches/ledger-grace.yaml", "value: 120", "value: 300");
    let (code, _, _) = ws.run(&["check"]);
    assert_eq!(code, 1, "the committed tree no longer matches the files");
    assert_eq!(
        planned(&ws, "apps/ledger/overlays/prod/us"),
        [json!({
            "kind": "patch",
            "file": "patches/ledger-grace.yaml",
            "object": "Deployment/ledger-blue",
            "fields": ["spec.template.spec.terminationGracePeriodSeconds"],
        })]
    );
    assert!(planned(&ws, "apps/ledger/overlays/dev").is_empty());

    // The sidecar's image is the patch's too, though it is an image of a container.
    let ws = workspace();
    edit_file(
        &ws,
        "patches/ledger-sidecar.yaml",
        "audit-proxy:1.3.0",
        "audit-proxy:1.4.0",
    );
    assert_eq!(
        planned(&ws, "apps/ledger/overlays/dev"),
        [json!({
            "kind": "patch",
            "file": "patches/ledger-sidecar.yaml",
            "object": "Deployment/ledger-blue",
            "fields": ["spec.template.spec.containers.0.image"],
        })]
    );

    let ws = workspace();
    edit_file(
        &ws,
        "extra/ledger-flags.yaml",
        "currency: EUR",
        "currency: USD",
    );
    assert_eq!(
        planned(&ws, "apps/ledger/overlays/prod/eu"),
        [json!({
            "kind": "extra-manifest",
            "file": "extra/ledger-flags.yaml",
            "object": "ConfigMap/ledger-flags",
        })]
    );
}

#[test]
fn a_diff_against_a_revision_reads_the_files_as_they_were_then() {
    let ws = workspace();
    let repo = git2::Repository::init(ws.path("")).unwrap();
    common::git::commit(&repo, &["spec", "generated"], "estate", None);
    edit_file(
        &ws,
        "extra/ledger-partner.yaml",
        "203.0.113.0/24",
        "198.51.100.0/24",
    );
    let (code, stdout, stderr) = ws.run(&["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let changes: Vec<Value> = report["environments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["applications"].as_array().unwrap().clone())
        .flat_map(|a| a["changes"].as_array().unwrap().clone())
        .collect();
    assert_eq!(
        changes,
        [json!({
            "kind": "extra-manifest",
            "file": "extra/ledger-partner.yaml",
            "object": "NetworkPolicy/ledger-partner",
        })],
        "{stdout}"
    );
}

#[test]
fn why_on_a_copied_line_names_the_file_its_line_and_the_entry_listing_it() {
    let ws = workspace();
    let copy = "generated/apps/ledger/overlays/prod/us/from-spec/extra/ledger-partner.yaml";
    let text = fs::read_to_string(ws.path(copy)).unwrap();
    let line = text.lines().position(|l| l.contains("cidr:")).unwrap() + 1;
    let (code, stdout, stderr) = ws.run(&["why", &format!("{copy}:{line}")]);
    assert_eq!(code, 0, "{stderr}");
    let source = fs::read_to_string(ws.path("spec/extra/ledger-partner.yaml")).unwrap();
    let source_line = source.lines().position(|l| l.contains("cidr:")).unwrap() + 1;
    assert!(
        stdout.contains(&format!(
            "comes from line {source_line} of `extra/ledger-partner.yaml`, listed at \
             `services.ledger.overrides.prod.clusters.us.manifests.0`"
        )),
        "{stdout}"
    );
    let (code, stdout, _) = ws.run(&[
        "why",
        "generated/apps/ledger/overlays/dev/from-spec/patches/ledger-sidecar.yaml",
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("`patches/ledger-sidecar.yaml`, listed at `services.ledger.patches.0`"),
        "{stdout}"
    );
    // The kustomization's entry for a copy comes from the entry listing the file.
    let kustomization = "generated/apps/ledger/overlays/prod/us/kustomization.yaml";
    let text = fs::read_to_string(ws.path(kustomization)).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("ledger-grace"))
        .unwrap()
        + 1;
    let (code, stdout, _) = ws.run(&["why", &format!("{kustomization}:{line}")]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("comes from `services.ledger.overrides.prod.patches.0`"),
        "{stdout}"
    );
}

#[test]
fn copied_files_are_owned_like_the_base_or_overlay_they_are_copied_into() {
    let ws = workspace();
    let codeowners = fs::read_to_string(ws.path("generated/CODEOWNERS")).unwrap();
    let codeowners = common::codeowners::Codeowners::parse(&codeowners);
    for (path, owners) in [
        (
            "generated/apps/ledger/overlays/prod/us/from-spec/extra/ledger-partner.yaml",
            &["@initech/platform", "@initech/sre"][..],
        ),
        (
            "generated/apps/ledger/overlays/prod/eu/from-spec/patches/ledger-grace.yaml",
            &["@initech/platform", "@initech/sre"],
        ),
        (
            "generated/apps/ledger/overlays/dev/from-spec/patches/ledger-sidecar.yaml",
            &["@initech/payments"],
        ),
        (
            "generated/apps/ledger/base/from-spec/extra/ledger-flags.yaml",
            &["@initech/payments"],
        ),
    ] {
        assert!(ws.path(path).is_file(), "{path} is written");
        assert_eq!(codeowners.owners(path), owners, "{path}");
    }
}

#[test]
fn a_commit_holds_the_files_beside_the_spec_the_tree_is_compiled_from() {
    let ws = workspace();
    let repo = git2::Repository::init(ws.path("")).unwrap();
    let mut config = repo.config().unwrap();
    config.set_str("user.name", "Fleet Tester").unwrap();
    config.set_str("user.email", "tester@example.com").unwrap();
    let (code, _, stderr) = ws.run(&["commit", "--yes", "-m", "the estate"]);
    assert_eq!(code, 0, "{stderr}");
    let tree = repo.head().unwrap().peel_to_tree().unwrap();
    for file in [
        "spec/enterprise.toml",
        "spec/extra/ledger-flags.yaml",
        "spec/extra/ledger-partner.yaml",
        "spec/patches/ledger-sidecar.yaml",
        "spec/patches/ledger-grace.yaml",
        "spec/config/ledger-prod.toml",
        "spec/config/logging-us.yaml",
        "spec/config/reports.ini",
    ] {
        assert!(
            tree.get_path(Path::new(file)).is_ok(),
            "{file} is committed"
        );
    }
}

/// The rules of the cluster's own policies that the hydrated `ledger` of prod/us breaks.
fn broken_rules(ws: &Workspace) -> Vec<String> {
    let mut tree = fleetc::Tree::new();
    let root = ws.path("generated");
    for entry in walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            let path = entry.path().strip_prefix(&root).unwrap();
            tree.insert(path.to_string_lossy(), fs::read(entry.path()).unwrap());
        }
    }
    let mut renderer = fleetc::Renderer::new(&tree);
    let policies: Vec<Value> = renderer
        .render("envs/prod/us")
        .unwrap()
        .into_iter()
        .filter(|d| d["kind"] == "ClusterPolicy")
        .collect();
    let objects = renderer.render("apps/ledger/overlays/prod/us").unwrap();
    // Argo CD adds the label this rule asks for as it syncs, to the copied objects too.
    crate::kyverno::violations(&policies, &objects)
        .into_iter()
        .filter(|v| v.rule != "require-argocd-sync")
        .map(|v| format!("{} {}", v.object, v.rule))
        .collect()
}

#[test]
fn the_clusters_policies_judge_what_a_patch_makes_of_a_workload() {
    let ws = workspace();
    assert_eq!(broken_rules(&ws), Vec::<String>::new());
    edit_file(
        &ws,
        "patches/ledger-sidecar.yaml",
        "runAsNonRoot: true",
        "runAsNonRoot: false",
    );
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        broken_rules(&ws),
        ["Deployment initech-prod/ledger-blue run-as-non-root"],
        "the sidecar's own security context is judged like the app's"
    );
}
