//! Configuration files: text the container reads, held in a ConfigMap. The text is read as it
//! is (any format: YAML, TOML, properties, nginx's own), refused only when it is not text,
//! holds a credential, or makes a ConfigMap larger than Kubernetes stores.

use indexmap::IndexMap;

use super::credentials::credential_in_text;
use crate::model::{ConfigText, SpecFiles};
use crate::source::Source;
use crate::source::diagnostic::Diagnostic;
use crate::source::span_index::SpanIndex;
use crate::spec::{Listed, Listing, Spec};

/// The most a ConfigMap's data may hold: Kubernetes refuses a larger one.
pub(crate) const MAX_CONFIG_MAP_BYTES: usize = 1024 * 1024;

/// One configuration file's text, unless an earlier entry read it already.
pub(super) fn load(
    entry: &Listed<'_>,
    source: &Source,
    read: &mut SpecFiles,
    path: String,
) -> Result<(), (String, String)> {
    if read.config(entry.file).is_some() {
        return Ok(());
    }
    let text = source.read_beside(&path).map_err(|problem| {
        (
            problem.message(entry.file),
            "list a text file in the spec's folder or below it; a ConfigMap holds text".to_owned(),
        )
    })?;
    if let Some((at, what)) = credential_in_text(&text) {
        return Err((
            format!("`{}` holds {what} at {at}, and it would be committed to Git", entry.file),
            "mount it from the environment's secret store instead: `secret_files = { \"<path>\" = \"<variable of secrets>\" }`".to_owned(),
        ));
    }
    read.insert_config(entry.file, ConfigText { path, text });
    Ok(())
}

/// Each place's configuration files fit in one ConfigMap: the service's own, and those an
/// environment or a cluster gives instead.
pub(super) fn check_sizes(spec: &Spec, spans: &SpanIndex, read: &SpecFiles) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (name, service) in &spec.services {
        let listed: Vec<Listed<'_>> = service
            .listed_files(name)
            .into_iter()
            .filter(|entry| entry.listing == Listing::Config)
            .collect();
        let places = std::iter::once((None, None)).chain(listed.iter().map(|e| (e.env, e.cluster)));
        for (env, cluster) in places {
            let mut files: IndexMap<&str, &Listed<'_>> = IndexMap::new();
            for entry in &listed {
                let here = entry.env.is_none_or(|e| Some(e) == env)
                    && entry.cluster.is_none_or(|c| Some(c) == cluster);
                if here && let Some(mount) = entry.mount {
                    files.insert(mount, entry);
                }
            }
            let size: usize = files
                .values()
                .filter_map(|entry| read.config(entry.file))
                .map(|config| config.text.len())
                .sum();
            if size > MAX_CONFIG_MAP_BYTES {
                let at = ["services", name.as_str(), "config_files"];
                let place = match (env, cluster) {
                    (Some(env), Some(cluster)) => format!(" in `{env}` cluster `{cluster}`"),
                    (Some(env), None) => format!(" in `{env}`"),
                    _ => String::new(),
                };
                found.push(
                    Diagnostic::error(format!(
                        "the configuration files of `{name}`{place} take {size} bytes; a ConfigMap holds at most {MAX_CONFIG_MAP_BYTES}"
                    ))
                    .at(spans.key(&at))
                    .label("too large for a ConfigMap")
                    .help("keep large data in an image or a volume; mount only configuration here"),
                );
                break;
            }
        }
    }
    found
}
