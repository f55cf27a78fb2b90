pub(crate) mod layout;
pub(crate) mod origin;
pub(crate) mod yaml;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use crate::tree::origin::{Gathered, Origins};

/// Where the tree is written unless `--out` says otherwise.
pub(crate) const DEFAULT_OUT: &str = "generated";

/// The compiled output: relative path → bytes, ordered by path. Identical for identical specs.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    files: BTreeMap<String, Vec<u8>>,
    /// The documents each YAML file was written from, kept only when asked for: rendering
    /// then reads them instead of parsing the bytes back, which was half of its time.
    documents: Option<HashMap<String, Vec<Value>>>,
    /// What each part of each file was written from, kept only when asked for (`why`).
    origins: Option<Origins>,
    /// The one file whose documents and origins an explaining tree keeps; every file's when
    /// none is named.
    explained: Option<String>,
}

/// Trees are equal when their files are: kept documents are a cache of the bytes.
impl PartialEq for Tree {
    fn eq(&self, other: &Self) -> bool {
        self.files == other.files
    }
}

impl Eq for Tree {}

/// Lists every file fleetc wrote into an output directory, so the next build removes exactly
/// its own stale files and nothing else.
pub(crate) const MANIFEST: &str = ".fleetc-manifest";

impl Tree {
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty tree that keeps the documents of the YAML files added with [`Self::insert_yaml`].
    pub fn keeping_documents() -> Self {
        Self {
            files: BTreeMap::new(),
            documents: Some(HashMap::new()),
            origins: None,
            explained: None,
        }
    }

    /// An empty tree that records what each part of file `only` (of every file, when `None`)
    /// was written from, and keeps its documents.
    pub(crate) fn explaining(only: Option<&str>) -> Self {
        Self {
            origins: Some(Origins::default()),
            explained: only.map(str::to_owned),
            ..Self::keeping_documents()
        }
    }

    /// Whether the tree keeps what `path` was written from: its documents, its origins.
    fn keeps(&self, path: &str) -> bool {
        self.explained.as_deref().is_none_or(|only| only == path)
    }

    /// A record to gather a file's origins in: it gathers only when the tree explains itself.
    pub(crate) fn gather(&self) -> Gathered {
        Gathered::new(self.origins.is_some())
    }

    /// Records what the parts of `path` were written from.
    pub(crate) fn record(&mut self, path: &str, gathered: Gathered) {
        let keeps = self.keeps(path);
        if let Some(origins) = &mut self.origins
            && keeps
        {
            origins.record(path, gathered);
        }
    }

    /// What the parts of each file were written from, when the tree recorded it.
    pub(crate) fn origins(&self) -> Option<&Origins> {
        self.origins.as_ref()
    }

    /// Adds a YAML file: `header`, then `documents` (kept when the tree keeps documents).
    pub fn insert_yaml(&mut self, path: impl Into<String>, header: &str, documents: Vec<Value>) {
        let bytes = crate::tree::yaml::file(header, &documents);
        let path = path.into();
        let kept = self.keeps_documents_of(&path).then_some(documents);
        self.insert_written(path, bytes, kept);
    }

    /// Whether the tree keeps the documents of the YAML file at `path`.
    pub(crate) fn keeps_documents_of(&self, path: &str) -> bool {
        self.documents.is_some() && self.keeps(path)
    }

    /// Adds a YAML file already written, with the documents it was written from when the
    /// tree keeps them.
    pub fn insert_written(&mut self, path: String, bytes: Vec<u8>, documents: Option<Vec<Value>>) {
        let keeps = self.keeps(&path);
        if let (Some(kept), Some(documents)) = (&mut self.documents, documents)
            && keeps
        {
            kept.insert(path.clone(), documents);
        }
        self.insert(path, bytes);
    }

    /// The documents a YAML file was written from, when the tree kept them.
    pub fn documents(&self, path: &str) -> Option<&[Value]> {
        self.documents.as_ref()?.get(path).map(Vec::as_slice)
    }

