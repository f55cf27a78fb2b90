mod capabilities;
pub(crate) mod schema;
pub(crate) mod schema_walk;
pub(crate) mod shapes;
mod spec_files;
pub(crate) mod syntax_errors;
mod toml_errors;
pub(crate) mod unknown_keys;

use serde::Deserialize;
use serde::de::{DeserializeOwned, IntoDeserializer};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::parse::schema::spec_schema;
use crate::source::Source;
use crate::source::diagnostic::Diagnostic;
use crate::source::span_index::SpanIndex;
use crate::spec::{
    BaseImage, Ci, Defaults, Enterprise, Environment, Exception, Observability, Service, Spec,
    Team, Terraform,
};
use toml_errors::to_diagnostic;

/// A spec that deserialized, with the place of every key for later diagnostics.
#[derive(Debug, Clone)]
pub(crate) struct ParsedSpec {
    pub spec: Spec,
    pub spans: SpanIndex,
}

/// TOML text → `Spec`, or every syntax, unknown-key and type problem found.
pub(crate) fn parse(source: &Source) -> Result<ParsedSpec, Vec<Diagnostic>> {
    let several = source.includes_files();
    if several {
        let loose = spec_files::loose_keys(source);
        if !loose.is_empty() {
            return Err(loose);
        }
    }
    let (root, syntax_errors) = DeTable::parse_recoverable(&source.text);
    if !syntax_errors.is_empty() {
        let twice = if several {
            spec_files::tables_written_twice(source)
        } else {
            Vec::new()
        };
        if !twice.is_empty() {
            return Err(twice);
        }
        return Err(vec![crate::parse::syntax_errors::syntax_error(
            &source.text,
            &syntax_errors,
        )]);
    }
    let schema = spec_schema();
    let mut problems = crate::parse::unknown_keys::unknown_keys(root.get_ref(), &schema);
    if several {
        problems.extend(spec_files::split_tables(source, root.get_ref()));
    }
    let shapes = crate::parse::shapes::shape_problems(root.get_ref(), &schema);
    // An entry whose shape is wrong is reported in the spec's words; serde's error for the
    // same entry would only repeat it in Rust's.
    let flagged: Vec<Vec<String>> = shapes.iter().map(|s| entry_of(&s.path)).collect();
    problems.extend(shapes.into_iter().map(|s| s.diagnostic));
    let spans = SpanIndex::build(root.get_ref());
    match Spec::deserialize(root.clone().into_deserializer()) {
        Ok(spec) if problems.is_empty() => Ok(ParsedSpec { spec, spans }),
        Ok(_) => Err(problems),
        Err(whole) => {
            problems.extend(section_errors(root.get_ref(), &flagged));
            if problems.is_empty() {
                problems.push(to_diagnostic(&whole));
            }
            Err(problems)
        }
    }
}

/// The section, or the entry of a keyed section, a key path lies in.
fn entry_of(path: &[String]) -> Vec<String> {
    let keyed = matches!(
        path.first().map(String::as_str),
        Some("environments" | "teams" | "base_images" | "services")
    );
    path.iter()
        .take(if keyed { 2 } else { 1 })
        .cloned()
        .collect()
}

/// Deserializes each section, and each entry of the keyed sections, on its own, so that one
/// broken service does not hide the problems of the next.
fn section_errors(root: &DeTable<'_>, flagged: &[Vec<String>]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let skip = |path: &[&str]| {
        flagged
            .iter()
            .any(|f| f.iter().map(String::as_str).eq(path.iter().copied()))
    };
    for (key, value) in root {
        let section = key.get_ref().as_ref();
        if skip(&[section]) {
            continue;
        }
        let problem = match section {
            "enterprise" => check::<Enterprise>(value),
            "environments" => entries::<Environment>(section, value, &skip),
            "teams" => entries::<Team>(section, value, &skip),
            "base_images" => entries::<BaseImage>(section, value, &skip),
            "exceptions" => check::<Vec<Exception>>(value),
            "ci" => check::<Ci>(value),
            "terraform" => check::<Terraform>(value),
            "observability" => check::<Observability>(value),
            "defaults" => check::<Defaults>(value),
            "services" => entries::<Service>(section, value, &skip),
            _ => Vec::new(),
        };
        found.extend(problem);
    }
    found
}

fn entries<T: DeserializeOwned>(
    section: &str,
    value: &Spanned<DeValue<'_>>,
    skip: &dyn Fn(&[&str]) -> bool,
) -> Vec<Diagnostic> {
    match value.get_ref() {
        DeValue::Table(table) => table
            .iter()
            .filter(|(name, _)| !skip(&[section, name.get_ref().as_ref()]))
            .flat_map(|(_, entry)| check::<T>(entry))
            .collect(),
        _ => check::<indexmap::IndexMap<String, T>>(value),
    }
}

fn check<T: DeserializeOwned>(value: &Spanned<DeValue<'_>>) -> Vec<Diagnostic> {
    match T::deserialize(value.clone().into_deserializer()) {
        Ok(_) => Vec::new(),
        // The schema walk has already reported every unknown key, with suggestions.
        Err(error) if error.message().starts_with("unknown field") => Vec::new(),
        Err(error) => vec![to_diagnostic(&error)],
    }
}
