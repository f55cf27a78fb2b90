//! An existing repository read for import: its files as a tree, and the documents each place
//! deploys, with any file that cannot be read located by file, document and field.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use serde_json::Value;

use super::layout::{Place, Source, is_kustomization, is_yaml};
use crate::render::files::join;
use crate::render::{Renderer, parse_documents};
use crate::source::MAX_SPEC_BYTES;
use crate::tree::Tree;

/// Input import cannot read: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InputError {
    pub file: String,
    /// The 1-based document of a multi-document file.
    pub document: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(document) = self.document {
            write!(f, ", document {document}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl InputError {
    fn new(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            document: None,
            field: None,
            message: message.into(),
        }
    }
}

/// The files below `dir` (hidden folders such as `.git` left out), as a tree. A symbolic
/// link is never followed: the repository is read as it is committed.
pub(crate) fn read_dir(dir: &Path) -> Result<Tree, InputError> {
    let shown = crate::source::display_path(dir);
    if !dir.is_dir() {
        return Err(InputError::new(
            &shown,
            "is not a folder; give the folder of the repository (or of its manifests) to import",
        ));
    }
    let mut tree = Tree::new();
    let walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
    for entry in walk {
        let entry = entry.map_err(|e| InputError::new(&shown, e.to_string()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(dir)
            .expect("a walked path lies below its root")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let size = entry.metadata().map_or(0, |m| m.len());
        if size > MAX_SPEC_BYTES {
            return Err(InputError::new(
                &relative,
                format!("is larger than {} MiB", MAX_SPEC_BYTES / 1024 / 1024),
            ));
        }
        let bytes =
            std::fs::read(entry.path()).map_err(|e| InputError::new(&relative, e.to_string()))?;
        tree.insert(relative, bytes);
    }
    Ok(tree)
}

/// Reads the places of one repository: renders kustomizations and checks each manifest
/// file once, however many places read it.
pub(crate) struct Reader<'a> {
    tree: &'a Tree,
    renderer: Renderer<'a>,
    checked: HashSet<String>,
    /// The manifest files each kustomization reads, by its folder.
    resources: HashMap<String, Vec<String>>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(tree: &'a Tree) -> Self {
        Self {
            tree,
            renderer: Renderer::new(tree),
            checked: HashSet::new(),
            resources: HashMap::new(),
        }
    }

    /// The documents `place` deploys, each manifest file it reads checked first.
    pub(crate) fn documents(&mut self, place: &Place) -> Result<Vec<Value>, InputError> {
        let tree = self.tree;
        match &place.source {
            Source::Files(files) => {
                let mut all = Vec::new();
                for file in files {
                    all.extend(manifests(tree, file)?);
                }
                Ok(all)
            }
            Source::Kustomization(dir) => {
                if !self.resources.contains_key(dir) {
                    let files = resource_files(tree, dir, 0)?;
                    self.resources.insert(dir.clone(), files);
                }
                for file in &self.resources[dir] {
                    if !self.checked.contains(file) {
                        manifests(tree, file)?;
                        self.checked.insert(file.clone());
                    }
                }
                self.renderer.render(dir).map_err(|error| {
                    InputError::new(
                        &kustomization_file(tree, dir).unwrap_or_else(|| dir.clone()),
                        error.message,
                    )
                })
            }
        }
    }
}

/// The documents of the manifest file `path`, each a Kubernetes object.
fn manifests(tree: &Tree, path: &str) -> Result<Vec<Value>, InputError> {
    let bytes = tree
        .get(path)
        .ok_or_else(|| InputError::new(path, "does not exist"))?;
    let text =
        std::str::from_utf8(bytes).map_err(|_| InputError::new(path, "is not UTF-8 text"))?;
    let documents = parse_documents(text).map_err(|message| {
        let mut error = InputError::new(path, format!("is not YAML: {}", first_line(&message)));
        error.document = line_of(&message).map(|line| document_at(text, line));
        error
    })?;
    for (index, document) in documents.iter().enumerate() {
        let problem = |field: &str, message: &str| InputError {
            file: path.to_owned(),
            document: Some(index + 1),
            field: Some(field.to_owned()),
            message: message.to_owned(),
        };
        if !document.is_object() {
            return Err(problem(
                "kind",
                "is not a Kubernetes object (a mapping with `apiVersion`, `kind` and `metadata`)",
            ));
        }
        for field in ["kind", "apiVersion"] {
            if !document[field].is_string() {
                return Err(problem(
                    field,
                    "is missing: every Kubernetes object says its `apiVersion` and `kind`",
                ));
            }
        }
        if !document["metadata"]["name"].is_string() {
            return Err(problem(
                "metadata.name",
                "is missing: every object is named",
            ));
        }
    }
    Ok(documents)
}

/// The kustomization file of `dir`, in kustomize's order of preference.
fn kustomization_file(tree: &Tree, dir: &str) -> Option<String> {
    ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .map(|name| {
            if dir.is_empty() {
                (*name).to_owned()
            } else {
                format!("{dir}/{name}")
            }
        })
        .find(|path| tree.get(path).is_some())
}

/// The manifest files the kustomization of `dir` reads as resources, through the
/// kustomizations it reads in turn.
fn resource_files(tree: &Tree, dir: &str, depth: usize) -> Result<Vec<String>, InputError> {
    let Some(file) = kustomization_file(tree, dir) else {
        return Err(InputError::new(dir, "holds no kustomization.yaml"));
    };
    if depth > 16 {
        return Err(InputError::new(
            &file,
            "kustomizations refer to each other in a cycle",
        ));
    }
    let text = std::str::from_utf8(tree.get(&file).unwrap_or_default()).unwrap_or_default();
    let parsed = parse_documents(text).map_err(|message| {
        InputError::new(&file, format!("is not YAML: {}", first_line(&message)))
    })?;
    let Some(kustomization) = parsed.first() else {
        return Ok(Vec::new());
    };
    let mut files = Vec::new();
    for field in ["resources", "bases"] {
        let Some(listed) = kustomization[field].as_array() else {
            continue;
        };
        for (index, entry) in listed.iter().enumerate() {
            let Some(entry) = entry.as_str() else {
                continue;
            };
            let Some(path) = joined(dir, entry) else {
                return Err(InputError {
                    file: file.clone(),
                    document: None,
                    field: Some(format!("{field}[{index}]")),
                    message: format!(
                        "`{entry}` is not a path inside the repository (remote bases are not imported)"
                    ),
                });
            };
            if kustomization_file(tree, &path).is_some() {
                files.extend(resource_files(tree, &path, depth + 1)?);
            } else if tree.get(&path).is_some() && (is_yaml(&path) || is_kustomization(&path)) {
                files.push(path);
            } else {
                return Err(InputError {
                    file: file.clone(),
                    document: None,
                    field: Some(format!("{field}[{index}]")),
                    message: format!("`{entry}` does not exist"),
                });
            }
        }
    }
    Ok(files)
}

/// `entry` relative to the folder `dir`, inside the repository, resolved as the renderer
/// resolves it; `None` when it leaves the repository or is a URL.
fn joined(dir: &str, entry: &str) -> Option<String> {
    if entry.contains("://") || entry.starts_with('/') || entry.starts_with("github.com/") {
        return None;
    }
    join(dir, entry).ok()
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message)
}

