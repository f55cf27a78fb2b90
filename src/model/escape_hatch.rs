use std::collections::HashMap;

use serde_json::Value;

use crate::spec::{Listed, PatchTarget};

/// The files beside the spec that the escape hatch lists, read and parsed, by the path their
/// entries spell.
#[derive(Debug, Clone, Default)]
pub(crate) struct SpecFiles {
    by_listed: HashMap<String, SpecFile>,
    /// Configuration files, read as text whatever they hold.
    configs: HashMap<String, ConfigText>,
}

/// A configuration file beside the spec, read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigText {
    /// Its path relative to the spec's folder, in plain form.
    pub(crate) path: String,
    pub(crate) text: String,
}

/// One file beside the spec, read.
#[derive(Debug, Clone)]
pub(crate) struct SpecFile {
    /// Its path relative to the spec's folder, in plain form.
    pub(crate) path: String,
    pub(crate) text: String,
    pub(crate) documents: Vec<Value>,
}

impl SpecFiles {
    pub(crate) fn insert(&mut self, listed: &str, file: SpecFile) {
        self.by_listed.insert(listed.to_owned(), file);
    }

    pub(crate) fn get(&self, listed: &str) -> Option<&SpecFile> {
        self.by_listed.get(listed)
    }

    pub(crate) fn insert_config(&mut self, listed: &str, text: ConfigText) {
        self.configs.insert(listed.to_owned(), text);
    }

    pub(crate) fn config(&self, listed: &str) -> Option<&ConfigText> {
        self.configs.get(listed)
    }

    /// The file `listed` names, as the model holds it; none for a file never read.
    pub(crate) fn own_file(&self, listed: &Listed<'_>) -> Option<OwnFile> {
        let read = self.by_listed.get(listed.file)?;
        Some(OwnFile {
            path: read.path.clone(),
            key: listed.key.clone(),
            text: read.text.clone(),
            documents: read.documents.clone(),
            target: listed.target.cloned(),
        })
    }
}

/// A file beside the spec that the escape hatch copies into the tree: objects of the service's
/// own, or a patch of its generated ones.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnFile {
    /// Its path relative to the spec's folder, in plain form.
    pub path: String,
    /// The key of the entry that lists it.
    pub key: Vec<String>,
    /// Its text as read: `fleetc why` finds the line a part of it comes from there.
    pub text: String,
    pub documents: Vec<Value>,
    /// For a patch, the object its entry says it applies to.
    pub target: Option<PatchTarget>,
}

/// The folder of a base or overlay the files beside the spec are copied to, under their own
/// path: no name of theirs can meet one fleetc writes.
pub(crate) const COPIED_DIR: &str = "from-spec";

impl super::Model {
    /// Every file beside the spec the tree is compiled from, by its path relative to the
    /// spec's folder, once each.
    pub(crate) fn own_file_paths(&self) -> std::collections::BTreeSet<String> {
        let mut paths = std::collections::BTreeSet::new();
        for service in &self.services {
            let overlays = service
                .deployments
                .iter()
                .flat_map(|d| d.own_manifests.iter().chain(&d.own_patches));
            for file in service.own_manifests.iter().chain(overlays) {
                paths.insert(file.path.clone());
            }
            let configs = service.deployments.iter().filter_map(|d| d.config.as_ref());
            for file in configs.flat_map(|config| &config.files) {
                paths.insert(file.source.clone());
            }
        }
        paths
    }
}

impl OwnFile {
    /// Its path in the base or overlay it is copied to.
    pub fn copied_name(&self) -> String {
        format!("{COPIED_DIR}/{}", self.path)
    }
}
