//! Hydrates an overlay the way `kubectl kustomize` does, from the compiled tree in memory,
//! for the constructs fleetc writes: resources (files and kustomization folders), namespace,
//! labels, images, replicas, JSON 6902 patches and strategic merge patches.

pub(crate) mod escape_hatch;
mod kustomization;
mod order;
mod patch;
mod strategic;
mod transform;

use std::collections::HashMap;
use std::fmt;

use serde_json::Value;

use crate::tree::Tree;
use crate::tree::layout::locate_application_dir;
use kustomization::Kustomization;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub dir: String,
    pub message: String,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.dir, self.message)
    }
}

/// The documents `kubectl kustomize <dir>` prints, in its order.
pub fn render(tree: &Tree, dir: &str) -> Result<Vec<Value>, RenderError> {
    Renderer::new(tree).render(dir)
}

/// Renders many overlays of one tree, parsing each file once: overlays of a service share
/// its base.
pub struct Renderer<'a> {
    tree: &'a Tree,
    parsed: HashMap<String, Vec<Value>>,
}

impl<'a> Renderer<'a> {
    pub fn new(tree: &'a Tree) -> Self {
        Self {
            tree,
            parsed: HashMap::new(),
        }
    }

    pub fn render(&mut self, dir: &str) -> Result<Vec<Value>, RenderError> {
        let mut documents = self.build(dir.trim_end_matches('/'), 0)?;
        order::sort(&mut documents);
        Ok(documents)
    }

    fn documents(&mut self, path: &str) -> Result<Vec<Value>, String> {
        if let Some(documents) = self.tree.documents(path) {
            return Ok(documents.to_vec());
        }
        if let Some(documents) = self.parsed.get(path) {
            return Ok(documents.clone());
        }
        let documents = read_documents(self.tree, path)?;
        self.parsed.insert(path.to_owned(), documents.clone());
        Ok(documents)
    }
}

/// The overlay folders of the tree: every kustomization no other one refers to.
pub fn overlays(tree: &Tree) -> Vec<String> {
    tree.paths()
        .filter_map(|p| p.strip_suffix("/kustomization.yaml"))
        .filter(|dir| locate_application_dir(dir).is_some())
        .map(str::to_owned)
        .collect()
}

impl Renderer<'_> {
    fn build(&mut self, dir: &str, depth: usize) -> Result<Vec<Value>, RenderError> {
        let tree = self.tree;
        let fail = |message: String| RenderError {
            dir: dir.to_owned(),
            message,
        };
        if depth > 16 {
            return Err(fail("kustomizations refer to each other in a cycle".into()));
        }
        let kustomization = Kustomization::load(tree, dir).map_err(fail)?;
        let mut documents = Vec::new();
        for resource in &kustomization.resources {
            let path = join(dir, resource).map_err(fail)?;
            if tree.get(&format!("{path}/kustomization.yaml")).is_some() {
                documents.extend(self.build(&path, depth + 1)?);
            } else {
                documents.extend(self.documents(&path).map_err(fail)?);
            }
        }
        for patch in &kustomization.patches {
            let path = join(dir, &patch.path).map_err(fail)?;
            let patches = self.documents(&path).map_err(fail)?;
            patch::apply(&mut documents, patches, patch.target.as_ref())
                .map_err(|e| fail(format!("{path}: {e}")))?;
        }
        if let Some(namespace) = &kustomization.namespace {
            transform::namespace(&mut documents, namespace);
        }
        for labels in &kustomization.labels {
            transform::labels(&mut documents, labels);
        }
        for image in &kustomization.images {
            transform::image(&mut documents, image);
        }
        for replicas in &kustomization.replicas {
            transform::replicas(&mut documents, replicas);
        }
        Ok(documents)
    }
}

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

fn text(tree: &Tree, path: &str) -> Result<String, String> {
    let bytes = tree
        .get(path)
        .ok_or_else(|| format!("`{path}` is not in the tree"))?;
    String::from_utf8(bytes.to_vec()).map_err(|_| format!("`{path}` is not UTF-8"))
}

fn read_documents(tree: &Tree, path: &str) -> Result<Vec<Value>, String> {
    let text = text(tree, path)?;
    parse_documents(&text).map_err(|e| format!("{path}: {e}"))
}

/// Every non-empty document of a YAML stream.
pub fn parse_documents(text: &str) -> Result<Vec<Value>, String> {
    let documents: Vec<Value> = serde_saphyr::from_str_multiple(text).map_err(|e| e.to_string())?;
    Ok(documents.into_iter().filter(|d| !d.is_null()).collect())
}
