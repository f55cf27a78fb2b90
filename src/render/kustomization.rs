use indexmap::IndexMap;
use serde::Deserialize;

use crate::tree::Tree;

/// The fields of a Kustomization fleetc writes and renders; anything else is refused rather
/// than silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Kustomization {
    #[allow(dead_code)]
    pub api_version: Option<String>,
    #[allow(dead_code)]
    pub kind: Option<String>,
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub resources: Vec<String>,
    #[serde(default)]
    pub labels: Vec<Labels>,
    #[serde(default)]
    pub images: Vec<Image>,
    #[serde(default)]
    pub replicas: Vec<Replicas>,
    #[serde(default)]
    pub patches: Vec<PatchRef>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Labels {
    pub pairs: IndexMap<String, String>,
    #[serde(default)]
    pub include_selectors: bool,
    #[serde(default)]
    pub include_templates: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Image {
    pub name: String,
    #[serde(default)]
    pub new_name: Option<String>,
    #[serde(default)]
    pub new_tag: Option<String>,
    #[serde(default)]
    pub digest: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Replicas {
    pub name: String,
    pub count: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PatchRef {
    pub path: String,
    #[serde(default)]
    pub target: Option<Target>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Target {
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub namespace: Option<String>,
}

impl Kustomization {
    pub(super) fn load(tree: &Tree, dir: &str) -> Result<Self, String> {
        let path = format!("{dir}/kustomization.yaml");
        if let Some([document]) = tree.documents(&path) {
            return Kustomization::deserialize(document).map_err(|e| format!("{path}: {e}"));
        }
        let bytes = tree
            .get(&path)
            .ok_or_else(|| format!("no kustomization.yaml in `{dir}`"))?;
        let text = std::str::from_utf8(bytes).map_err(|_| format!("`{path}` is not UTF-8"))?;
        serde_saphyr::from_str(text).map_err(|e| format!("{path}: {e}"))
    }
}
