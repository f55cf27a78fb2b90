//! Hydrates an overlay the way `kubectl kustomize` does, from a tree in memory: for what
//! fleetc writes and for what hand-written repositories commonly hold (generators, name
//! prefixes and suffixes, common labels and annotations, components, every patch form).
//! What kubectl would read and this cannot render is refused by name, never approximated.

mod common;
mod error;
pub(crate) mod escape_hatch;
pub(crate) mod files;
mod generators;
mod kinds;
mod kustomization;
mod names;
mod order;
mod patch;
mod references;
mod selector;
mod strategic;
mod transform;

use std::collections::HashMap;

use serde_json::Value;

pub(crate) use error::RenderError;
pub(crate) use files::join;
pub use files::parse_documents;
use files::{child, read_documents};

use crate::tree::Tree;
use crate::tree::layout::locate_application_dir;
use kustomization::{Kustomization, PatchRef};

/// The documents `kubectl kustomize <dir>` prints, in its order.
pub fn render(tree: &Tree, dir: &str) -> Result<Vec<Value>, RenderError> {
    Renderer::new(tree).render(dir)
}

/// Renders many overlays of one tree, parsing each file once: overlays of a service share
/// its base.
pub struct Renderer<'a> {
    tree: &'a Tree,
    parsed: HashMap<String, Vec<Value>>,
    /// Whether this renders a service's own files for the check of them: a patch with a
    /// target that selects nothing is then an error (kubectl skips it), and an object listed
    /// twice is left for that check to name (kubectl refuses it).
    strict_patches: bool,
}

impl<'a> Renderer<'a> {
    pub fn new(tree: &'a Tree) -> Self {
        Self {
            tree,
            parsed: HashMap::new(),
            strict_patches: false,
        }
    }

    /// A renderer for which a patch whose target selects no object is an error: a patch the
    /// user wrote for a service must apply to it, where kubectl would skip it unseen. Objects
    /// listed twice are rendered, for the check to say which file takes which name.
    pub(crate) fn requiring_each_patch_to_apply(mut self) -> Self {
        self.strict_patches = true;
        self
    }

    pub fn render(&mut self, dir: &str) -> Result<Vec<Value>, RenderError> {
        let mut documents = self.build(dir.trim_end_matches('/'), 0)?;
        // Suffixes and references are settled once the whole build is assembled, as kustomize
        // settles them.
        generators::add_hashes(&mut documents);
        names::fix_references(&mut documents);
        names::forget(&mut documents);
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
        let mut documents = Vec::new();
        self.accumulate(dir, depth, false, &mut documents)?;
        Ok(documents)
    }

    /// Adds what the kustomization of `dir` makes to `documents` and transforms them all: a
    /// Component works on the objects of the kustomization using it, as kustomize applies it.
    fn accumulate(
        &mut self,
        dir: &str,
        depth: usize,
        component: bool,
        documents: &mut Vec<Value>,
    ) -> Result<(), RenderError> {
        let (file, kustomization) = Kustomization::load(self.tree, dir)?;
        let fail = |message: String| RenderError {
            dir: file.clone(),
            message,
        };
        if depth > 16 {
            return Err(fail("kustomizations refer to each other in a cycle".into()));
        }
        if kustomization.is_component() != component {
            return Err(fail(if component {
                "is listed under components but is not a Component".into()
            } else {
                "is a Component, listed where a kustomization is expected".into()
            }));
        }
        for resource in kustomization.resources.iter().chain(&kustomization.bases) {
            let added = self.resource(&file, dir, resource, depth)?;
            // kubectl refuses a second object of one kind, namespace and name.
            let twice = added
                .iter()
                .find(|a| documents.iter().any(|d| same_id(a, d)));
            if let Some(twice) = twice.filter(|_| !self.strict_patches) {
                return Err(fail(format!(
                    "resource `{resource}` adds {}/{} a second time",
                    twice["kind"].as_str().unwrap_or(""),
                    twice["metadata"]["name"].as_str().unwrap_or("")
                )));
            }
            documents.extend(added);
        }
        generators::generate(self.tree, dir, &kustomization, documents).map_err(fail)?;
        for component in &kustomization.components {
            let path = self.local_path(&file, dir, component, "component")?;
            self.accumulate(&path, depth + 1, true, documents)?;
        }
        self.transform(&file, dir, &kustomization, documents)
    }

    /// The objects one entry of `resources` stands for: a file's documents, or what the
    /// kustomization of a folder builds.
    fn resource(
        &mut self,
        file: &str,
        dir: &str,
        resource: &str,
        depth: usize,
    ) -> Result<Vec<Value>, RenderError> {
        let path = self.local_path(file, dir, resource, "resource")?;
        let fail = |message: String| RenderError {
            dir: file.to_owned(),
            message,
        };
        if Kustomization::file_of(self.tree, &path)
            .map_err(fail)?
            .is_some()
        {
            return self.build(&path, depth + 1);
        }
        if self.tree.get(&path).is_none() {
            return Err(fail(format!(
                "resource `{resource}` is a folder without a kustomization"
            )));
        }
        self.documents(&path).map(files::expand_lists).map_err(fail)
    }

