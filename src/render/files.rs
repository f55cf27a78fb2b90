//! Paths and files of the tree as kustomizations name them.

use serde_json::Value;

use crate::tree::Tree;

/// `dir/relative`, with `..` resolved; a path that leaves the tree is an error.
pub(crate) fn join(dir: &str, relative: &str) -> Result<String, String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts
                    .pop()
                    .ok_or_else(|| format!("`{relative}` leaves the tree"))?;
            }
            part => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

pub(super) fn text(tree: &Tree, path: &str) -> Result<String, String> {
    let bytes = tree
        .get(path)
        .ok_or_else(|| format!("`{path}` is not in the tree"))?;
    String::from_utf8(bytes.to_vec()).map_err(|_| format!("`{path}` is not UTF-8"))
}

pub(super) fn read_documents(tree: &Tree, path: &str) -> Result<Vec<Value>, String> {
    let text = text(tree, path)?;
    parse_documents(&text).map_err(|e| format!("{path}: {e}"))
}

/// Every non-empty document of a YAML stream.
pub fn parse_documents(text: &str) -> Result<Vec<Value>, String> {
    let documents: Vec<Value> = serde_saphyr::from_str_multiple(text).map_err(|e| e.to_string())?;
    Ok(documents.into_iter().filter(|d| !d.is_null()).collect())
}

pub(super) fn child(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// The documents of a resource file, each `List` (a kind ending in `List`, with items)
/// replaced by its items, as kustomize reads them.
pub(super) fn expand_lists(documents: Vec<Value>) -> Vec<Value> {
    documents
        .into_iter()
        .flat_map(|document| {
            let is_list = document["kind"]
                .as_str()
                .is_some_and(|kind| kind.ends_with("List"))
                && document["items"].is_array();
            match document {
                Value::Object(mut fields) if is_list => match fields.remove("items") {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                },
                document => vec![document],
            }
        })
        .collect()
}
