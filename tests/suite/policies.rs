//! Every workload of every golden tree, and of the bundled spec's `generated/`, passes the
//! Kyverno policies of the place it runs (judged by `kyverno`): an environment folder
//! (`envs/<env>[/<cluster>]`) holds the policies of its cluster, which judge that folder and
//! every service overlay of the same place (`apps/<service>/overlays/<env>[/<cluster>]`),
//! rendered and labelled as the Argo CD Application syncing each folder applies it, with the
//! Secrets External Secrets writes from them.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use fleetc::{Renderer, Tree, overlays, parse_documents};
use serde_json::{Map, Value, json};

use crate::common::applications::instantiate;
use crate::kyverno;

/// Violations standing until the policies learn of them, as (tree, object, rule).
const KNOWN_VIOLATIONS: &[(&str, &str, &str)] = &[
    // The spec turns statsd's readiness probe off (`probes.readiness = false`), which the
    // compiler accepts, yet require-probes asks every container for one: Kyverno reports
    // the pods in dev (Audit) and refuses them in prod (Enforce).
    ("golden/protocols/expected", "Deployment shop-dev/statsd-blue", "require-probes"),
    ("golden/protocols/expected", "Deployment shop-prod/statsd-blue", "require-probes"),
];

/// `generated/` and every `golden/<case>/expected`, whichever cases there are.
fn trees() -> Vec<(String, Tree)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut cases: Vec<String> = fs::read_dir(root.join("golden"))
        .expect("golden/ exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|case| case.join("expected").is_dir())
        .map(|case| format!("golden/{}/expected", case.file_name().unwrap().to_string_lossy()))
        .collect();
    cases.sort();
    std::iter::once("generated".to_owned())
        .chain(cases)
        .map(|dir| {
            let tree = load(&root.join(&dir));
            (dir, tree)
        })
        .collect()
}

fn load(dir: &Path) -> Tree {
    let mut tree = Tree::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() {
            let path = entry.path().strip_prefix(dir).unwrap();
            tree.insert(path.to_string_lossy(), fs::read(entry.path()).unwrap());
        }
    }
    tree
}