    /// `dir/entry` for an entry of the kustomization `file`: remote entries and paths that
    /// leave the tree or name nothing in it are refused.
    fn local_path(
        &self,
        file: &str,
        dir: &str,
        entry: &str,
        what: &str,
    ) -> Result<String, RenderError> {
        let fail = |message: String| RenderError {
            dir: file.to_owned(),
            message,
        };
        if is_remote(entry) {
            return Err(fail(format!("remote {what} `{entry}` is not supported")));
        }
        let path = join(dir, entry).map_err(|e| fail(format!("{what} {e}")))?;
        let folder = format!("{path}/");
        let exists = self.tree.get(&path).is_some()
            || path.is_empty()
            || kustomization::FILE_NAMES
                .iter()
                .any(|name| self.tree.get(&child(&path, name)).is_some())
            || self.tree.paths().any(|p| p.starts_with(&folder));
        if !exists {
            return Err(fail(format!("{what} `{entry}` does not exist")));
        }
        Ok(path)
    }

    fn transform(
        &mut self,
        file: &str,
        dir: &str,
        kustomization: &Kustomization,
        documents: &mut Vec<Value>,
    ) -> Result<(), RenderError> {
        let fail = |message: String| RenderError {
            dir: file.to_owned(),
            message,
        };
        for entry in &kustomization.patches_strategic_merge {
            let patch = PatchRef::inline_or_path(entry);
            self.patch(file, dir, &patch, documents)?;
        }
        for patch in &kustomization.patches {
            self.patch(file, dir, patch, documents)?;
        }
        if let Some(namespace) = &kustomization.namespace {
            transform::namespace(documents, namespace);
        }
        names::prefix_suffix(
            documents,
            kustomization.name_prefix.as_deref().unwrap_or(""),
            kustomization.name_suffix.as_deref().unwrap_or(""),
        );
        common::labels(documents, &kustomization.common_labels);
        for labels in &kustomization.labels {
            transform::labels(documents, labels);
        }
        common::annotations(documents, &kustomization.common_annotations);
        for patch in &kustomization.patches_json6902 {
            if patch.target.is_none() {
                return Err(fail("a patchesJson6902 entry has no target".into()));
            }
            self.patch(file, dir, patch, documents)?;
        }
        for replicas in &kustomization.replicas {
            transform::replicas(documents, replicas);
        }
        for image in &kustomization.images {
            transform::image(documents, image);
        }
        Ok(())
    }

    fn patch(
        &mut self,
        file: &str,
        dir: &str,
        patch: &PatchRef,
        documents: &mut Vec<Value>,
    ) -> Result<(), RenderError> {
        let fail = |message: String| RenderError {
            dir: file.to_owned(),
            message,
        };
        let (name, patches) = match (&patch.path, &patch.patch) {
            (Some(relative), None) => {
                let at = self.local_path(file, dir, relative, "patch")?;
                (at.clone(), self.documents(&at).map_err(fail)?)
            }
            (None, Some(text)) => (
                format!("{file} (inline patch)"),
                parse_documents(text).map_err(|e| fail(format!("an inline patch: {e}")))?,
            ),
            _ => return Err(fail("a patch has either `path` or `patch`".into())),
        };
        if patch
            .options
            .as_ref()
            .is_some_and(|o| o.values().any(|v| *v))
        {
            return Err(fail("patch options are not supported".into()));
        }
        patch::apply(
            documents,
            patches,
            patch.target.as_ref(),
            self.strict_patches,
        )
        .map_err(|e| RenderError {
            dir: dir.to_owned(),
            message: format!("{name}: {e}"),
        })
    }
}

/// Whether two objects have one group, kind, namespace and name (by any of their names).
fn same_id(a: &Value, b: &Value) -> bool {
    let group = |d: &Value| {
        let api_version = d["apiVersion"].as_str().unwrap_or("");
        api_version
            .rsplit_once('/')
            .map_or("", |(g, _)| g)
            .to_owned()
    };
    group(a) == group(b)
        && a["kind"] == b["kind"]
        && a["metadata"]["namespace"] == b["metadata"]["namespace"]
        && a["metadata"]["name"] == b["metadata"]["name"]
}

/// Entries kustomize fetches over the network: a URL or a repository address.
fn is_remote(entry: &str) -> bool {
    entry.contains("://")
        || entry.starts_with("github.com/")
        || entry.starts_with("gitlab.com/")
        || entry.starts_with("bitbucket.org/")
        || entry.starts_with("git@")
        || entry.contains("?ref=")
        || entry.contains(".git//")
}
