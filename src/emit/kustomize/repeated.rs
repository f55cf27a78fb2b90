//! The clusters of an environment mostly deploy the same documents: a service's overlay in
//! one of them differs from the next one's only in its header and its cluster label. Writing
//! YAML is most of a build's time and comparing documents a small part of it, so the body of
//! an overlay file is written once and reused while its documents stay the same.

use std::collections::HashMap;

use serde_json::Value;

use crate::tree::Tree;
use crate::tree::yaml;

/// The documents and YAML body each file name of a service's overlays had last.
#[derive(Debug, Default)]
pub(super) struct LastWritten {
    by_name: HashMap<String, (Vec<Value>, Vec<u8>)>,
}

impl LastWritten {
    /// Adds `dir/name` to the tree: `header`, then `documents` as YAML, reusing the body of
    /// the last overlay's `name` when its documents were the same, key order included.
    pub(super) fn insert(
        &mut self,
        tree: &mut Tree,
        dir: &str,
        name: &str,
        header: &str,
        documents: Vec<Value>,
    ) {
        let path = format!("{dir}/{name}");
        let keeps = tree.keeps_documents_of(&path);
        let reused = self
            .by_name
            .get(name)
            .filter(|(last, _)| same_documents(last, &documents));
        let (kept, body) = if let Some((last, body)) = reused {
            (keeps.then(|| last.clone()), body)
        } else {
            let body = yaml::body(&documents);
            let kept = keeps.then(|| documents.clone());
            let (_, body) = self
                .by_name
                .entry(name.to_owned())
                .insert_entry((documents, body))
                .into_mut();
            (kept, &*body)
        };
        let mut bytes = Vec::with_capacity(header.len() + body.len());
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend_from_slice(body);
        tree.insert_written(path, bytes, kept);
    }
}

fn same_documents(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
}

/// Equal and written alike: `Value`'s own equality ignores the order of an object's keys,
/// which the YAML keeps.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        (Value::Array(a), Value::Array(b)) => same_documents(a, b),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn written(last: &mut LastWritten, tree: &mut Tree, dir: &str, documents: Value) {
        last.insert(tree, dir, "f.yaml", &format!("# {dir}\n"), vec![documents]);
    }

    #[test]
    fn a_repeated_file_is_written_as_if_anew() {
        let mut last = LastWritten::default();
        let mut tree = Tree::new();
        let documents = json!({ "kind": "Patch", "spec": { "replicas": 3, "x": ["a", "yes"] } });
        written(&mut last, &mut tree, "a", documents.clone());
        written(&mut last, &mut tree, "b", documents.clone());
        let fresh = yaml::file("# b\n", &[documents]);
        assert_eq!(tree.get("b/f.yaml").unwrap(), fresh.as_slice());
        assert!(tree.get("a/f.yaml").unwrap().ends_with(&fresh[4..]));
    }

    #[test]
    fn documents_that_differ_anywhere_are_written_again() {
        let mut last = LastWritten::default();
        let mut tree = Tree::new();
        written(
            &mut last,
            &mut tree,
            "a",
            json!({ "spec": { "replicas": 3 } }),
        );
        written(
            &mut last,
            &mut tree,
            "b",
            json!({ "spec": { "replicas": 4 } }),
        );
        assert!(String::from_utf8_lossy(tree.get("b/f.yaml").unwrap()).contains("replicas: 4"));
    }

    #[test]
    fn the_same_keys_in_another_order_are_written_in_that_order() {
        let mut last = LastWritten::default();
        let mut tree = Tree::new();
        written(&mut last, &mut tree, "a", json!({ "a": 1, "b": 2 }));
        let mut reordered = serde_json::Map::new();
        reordered.insert("b".into(), json!(2));
        reordered.insert("a".into(), json!(1));
        assert_eq!(json!({ "a": 1, "b": 2 }), Value::Object(reordered.clone()));
        written(&mut last, &mut tree, "b", Value::Object(reordered));
        assert_eq!(tree.get("b/f.yaml").unwrap(), b"# b\nb: 2\na: 1\n");
    }

    #[test]
    fn a_tree_that_keeps_documents_keeps_those_of_a_repeated_file() {
        let mut last = LastWritten::default();
        let mut tree = Tree::keeping_documents();
        written(&mut last, &mut tree, "a", json!({ "a": 1 }));
        written(&mut last, &mut tree, "b", json!({ "a": 1 }));
        assert_eq!(tree.documents("b/f.yaml").unwrap(), [json!({ "a": 1 })]);
    }
}