/// The line a parser's message names, if it names one (`… at line 4 column 2`).
fn line_of(message: &str) -> Option<usize> {
    let at = message.find("line ")?;
    message[at + 5..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The 1-based document of a YAML stream holding the 1-based `line`.
fn document_at(text: &str, line: usize) -> usize {
    let before = text.lines().take(line.saturating_sub(1));
    let separators = before
        .filter(|l| l.trim_end() == "---" || l.starts_with("--- "))
        .count();
    let leading = text.trim_start().starts_with("---");
    separators + usize::from(!leading)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> Tree {
        let mut tree = Tree::new();
        for (path, text) in files {
            tree.insert(*path, text.as_bytes().to_vec());
        }
        tree
    }

    #[test]
    fn a_document_without_kind_is_located_by_file_document_and_field() {
        let tree = tree(&[(
            "dev/all.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n",
        )]);
        let error = manifests(&tree, "dev/all.yaml").unwrap_err();
        assert_eq!(
            (error.document, error.field.as_deref()),
            (Some(2), Some("kind"))
        );
        assert_eq!(
            error.to_string(),
            "dev/all.yaml, document 2, `kind`: is missing: every Kubernetes object says its `apiVersion` and `kind`"
        );
    }

    #[test]
    fn yaml_that_does_not_parse_names_its_document() {
        let text = "kind: A\napiVersion: v1\nmetadata: {name: a}\n---\nkind: [unclosed\n";
        let tree = tree(&[("dev.yaml", text)]);
        let error = manifests(&tree, "dev.yaml").unwrap_err();
        assert!(error.message.starts_with("is not YAML"), "{error}");
        assert_eq!(error.document, Some(2), "{error}");
    }

    #[test]
    fn a_kustomization_naming_a_missing_file_or_leaving_the_repository_is_refused() {
        let tree = tree(&[(
            "overlays/dev/kustomization.yaml",
            "resources:\n- ../../base/cart\n- ../../../../etc\n",
        )]);
        let error = resource_files(&tree, "overlays/dev", 0).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("resources[0]"));
        assert_eq!(error.message, "`../../base/cart` does not exist");
        let tree = self::tree(&[(
            "overlays/dev/kustomization.yaml",
            "resources:\n- ../../../x.yaml\n",
        )]);
        let error = resource_files(&tree, "overlays/dev", 0).unwrap_err();
        assert!(error.message.contains("not a path inside"), "{error}");
    }

    #[test]
    fn paths_join_inside_the_repository_only() {
        assert_eq!(
            joined("overlays/dev", "../../base/cart").as_deref(),
            Some("base/cart")
        );
        assert_eq!(
            joined("overlays/dev", "./patch.yaml").as_deref(),
            Some("overlays/dev/patch.yaml")
        );
        assert_eq!(joined("a", "../../x"), None);
        assert_eq!(joined("a", "https://github.com/x/y"), None);
    }
}
