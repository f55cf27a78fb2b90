//! A folder of the tree as Argo CD applies it: rendered, each object labelled with the
//! `kustomize.commonLabels` of the Application that syncs the folder, and with the Secrets
//! External Secrets then writes from its ExternalSecrets.

use fleetc::{Renderer, Tree, parse_documents};
use serde_json::{Map, Value, json};

use crate::common::applications::instantiate;

/// Each Application's source path (ApplicationSets expanded) and the labels it adds.
pub(super) struct ArgoCd {
    sources: Vec<(String, Map<String, Value>)>,
}

impl ArgoCd {
    pub(super) fn of(tree: &Tree) -> Self {
        let mut sources = Vec::new();
        for (path, bytes) in tree.under("argocd/") {
            let documents = parse_documents(std::str::from_utf8(bytes).unwrap())
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            for document in documents {
                let spec = &document["spec"];
                match document["kind"].as_str() {
                    Some("Application") => sources.push(source(&spec["source"], &json!({}))),
                    Some("ApplicationSet") => {
                        let template = &spec["template"]["spec"]["source"];
                        let generators = spec["generators"].as_array().expect("generators");
                        for generator in generators {
                            let elements = generator["list"]["elements"].as_array();
                            let elements = elements.expect("list generators only");
                            sources.extend(elements.iter().map(|e| source(template, e)));
                        }
                    }
                    _ => {}
                }
            }
        }
        Self { sources }
    }

    /// The objects of `folder` as its Application applies them.
    pub(super) fn applied(&self, renderer: &mut Renderer<'_>, folder: &str) -> Vec<Value> {
        let mut documents = renderer.render(folder).unwrap_or_else(|e| panic!("{e}"));
        let added = self.labels_of(folder);
        for document in &mut documents {
            let labels = document["metadata"]
                .as_object_mut()
                .expect("every object has metadata")
                .entry("labels")
                .or_insert_with(|| json!({}));
            for (key, value) in added {
                labels[key] = value.clone();
            }
        }
        let secrets = secrets_written(&documents);
        documents.extend(secrets);
        documents
    }

    /// The labels of the one Application whose source is `folder` (a path in the repository,
    /// which ends in the folder's path in the tree).
    fn labels_of(&self, folder: &str) -> &Map<String, Value> {
        let found: Vec<_> = self
            .sources
            .iter()
            .filter(|(path, _)| path == folder || path.ends_with(&format!("/{folder}")))
            .map(|(_, labels)| labels)
            .collect();
        assert_eq!(found.len(), 1, "one Application syncs {folder}");
        found[0]
    }
}

/// A source's path and labels, with an ApplicationSet element's values put in.
fn source(source: &Value, element: &Value) -> (String, Map<String, Value>) {
    let kustomize = &source["kustomize"];
    // Without `labelWithoutSelector` kustomize would label selectors and templates too.
    assert!(
        kustomize.get("commonLabels").is_none() || kustomize["labelWithoutSelector"] == true,
        "{source}: labels are applied here as labelWithoutSelector applies them"
    );
    let labels = kustomize["commonLabels"].as_object().map(|labels| {
        let value = |value: &Value| json!(instantiate(value.as_str().unwrap(), element));
        labels
            .iter()
            .map(|(key, v)| (key.clone(), value(v)))
            .collect()
    });
    let path = instantiate(source["path"].as_str().expect("a source path"), element);
    (path, labels.unwrap_or_default())
}

/// The Secret External Secrets writes for each ExternalSecret: the target's name (the
/// ExternalSecret's by default) and template labels, in the ExternalSecret's namespace.
fn secrets_written(documents: &[Value]) -> Vec<Value> {
    documents
        .iter()
        .filter(|d| d["kind"] == "ExternalSecret")
        .map(|external| {
            let target = &external["spec"]["target"];
            let labels = target["template"]["metadata"].get("labels");
            json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {
                    "name": target.get("name").unwrap_or(&external["metadata"]["name"]),
                    "namespace": external["metadata"]["namespace"],
                    "labels": labels.cloned().unwrap_or_else(|| json!({})),
                },
            })
        })
        .collect()
}
