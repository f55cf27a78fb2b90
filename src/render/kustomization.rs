use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use super::error::RenderError;
use crate::tree::Tree;

/// The names kubectl looks for in a folder, in its order of preference.
pub(super) const FILE_NAMES: &[&str] =
    &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Fields kubectl understands that the renderer does not: refused by name, so an import never
/// renders something other than what kubectl would.
const REFUSED: &[&str] = &[
    "helmCharts",
    "helmChartInflationGenerator",
    "helmGlobals",
    "replacements",
    "vars",
    "transformers",
    "generators",
    "validators",
    "crds",
    "openapi",
    "configurations",
    "sortOptions",
    "buildMetadata",
    "patchesJson6902Transformer",
];

/// The fields of a Kustomization the renderer renders; anything else is refused rather
/// than silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Kustomization {
    #[allow(dead_code)]
    pub api_version: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub resources: Vec<String>,
    #[serde(default)]
    pub bases: Vec<String>,
    #[serde(default)]
    pub components: Vec<String>,
    #[serde(default)]
    pub name_prefix: Option<String>,
    #[serde(default)]
    pub name_suffix: Option<String>,
    #[serde(default)]
    pub common_labels: IndexMap<String, String>,
    #[serde(default)]
    pub common_annotations: IndexMap<String, String>,
    #[serde(default)]
    pub labels: Vec<Labels>,
    #[serde(default)]
    pub images: Vec<Image>,
    #[serde(default)]
    pub replicas: Vec<Replicas>,
    #[serde(default)]
    pub patches: Vec<PatchRef>,
    #[serde(default)]
    pub patches_strategic_merge: Vec<String>,
    #[serde(default)]
    pub patches_json6902: Vec<PatchRef>,
    #[serde(default)]
    pub config_map_generator: Vec<Generator>,
    #[serde(default)]
    pub secret_generator: Vec<Generator>,
    #[serde(default)]
    pub generator_options: Option<GeneratorOptions>,
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

/// A patch by file (`path`) or written in place (`patch`), with the objects it selects.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PatchRef {
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub patch: Option<String>,
    #[serde(default)]
    pub target: Option<Target>,
    #[serde(default)]
    pub options: Option<IndexMap<String, bool>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
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
    #[serde(default)]
    pub label_selector: Option<String>,
    #[serde(default)]
    pub annotation_selector: Option<String>,
}

/// A `configMapGenerator` or `secretGenerator` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Generator {
    pub name: String,
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub behavior: Option<String>,
    #[serde(default)]
    pub files: Vec<String>,
    #[serde(default)]
    pub literals: Vec<String>,
    #[serde(default)]
    pub envs: Vec<String>,
    #[serde(default)]
    pub env: Option<String>,
    #[serde(default, rename = "type")]
    pub secret_type: Option<String>,
    #[serde(default)]
    pub options: Option<GeneratorOptions>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct GeneratorOptions {
    #[serde(default)]
    pub labels: IndexMap<String, String>,
    #[serde(default)]
    pub annotations: IndexMap<String, String>,
    #[serde(default)]
    pub disable_name_suffix_hash: Option<bool>,
    #[serde(default)]
    pub immutable: Option<bool>,
}

impl Kustomization {
    /// The kustomization file of `dir`, by kubectl's names, when there is one.
    pub(super) fn file_of(tree: &Tree, dir: &str) -> Result<Option<String>, String> {
        let found: Vec<String> = FILE_NAMES
            .iter()
            .map(|name| super::files::child(dir, name))
            .filter(|path| tree.get(path).is_some())
            .collect();
        match found.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one.clone())),
            _ => Err(format!(
                "`{dir}` holds more than one kustomization file: {}",
                found.join(", ")
            )),
        }
    }

    /// The kustomization of `dir` and the path of its file.
    pub(super) fn load(tree: &Tree, dir: &str) -> Result<(String, Self), RenderError> {
        let in_dir = |message: String| RenderError {
            dir: dir.to_owned(),
            message,
        };
        let path = Self::file_of(tree, dir)
            .map_err(in_dir)?
            .ok_or_else(|| in_dir(format!("no kustomization.yaml in `{dir}`")))?;
        let in_file = |message: String| RenderError {
            dir: path.clone(),
            message,
        };
        let document = if let Some([document]) = tree.documents(&path) {
            document.clone()
        } else {
            let text = super::files::text(tree, &path).map_err(in_file)?;
            serde_saphyr::from_str::<Value>(&text).map_err(|e| in_file(e.to_string()))?
        };
        if let Some(fields) = document.as_object()
            && let Some(field) = REFUSED.iter().find(|f| fields.contains_key(**f))
        {
            return Err(in_file(format!("{field} is not supported")));
        }
        let kustomization =
            Kustomization::deserialize(&document).map_err(|e| in_file(e.to_string()))?;
        Ok((path, kustomization))
    }

    /// Whether the file is a Component, applied in place inside the kustomization using it.
    pub(super) fn is_component(&self) -> bool {
        self.kind.as_deref() == Some("Component")
    }
}

impl PatchRef {
    /// A `patchesStrategicMerge` entry: a file, or the patch itself when it spans lines.
    pub(super) fn inline_or_path(entry: &str) -> Self {
        let inline = entry.contains('\n');
        PatchRef {
            path: (!inline).then(|| entry.to_owned()),
            patch: inline.then(|| entry.to_owned()),
            target: None,
            options: None,
        }
    }
}