    /// Adds a file. Two emitters claiming one path is a defect in fleetc, not in the spec.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let path = path.into();
        let mut bytes = bytes.into();
        // The tree holds every file at once: no file keeps the spare room it grew with.
        bytes.shrink_to_fit();
        let previous = self.files.insert(path.clone(), bytes);
        assert!(previous.is_none(), "two emitters wrote {path}");
    }

    /// Adds every file of `other`; a path in both is a defect, as with `insert`.
    pub fn merge(&mut self, other: Tree) {
        for (path, bytes) in other.files {
            self.insert(path, bytes);
        }
        if let (Some(mine), Some(theirs)) = (&mut self.documents, other.documents) {
            mine.extend(theirs);
        }
        if let (Some(mine), Some(theirs)) = (&mut self.origins, other.origins) {
            mine.merge(theirs);
        }
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// The files below a folder (`prefix` ends with `/`), in path order.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a [u8])> {
        self.files
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(p, _)| p.starts_with(prefix))
            .map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Adds the records of owned files: one in each service's folder listing that folder's
    /// files, and the root's listing every other file and each service's record. A change to
    /// one service then rewrites that service's record alone, so pull requests about
    /// different services never meet in a record.
    pub fn seal(mut self) -> Self {
        let mut root: BTreeSet<String> = BTreeSet::new();
        let mut records: BTreeMap<&str, String> = BTreeMap::new();
        for path in self.files.keys() {
            match record_folder(path) {
                Some(folder) => {
                    let record = records
                        .entry(folder)
                        .or_insert_with(|| String::from(RECORD_HEADER));
                    record.push_str(&path[folder.len() + 1..]);
                    record.push('\n');
                }
                None => {
                    root.insert(path.clone());
                }
            }
        }
        let records: Vec<(String, String)> = records
            .into_iter()
            .map(|(folder, text)| (format!("{folder}/{MANIFEST}"), text))
            .collect();
        let mut manifest = String::from(MANIFEST_HEADER);
        for path in root
            .iter()
            .map(String::as_str)
            .chain(records.iter().map(|(p, _)| p.as_str()))
            .collect::<BTreeSet<_>>()
        {
            manifest.push_str(path);
            manifest.push('\n');
        }
        for (path, text) in records {
            self.insert(path, text);
        }
        self.insert(MANIFEST, manifest);
        self
    }
}

const MANIFEST_HEADER: &str = "# Files written by fleetc; `fleetc build` removes only these.\n";
const RECORD_HEADER: &str =
    "# Files written by fleetc in this folder; `fleetc build` removes only these.\n";

/// The service folder (`apps/<name>`) whose own record lists `path`; `None` for a file the
/// root's record lists.
pub(crate) fn record_folder(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("apps/")?;
    let (name, inside) = rest.split_once('/')?;
    (!name.is_empty() && !inside.is_empty()).then(|| &path[..5 + name.len()])
}

/// Whether `path` is a service's record of its own files.
pub(crate) fn is_record(path: &str) -> bool {
    record_folder(path).is_some_and(|folder| path[folder.len()..] == format!("/{MANIFEST}"))
}

/// Whether `path` is a record of written files: the root's or a service's.
pub(crate) fn is_any_record(path: &str) -> bool {
    path == MANIFEST || is_record(path)
}

/// The header a record starts with, for a record rewritten to list more files.
pub(crate) fn record_header(path: &str) -> &'static str {
    if path == MANIFEST {
        MANIFEST_HEADER
    } else {
        RECORD_HEADER
    }
}

/// Reads the paths a manifest lists.
pub(crate) fn manifest_paths(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_folder_keeps_its_own_record() {
        assert_eq!(
            record_folder("apps/cart/base/deployment.yaml"),
            Some("apps/cart")
        );
        assert_eq!(
            record_folder("apps/cart/.fleetc-manifest"),
            Some("apps/cart")
        );
        assert_eq!(record_folder("apps/cart"), None);
        assert_eq!(record_folder("apps//x"), None);
        assert_eq!(record_folder("envs/dev/ingress.yaml"), None);
        assert_eq!(record_folder("ci/cart.yml"), None);
        assert!(is_record("apps/cart/.fleetc-manifest"));
        assert!(!is_record("apps/cart/base/.fleetc-manifest"));
        assert!(!is_record(".fleetc-manifest"));
        assert!(is_any_record(".fleetc-manifest"));
    }

    #[test]
    fn the_root_lists_platform_files_and_records_and_each_record_its_folder() {
        let mut tree = Tree::new();
        tree.insert("CODEOWNERS", "x");
        tree.insert("apps/cart/base/kustomization.yaml", "x");
        tree.insert("apps/cart/overlays/dev/kustomization.yaml", "x");
        tree.insert("apps/web/base/kustomization.yaml", "x");
        let tree = tree.seal();
        let root = String::from_utf8(tree.get(MANIFEST).unwrap().to_vec()).unwrap();
        assert_eq!(
            manifest_paths(&root),
            [
                "CODEOWNERS",
                "apps/cart/.fleetc-manifest",
                "apps/web/.fleetc-manifest"
            ]
        );
        let cart = String::from_utf8(tree.get("apps/cart/.fleetc-manifest").unwrap().to_vec());
        assert_eq!(
            manifest_paths(&cart.unwrap()),
            ["base/kustomization.yaml", "overlays/dev/kustomization.yaml"]
        );
    }
}
