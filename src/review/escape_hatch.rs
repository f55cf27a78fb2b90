//! What the files beside the spec put into an overlay, read back from the tree: the objects
//! copied from them, and the fields their patches set. A reviewer sees a change to either
//! as a change of its own kind, naming the file, whatever the object or field is: it is the
//! part of the estate the spec's keys do not govern.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::COPIED_DIR;
use crate::render::{join, parse_documents};
use crate::tree::Tree;

type Object = (String, String);

/// One step of the fields a patch sets.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    /// The item of a list whose `name` is this (a strategic merge patch merges by name).
    Named(String),
    Index(usize),
    /// Any item of a list (a JSON 6902 operation that appends with `-`).
    Any,
}

/// The objects and patched fields of the files beside the spec in one overlay, in either tree
/// of a comparison.
#[derive(Debug, Default)]
pub(super) struct OwnParts {
    /// Each copied object, with the file it comes from.
    objects: BTreeMap<Object, String>,
    /// Each patched object, with each patch file and the fields it sets.
    patched: BTreeMap<Object, Vec<(String, Vec<Step>)>>,
}

impl OwnParts {
    /// The own parts of overlay `dir` in `before` and in `after`: a file that came or went is
    /// still what its objects and fields come from.
    pub(super) fn of(before: &Tree, after: &Tree, dir: &str) -> Self {
        let mut parts = Self::default();
        for tree in [before, after] {
            parts.read(tree, dir, 0);
        }
        parts
    }

    /// The file an object is copied from, if it is one of the service's own.
    pub(super) fn object_file(&self, kind: &str, name: &str) -> Option<&str> {
        self.objects
            .get(&(kind.to_owned(), name.to_owned()))
            .map(String::as_str)
    }

    /// The patch file that sets field `path` of object `kind`/`name`, looked up in `documents`
    /// (the object before and after) where the patch names a list item by its name.
    pub(super) fn patch_of(
        &self,
        (kind, name): (&str, &str),
        path: &[&str],
        documents: [&Value; 2],
    ) -> Option<&str> {
        // A patch whose target names no object applies to every object of the kind.
        let named = self.patched.get(&(kind.to_owned(), name.to_owned()));
        let every = self.patched.get(&(kind.to_owned(), String::new()));
        named
            .into_iter()
            .chain(every)
            .flatten()
            .find(|(_, steps)| documents.iter().any(|d| covers(steps, path, d)))
            .map(|(file, _)| file.as_str())
    }

    fn read(&mut self, tree: &Tree, dir: &str, depth: usize) {
        let Some(kustomization) = documents(tree, &format!("{dir}/kustomization.yaml")) else {
            return;
        };
        let Some(kustomization) = kustomization.first() else {
            return;
        };
        for resource in strings(&kustomization["resources"]) {
            let Ok(path) = join(dir, resource) else {
                continue;
            };
            if let Some(file) = resource.strip_prefix(&format!("{COPIED_DIR}/")) {
                for object in documents(tree, &path).unwrap_or_default() {
                    self.objects.insert(object_of(&object), file.to_owned());
                }
            } else if depth < 4 {
                self.read(tree, &path, depth + 1);
            }
        }
        let patches = kustomization["patches"].as_array().into_iter().flatten();
        for entry in patches {
            let Some(name) = entry["path"].as_str() else {
                continue;
            };
            let Some(file) = name.strip_prefix(&format!("{COPIED_DIR}/")) else {
                continue;
            };
            let target = &entry["target"];
            let Ok(path) = join(dir, name) else { continue };
            for patch in documents(tree, &path).unwrap_or_default() {
                let object = if target.is_object() {
                    object_of(target)
                } else {
                    object_of(&patch)
                };
                let fields = self.patched.entry(object).or_default();
                for steps in set_fields(&patch) {
                    fields.push((file.to_owned(), steps));
                }
            }
        }
    }
}

fn documents(tree: &Tree, path: &str) -> Option<Vec<Value>> {
    if let Some(kept) = tree.documents(path) {
        return Some(kept.to_vec());
    }
    let text = std::str::from_utf8(tree.get(path)?).ok()?;
    parse_documents(text).ok()
}

fn strings(value: &Value) -> impl Iterator<Item = &str> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// The kind and name of an object, or of a patch's target.
fn object_of(value: &Value) -> Object {
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let name = if value["metadata"].is_object() {
        &value["metadata"]["name"]
    } else {
        &value["name"]
    };
    (text(&value["kind"]), text(name))
}

/// The fields a patch sets: each operation's path, or each leaf of a strategic merge patch
/// (a list of named items by name, any other list as a whole).
fn set_fields(patch: &Value) -> Vec<Vec<Step>> {
    match patch {
        Value::Array(operations) => operations
            .iter()
            .filter_map(|op| op["path"].as_str())
            .map(pointer_steps)
            .collect(),
        Value::Object(fields) => {
            let mut found = Vec::new();
            for (key, value) in fields {
                if matches!(key.as_str(), "apiVersion" | "kind") {
                    continue;
                }
                leaves(value, &mut vec![Step::Key(key.clone())], &mut found);
            }
            found
                .retain(|steps| steps != &[Step::Key("metadata".into()), Step::Key("name".into())]);
            found
        }
        _ => Vec::new(),
    }
}

