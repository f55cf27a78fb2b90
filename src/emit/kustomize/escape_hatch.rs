//! A service's own files, copied from beside the spec into the base or overlay they are
//! listed for, under `from-spec/` and in the author's order: the kustomization lists the
//! objects among its resources and the patches after fleetc's own, so a patch of the spec's
//! author has the last word on what it changes.

use serde_json::{Map, Value, json};

use crate::emit::header::copied_header;
use crate::emit::source_line::source_line;
use crate::model::OwnFile;
use crate::tree::Tree;
use crate::tree::origin::{Gathered, Origin, key};
use crate::tree::yaml::nodes_of_lines;

/// Copies `file` into `dir`; returns its name there, as the kustomization lists it.
pub(super) fn copy(file: &OwnFile, dir: &str, tree: &mut Tree) -> String {
    let name = file.copied_name();
    let path = format!("{dir}/{name}");
    let mut origins = tree.gather();
    if origins.is_on() {
        explain(file, &mut origins);
    }
    tree.record(&path, origins);
    let header = copied_header(&file.path, &file.key);
    tree.insert_yaml(path, &header, file.documents.clone());
    name
}

/// The kustomization's entry for the patch `file`, copied as `name`.
pub(super) fn patch_entry(file: &OwnFile, name: &str) -> Value {
    let mut entry = Map::new();
    entry.insert("path".into(), json!(name));
    if let Some(target) = &file.target {
        let mut selects = Map::new();
        selects.insert("kind".into(), json!(target.kind));
        if let Some(name) = &target.name {
            selects.insert("name".into(), json!(name));
        }
        entry.insert("target".into(), Value::Object(selects));
    }
    Value::Object(entry)
}

/// The entries of a kustomization's `list` (`resources` or `patches`) that name a copy of one
/// of `files` come from the entry listing the file.
pub(super) fn entry_origins<'a>(
    list: &str,
    entries: &[Value],
    files: impl IntoIterator<Item = &'a OwnFile>,
    origins: &mut Gathered,
) {
    if !origins.is_on() {
        return;
    }
    for file in files {
        let name = file.copied_name();
        let named = |entry: &Value| entry == &json!(name) || entry["path"] == json!(name);
        if let Some(at) = entries.iter().position(named) {
            let parts: Vec<&str> = file.key.iter().map(String::as_str).collect();
            origins.node(0, &[list, &at.to_string()], || vec![key(&parts)]);
        }
    }
}

/// Each line of the copy comes from the line of the file its node is written on, and the
/// whole from the entry listing the file.
fn explain(file: &OwnFile, origins: &mut Gathered) {
    let listing = || {
        let parts: Vec<&str> = file.key.iter().map(String::as_str).collect();
        key(&parts)
    };
    let mut seen = std::collections::HashSet::new();
    for (document, pointer) in nodes_of_lines(&file.documents).into_iter().flatten() {
        if !seen.insert((document, pointer.clone())) {
            continue;
        }
        let parts: Vec<&str> = pointer.iter().map(String::as_str).collect();
        origins.node(document, &parts, || {
            vec![
                Origin::Beside {
                    file: file.path.clone(),
                    line: source_line(&file.text, document, &pointer),
                },
                listing(),
            ]
        });
    }
    origins.file(|| {
        vec![
            Origin::Beside {
                file: file.path.clone(),
                line: None,
            },
            listing(),
        ]
    });
}
