//! The Applications an ApplicationSet's list generator produces, read the way Argo CD reads
//! them: each element substituted into the Go template (a key the element lacks is an error,
//! as `missingkey=error` makes it), and the `argocd.argoproj.io/manifest-generate-paths`
//! annotation resolved as Argo CD resolves it: `;`-separated, a path starting with `/` taken
//! from the repository root, any other joined to the source path and cleaned.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

pub(crate) const MANIFEST_PATHS: &str = "argocd.argoproj.io/manifest-generate-paths";

/// One generated Application, its paths relative to the repository root.
#[derive(Debug, Clone)]
pub(crate) struct Application {
    pub name: String,
    pub service: String,
    pub source_path: String,
    /// The annotation's paths, resolved; `None` for one that climbs above the repository.
    pub refresh_paths: Vec<Option<String>>,
}

pub(crate) fn applications(application_set: &Value) -> Vec<Application> {
    let template = &application_set["spec"]["template"];
    let text = |value: &Value| value.as_str().map(str::to_owned);
    let elements = application_set["spec"]["generators"][0]["list"]["elements"]
        .as_array()
        .expect("a list generator");
    elements
        .iter()
        .map(|element| {
            let field = |value: &Value| instantiate(&text(value).unwrap_or_default(), element);
            let source_path = field(&template["spec"]["source"]["path"]);
            let annotation = field(&template["metadata"]["annotations"][MANIFEST_PATHS]);
            Application {
                name: field(&template["metadata"]["name"]),
                service: text(&element["service"]).expect("each element names its service"),
                refresh_paths: annotation
                    .split(';')
                    .filter(|item| !item.is_empty())
                    .map(|item| resolve(&source_path, item))
                    .collect(),
                source_path,
            }
        })
        .collect()
}

/// `{{ .key }}` replaced by the element's value of `key`.
pub(crate) fn instantiate(template: &str, element: &Value) -> String {
    static FIELD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}").unwrap());
    FIELD
        .replace_all(template, |captures: &regex::Captures<'_>| {
            match &element[&captures[1]] {
                Value::String(text) => text.clone(),
                Value::Null => panic!("`{}` is not a key of {element}", &captures[1]),
                other => other.to_string(),
            }
        })
        .into_owned()
}

/// One annotation path as a path from the repository root, without `.` or `..`.
pub(crate) fn resolve(source_path: &str, item: &str) -> Option<String> {
    let joined = match item.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("{source_path}/{item}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}