fn pointer_steps(pointer: &str) -> Vec<Step> {
    pointer
        .split('/')
        .skip(1)
        .map(|part| {
            let part = part.replace("~1", "/").replace("~0", "~");
            match part.parse::<usize>() {
                Ok(index) => Step::Index(index),
                Err(_) if part == "-" => Step::Any,
                Err(_) => Step::Key(part),
            }
        })
        .collect()
}

fn leaves(value: &Value, at: &mut Vec<Step>, found: &mut Vec<Vec<Step>>) {
    match value {
        Value::Object(fields) if !fields.is_empty() => {
            for (key, child) in fields {
                at.push(Step::Key(key.clone()));
                leaves(child, at, found);
                at.pop();
            }
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(|i| i["name"].is_string()) => {
            for item in items {
                at.push(Step::Named(item["name"].as_str().unwrap_or("").to_owned()));
                leaves(item, at, found);
                at.pop();
            }
        }
        _ => found.push(at.clone()),
    }
}

/// Whether field `path` of `document` is at or below the field `steps` name.
fn covers(steps: &[Step], path: &[&str], document: &Value) -> bool {
    if steps.len() > path.len() {
        return false;
    }
    let mut node = document;
    for (step, part) in steps.iter().zip(path) {
        let matched = match step {
            Step::Key(key) => key == part,
            Step::Index(index) => part.parse() == Ok(*index),
            Step::Any => part.parse::<usize>().is_ok(),
            Step::Named(name) => part
                .parse::<usize>()
                .is_ok_and(|i| node[i]["name"].as_str() == Some(name)),
        };
        if !matched {
            return false;
        }
        node = match part.parse::<usize>() {
            Ok(index) if node.is_array() => &node[index],
            _ => &node[*part],
        };
    }
    true
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{OwnParts, covers, pointer_steps, set_fields};
    use crate::tree::Tree;

    #[test]
    fn an_overlay_names_its_copied_objects_and_patched_fields_and_its_bases() {
        let mut tree = Tree::new();
        let files = [
            (
                "apps/a/base/kustomization.yaml",
                "resources:\n- from-spec/extra/flags.yaml\n",
            ),
            (
                "apps/a/base/from-spec/extra/flags.yaml",
                "kind: ConfigMap\nmetadata:\n  name: flags\n",
            ),
            (
                "apps/a/overlays/dev/kustomization.yaml",
                "resources:\n- ../../base\npatches:\n- path: from-spec/p.yaml\n  target:\n    kind: Deployment\n    name: a-blue\n",
            ),
            (
                "apps/a/overlays/dev/from-spec/p.yaml",
                "- op: add\n  path: /spec/paused\n  value: true\n",
            ),
        ];
        for (path, text) in files {
            tree.insert(path, text);
        }
        let parts = OwnParts::of(&Tree::new(), &tree, "apps/a/overlays/dev");
        assert_eq!(
            parts.object_file("ConfigMap", "flags"),
            Some("extra/flags.yaml")
        );
        assert_eq!(parts.object_file("ConfigMap", "other"), None);
        let document = json!({});
        let object = ("Deployment", "a-blue");
        assert_eq!(
            parts.patch_of(object, &["spec", "paused"], [&document, &document]),
            Some("p.yaml")
        );
        assert_eq!(
            parts.patch_of(object, &["spec", "replicas"], [&document, &document]),
            None
        );
    }

    #[test]
    fn a_sidecar_patch_covers_its_container_and_not_its_neighbours() {
        let patch = json!({
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "a" },
            "spec": { "template": { "spec": { "containers": [{ "name": "proxy", "image": "p:1" }] } } },
        });
        let fields = set_fields(&patch);
        let document = json!({ "spec": { "template": { "spec": { "containers": [
            { "name": "proxy", "image": "p:1" }, { "name": "app", "image": "a:1" }
        ] } } } });
        let covered = |index: &str| {
            let image = ["spec", "template", "spec", "containers", index, "image"];
            fields.iter().any(|steps| covers(steps, &image, &document))
        };
        assert!(covered("0"));
        assert!(!covered("1"));
    }

    #[test]
    fn a_json_patch_covers_the_fields_below_its_paths() {
        let steps = pointer_steps("/spec/template/metadata/annotations/a~1b");
        let document = json!({});
        assert!(covers(
            &steps,
            &["spec", "template", "metadata", "annotations", "a/b"],
            &document
        ));
        assert!(!covers(
            &steps,
            &["spec", "template", "metadata", "labels"],
            &document
        ));
    }
}
