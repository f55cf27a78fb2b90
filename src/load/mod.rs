//! Spec → the files beside it: reads every file the escape hatch lists (`manifests`,
//! `patches`) and every configuration file (`config_files`), from where the spec was read,
//! and refuses one that is outside the spec's folder, missing, not what its key says it is
//! (YAML objects or patches; text), or holding a credential, at the entry that lists it.
//! Runs after validation and before resolution, which then never reads anything.

mod config;
mod credentials;
mod objects;
mod patches;

use serde_json::Value;

use crate::formats::spec_file_path::contained;
use crate::model::{SpecFile, SpecFiles};
use crate::source::Source;
use crate::source::diagnostic::Diagnostic;
use crate::source::span_index::SpanIndex;
use crate::spec::{Listed, Listing, Spec};

/// Reads every file the spec lists: each problem at the entry that lists the file, or the
/// files.
pub(crate) fn load(
    spec: &Spec,
    spans: &SpanIndex,
    source: &Source,
) -> Result<SpecFiles, Vec<Diagnostic>> {
    let mut read = SpecFiles::default();
    let mut found = Vec::new();
    for (name, service) in &spec.services {
        let listed = service.listed_files(name);
        for entry in &listed {
            match load_one(entry, source, &mut read) {
                Ok(Some(file)) => read.insert(entry.file, file),
                Ok(None) => {}
                Err((message, help)) => found.push(at_entry(spans, entry, message, help)),
            }
        }
    }
    if found.is_empty() {
        found = config::check_sizes(spec, spans, &read);
    }
    if found.is_empty() {
        Ok(read)
    } else {
        Err(found)
    }
}

/// One entry's file, unless an earlier entry read it already.
fn load_one(
    entry: &Listed<'_>,
    source: &Source,
    read: &mut SpecFiles,
) -> Result<Option<SpecFile>, (String, String)> {
    let path = contained(entry.file).map_err(|problem| problem.message(entry.file))?;
    if entry.listing == Listing::Config {
        config::load(entry, source, read, path)?;
        return Ok(None);
    }
    let file = if let Some(file) = read.get(entry.file) {
        file.clone()
    } else {
        let text = source.read_beside(&path).map_err(|problem| {
            (
                problem.message(entry.file),
                "list a YAML file in the spec's folder or below it".to_owned(),
            )
        })?;
        let documents = parse_documents(&text).map_err(|e| {
            (
                format!("`{}` is not YAML: {}", entry.file, first_line(&e)),
                "write Kubernetes objects (or patches) as YAML documents".to_owned(),
            )
        })?;
        SpecFile {
            path,
            text,
            documents,
        }
    };
    if let Some((at, what)) = credentials::credential(&file.documents) {
        return Err((
            format!("`{}` holds {what} at {at}, and it would be committed to Git", entry.file),
            "read it from the environment's secret store by reference instead: `secrets = { NAME = \"<entry>#<property>\" }`".to_owned(),
        ));
    }
    match entry.listing {
        Listing::Manifest => objects::check(entry.file, &file.documents)?,
        Listing::Patch => patches::check(entry.file, &file.documents, entry.target.is_some())?,
        Listing::Config => {}
    }
    Ok(read.get(entry.file).is_none().then_some(file))
}

/// Every non-empty document of a YAML stream, as `fleetc render` reads a file.
fn parse_documents(text: &str) -> Result<Vec<Value>, String> {
    let documents: Vec<Value> = serde_saphyr::from_str_multiple(text).map_err(|e| e.to_string())?;
    Ok(documents.into_iter().filter(|d| !d.is_null()).collect())
}

/// The first line of a parser's message, without the word `error` it starts with.
fn first_line(text: &str) -> &str {
    let line = text.lines().next().unwrap_or(text);
    line.strip_prefix("error: ").unwrap_or(line)
}

/// The span of an entry: its `file` where the entry is a table.
fn at_entry(spans: &SpanIndex, entry: &Listed<'_>, message: String, help: String) -> Diagnostic {
    let key = entry.key_parts();
    let with_file = [&key[..], &["file"]].concat();
    let span = spans.value(&with_file).or_else(|| spans.value(&key));
    Diagnostic::error(message)
        .at(span)
        .label(format!("listed in `{}`", key[..key.len() - 1].join(".")))
        .help(help)
}