/// Each Application's source path (ApplicationSets expanded) with the labels it adds to
/// everything it syncs.
fn synced_labels(tree: &Tree) -> Vec<(String, Map<String, Value>)> {
    let mut out = Vec::new();
    for (path, bytes) in tree.under("argocd/") {
        let documents = parse_documents(std::str::from_utf8(bytes).unwrap()).unwrap_or_else(|e| panic!("{path}: {e}"));
        for document in documents {
            match document["kind"].as_str() {
                Some("Application") => out.push(source_labels(&document["spec"]["source"], &json!({}))),
                Some("ApplicationSet") => {
                    let source = &document["spec"]["template"]["spec"]["source"];
                    for generator in document["spec"]["generators"].as_array().expect("generators") {
                        let elements = generator["list"]["elements"].as_array().expect("list generators only");
                        out.extend(elements.iter().map(|element| source_labels(source, element)));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn source_labels(source: &Value, element: &Value) -> (String, Map<String, Value>) {
    let kustomize = &source["kustomize"];
    // Without `labelWithoutSelector` kustomize would label selectors and templates too.
    assert!(
        kustomize.get("commonLabels").is_none() || kustomize["labelWithoutSelector"] == true,
        "{source}: labels are applied here as labelWithoutSelector applies them"
    );
    let labels = kustomize["commonLabels"]
        .as_object()
        .map(|labels| {
            labels.iter().map(|(key, value)| (key.clone(), json!(instantiate(value.as_str().unwrap(), element)))).collect()
        })
        .unwrap_or_default();
    (instantiate(source["path"].as_str().expect("a source path"), element), labels)
}

/// The labels of the Application whose source is `folder` (a path in the repository, which
/// ends in the folder's path in the tree).
fn labels_of<'a>(synced: &'a [(String, Map<String, Value>)], folder: &str) -> &'a Map<String, Value> {
    let found: Vec<_> = synced
        .iter()
        .filter(|(path, _)| path == folder || path.ends_with(&format!("/{folder}")))
        .map(|(_, labels)| labels)
        .collect();
    assert_eq!(found.len(), 1, "one Application syncs {folder}");
    found[0]
}

/// Rendered as Argo CD applies the folder: with its Application's labels on every object.
fn applied(renderer: &mut Renderer<'_>, synced: &[(String, Map<String, Value>)], folder: &str) -> Vec<Value> {
    let mut documents = renderer.render(folder).unwrap_or_else(|e| panic!("{e}"));
    for document in &mut documents {
        let labels = document["metadata"]
            .as_object_mut()
            .expect("every object has metadata")
            .entry("labels")
            .or_insert_with(|| json!({}));
        for (key, value) in labels_of(synced, folder) {
            labels[key] = value.clone();
        }
    }
    let secrets = secrets_written(&documents);
    documents.extend(secrets);
    documents
}

/// The Secret External Secrets writes for each ExternalSecret: the target's name (the
/// ExternalSecret's by default) and template labels, in the ExternalSecret's namespace.
fn secrets_written(documents: &[Value]) -> Vec<Value> {
    documents
        .iter()
        .filter(|d| d["kind"] == "ExternalSecret")
        .map(|external| {
            let target = &external["spec"]["target"];
            let name = target.get("name").unwrap_or(&external["metadata"]["name"]);
            json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {
                    "name": name,
                    "namespace": external["metadata"]["namespace"],
                    "labels": target["template"]["metadata"].get("labels").cloned().unwrap_or_else(|| json!({})),
                },
            })
        })
        .collect()
}

/// Whether `folder` is a service overlay of `place` (`<env>` or `<env>/<cluster>`).
fn overlay_of(folder: &str, place: &str) -> bool {
    folder
        .strip_prefix("apps/")
        .and_then(|rest| rest.split_once("/overlays/"))
        .is_some_and(|(_, at)| at == place)
}

#[test]
fn every_workload_of_every_golden_tree_passes_its_environments_policies() {
    let mut failures = Vec::new();
    let mut workloads = 0;
    let mut seen = Vec::new();
    for (tree_name, tree) in trees() {
        let synced = synced_labels(&tree);
        let folders = overlays(&tree);
        let mut renderer = Renderer::new(&tree);
        let mut judged_folders = BTreeSet::new();
        for environment in folders.iter().filter(|f| f.starts_with("envs/")) {
            let place = &environment["envs/".len()..];
            let policies: Vec<Value> = renderer
                .render(environment)
                .unwrap()
                .into_iter()
                .filter(|d| d["kind"] == "ClusterPolicy")
                .collect();
            assert!(!policies.is_empty(), "{tree_name}/{environment} holds no policies");
            for folder in folders.iter().filter(|f| *f == environment || overlay_of(f, place)) {
                judged_folders.insert(folder.clone());
                let objects = applied(&mut renderer, &synced, folder);
                let judgement = kyverno::judge(&policies, &objects);
                for workload in objects.iter().filter(|o| kyverno::pod_of(o).is_some()) {
                    workloads += 1;
                    let object = kyverno::identity(workload);
                    if !judgement.judged.iter().any(|j| j.object == object && j.through_pod) {
                        failures.push(format!("{tree_name}/{folder}: no rule of {environment} judges the pods of {object}"));
                    }
                }
                for violation in judgement.violations {
                    let found = (tree_name.as_str(), violation.object.as_str(), violation.rule.as_str());
                    match KNOWN_VIOLATIONS.iter().find(|known| **known == found) {
                        Some(known) => seen.push(*known),
                        None => failures.push(format!("{tree_name}/{folder}: {violation}")),
                    }
                }
            }
        }
        for folder in folders.iter().filter(|f| !judged_folders.contains(*f)) {
            failures.push(format!("{tree_name}/{folder}: no environment's policies judge it"));
        }
    }
    for known in KNOWN_VIOLATIONS.iter().filter(|known| !seen.contains(known)) {
        failures.push(format!("{known:?} is listed as a known violation but no longer happens"));
    }
    assert!(workloads > 40, "every tree's workloads are found: {workloads}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The prod policies of `generated/` and the objects of a prod overlay of a service built on
/// the blocked base image (`python`), as Argo CD applies them.
fn prod_python_service() -> (Vec<Value>, Vec<Value>) {
    let tree = load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("generated"));
    let synced = synced_labels(&tree);
    let mut renderer = Renderer::new(&tree);
    let policies: Vec<Value> =
        renderer.render("envs/prod").unwrap().into_iter().filter(|d| d["kind"] == "ClusterPolicy").collect();
    let folder = overlays(&tree)
        .into_iter()
        .filter(|folder| overlay_of(folder, "prod"))
        .find(|folder| {
            renderer.render(folder).unwrap().iter().any(|d| {
                d["kind"] == "Deployment" && d["spec"]["template"]["metadata"]["labels"]["fleetc.io/base-image"] == "python"
            })
        })
        .expect("a prod service on python");
    let objects = applied(&mut renderer, &synced, &folder);
    (policies, objects)
}

/// The rules a broken copy of the service's Deployment fails, with their paths.
fn failed_by(policies: &[Value], objects: &[Value], break_it: impl Fn(&mut Value)) -> Vec<(String, String)> {
    let mut deployment = objects.iter().find(|d| d["kind"] == "Deployment").unwrap().clone();
    break_it(&mut deployment);
    kyverno::violations(policies, &[deployment]).into_iter().map(|v| (v.rule, v.mismatch.path)).collect()
}

fn env_count(objects: &[Value]) -> usize {
    let deployment = objects.iter().find(|d| d["kind"] == "Deployment").unwrap();
    deployment["spec"]["template"]["spec"]["containers"][0]["env"].as_array().map_or(0, Vec::len)
}

#[test]
fn breaking_a_rendered_workload_fails_the_rule_it_breaks() {
    let (policies, objects) = prod_python_service();
    assert!(kyverno::violations(&policies, &objects).is_empty(), "the service passes as generated");
    let container = "/spec/template/spec/containers/0";
    let owned = |rule: &str, path: &str| vec![(rule.to_owned(), path.to_owned())];
    let image = |image: String| move |d: &mut Value| d["spec"]["template"]["spec"]["containers"][0]["image"] = json!(image);
    let registry_image = objects.iter().find(|d| d["kind"] == "Deployment").unwrap()["spec"]["template"]["spec"]["containers"][0]["image"]
        .as_str()
        .unwrap()
        .to_owned();
    let (repository, _) = registry_image.split_once(':').unwrap();
    let digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    assert_eq!(
        failed_by(&policies, &objects, |d| {
            d["spec"]["template"]["spec"]["containers"][0]["securityContext"].as_object_mut().unwrap().remove("runAsNonRoot");
        }),
        owned("require-non-root", &format!("{container}/securityContext/runAsNonRoot"))
    );
    assert_eq!(
        failed_by(&policies, &objects, image(format!("docker.io/library/python:3.12@{digest}"))),
        owned("approved-registry", &format!("{container}/image"))
    );
    assert_eq!(
        failed_by(&policies, &objects, image(format!("{repository}:latest@{digest}"))),
        owned("disallow-latest", &format!("{container}/image"))
    );
    assert_eq!(
        failed_by(&policies, &objects, image(format!("{repository}:1.0"))),
        owned("require-digest", &format!("{container}/image"))
    );
    let blocked = policies
        .iter()
        .flat_map(|p| p["spec"]["rules"].as_array().unwrap())
        .find(|rule| rule["name"] == "deny-blocked-python")
        .expect("python has a blocked version")["validate"]["deny"]["conditions"]["any"][0]["value"][0]
        .clone();
    assert_eq!(
        failed_by(&policies, &objects, |d| {
            d["spec"]["template"]["metadata"]["labels"]["fleetc.io/base-version"] = blocked.clone();
        }),
        owned("deny-blocked-python", "/spec/template/metadata/labels/fleetc.io~1base-version")
    );
    assert_eq!(
        failed_by(&policies, &objects, |d| {
            let env = &mut d["spec"]["template"]["spec"]["containers"][0]["env"];
            env.as_array_mut().unwrap().push(json!({ "name": "DB_PASSWORD", "value": "hunter2" }));
        }),
        owned("no-literal-secrets", &format!("{container}/env/{}/value", env_count(&objects)))
    );
    assert_eq!(
        failed_by(&policies, &objects, |d| {
            d["metadata"]["labels"].as_object_mut().unwrap().remove("fleetc.io/synced-by");
        }),
        owned("require-argocd-sync", "/metadata/labels/fleetc.io~1synced-by")
    );
}
