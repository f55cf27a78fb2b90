//! The rules of a spec written in several files: an included file holds whole tables, and
//! each table (a service, a team, an environment, a base image, a section such as `[ci]`) is
//! written in one file, so every key has one place and one file to edit.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::source::Source;
use crate::source::diagnostic::Diagnostic;

/// The sections whose entries are tables of their own (`services.<name>`).
const KEYED: [&str; 4] = ["environments", "teams", "base_images", "services"];

/// A key before the first table of an included file: read with the file before it, it would
/// belong to that file's last table.
pub(crate) fn loose_keys(source: &Source) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for file in source.files().iter().skip(1) {
        let text = &source.text[file.range.clone()];
        let mut offset = file.range.start;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                offset += line.len();
                continue;
            }
            if !trimmed.starts_with('[') {
                let start = offset + (line.len() - line.trim_start().len());
                let end = offset + line.trim_end().len();
                found.push(
                    Diagnostic::error(format!(
                        "`{}` starts with a key outside any table; an included file holds whole tables",
                        file.relative
                    ))
                    .at(Some(start..end))
                    .label("before the file's first table")
                    .help("write it under its table (`[services.<name>]`, `[teams.<name>]`, …), or in the root spec"),
                );
            }
            break;
        }
    }
    found
}

/// Each table of the spec whose keys are written in more than one file.
pub(crate) fn split_tables(source: &Source, root: &DeTable<'_>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (section, value) in root {
        let name = section.get_ref().as_ref();
        let DeValue::Table(table) = value.get_ref() else {
            continue;
        };
        if KEYED.contains(&name) {
            for (entry, value) in table {
                if let DeValue::Table(fields) = value.get_ref() {
                    let path = format!("{name}.{}", entry.get_ref());
                    found.extend(one_file(source, &path, entry.span(), fields));
                }
            }
        } else {
            found.extend(one_file(source, name, section.span(), table));
        }
    }
    found
}

/// The place of the first key of table `path` written in another file than its first key.
fn one_file(
    source: &Source,
    path: &str,
    own: Range<usize>,
    fields: &DeTable<'_>,
) -> Option<Diagnostic> {
    let file_of = |span: &Range<usize>| source.file_at(span.start).map(|f| f.range.start);
    let first = file_of(&own);
    let elsewhere = fields
        .iter()
        .map(|(key, _)| key.span())
        .find(|span| file_of(span) != first)?;
    Some(two_places(source, path, &own, elsewhere))
}

fn two_places(
    source: &Source,
    path: &str,
    first: &Range<usize>,
    second: Range<usize>,
) -> Diagnostic {
    Diagnostic::error(format!(
        "`{path}` is written in two files: here and at {}",
        source.location(first)
    ))
    .at(Some(second))
    .help("write each table in one file: move these keys to the file that holds the rest of it")
}

/// The tables written in two files, when the spec read as one text does not parse: TOML
/// says a table is defined twice, and only each file read on its own says where both are.
pub(crate) fn tables_written_twice(source: &Source) -> Vec<Diagnostic> {
    let mut first: Vec<(String, Range<usize>)> = Vec::new();
    let mut found = Vec::new();
    for file in source.files() {
        let text = &source.text[file.range.clone()];
        let (table, _) = DeTable::parse_recoverable(text);
        let shift = |span: Range<usize>| span.start + file.range.start..span.end + file.range.start;
        for (path, span) in tables_of(table.get_ref()) {
            let span = shift(span);
            match first.iter().find(|(known, _)| *known == path) {
                Some((_, at)) if source.file_at(at.start) != source.file_at(span.start) => {
                    found.push(two_places(source, &path, at, span));
                }
                Some(_) => {}
                None => first.push((path, span)),
            }
        }
    }
    found
}

/// The tables a file writes (a section, or an entry of a keyed section), each with its key's
/// place in the file.
fn tables_of(root: &DeTable<'_>) -> Vec<(String, Range<usize>)> {
    let mut found = Vec::new();
    for (section, value) in root {
        let name = section.get_ref().as_ref();
        match value.get_ref() {
            DeValue::Table(table) if KEYED.contains(&name) => {
                for (entry, _) in table {
                    found.push((format!("{name}.{}", entry.get_ref()), entry.span()));
                }
            }
            DeValue::Array(_) => {}
            _ => found.push((name.to_owned(), section.span())),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(root: &str, parts: &[(&str, &str)]) -> Source {
        Source::new("spec/enterprise.toml", root).with_files(
            parts
                .iter()
                .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
                .collect(),
        )
    }

    /// Where the one problem found is located.
    fn only_place(source: &Source, found: &[Diagnostic]) -> String {
        assert_eq!(found.len(), 1, "{found:?}");
        source.location(found[0].span.as_ref().unwrap())
    }

    #[test]
    fn a_key_before_an_included_files_first_table_is_located_there() {
        let source = spec(
            "[enterprise]\n",
            &[
                ("a.toml", "# cart\n\nteam = \"x\"\n[services.cart]\n"),
                ("b.toml", "[services.b]\n"),
            ],
        );
        assert_eq!(only_place(&source, &loose_keys(&source)), "spec/a.toml:3:1");
    }

    #[test]
    fn a_table_split_between_files_names_both_places() {
        let source = spec(
            "[services.cart]\nteam = \"x\"\n",
            &[("a.toml", "[services.cart.overrides.prod]\nreplicas = 2\n")],
        );
        let (root, errors) = DeTable::parse_recoverable(&source.text);
        assert!(errors.is_empty());
        let found = split_tables(&source, root.get_ref());
        assert_eq!(only_place(&source, &found), "spec/a.toml:1:16");
        assert!(
            found[0]
                .message
                .contains("`services.cart` is written in two files")
        );
        assert!(
            found[0].message.contains("spec/enterprise.toml:1:11"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn tables_in_files_of_their_own_are_one_file_each() {
        let source = spec(
            "[enterprise]\nname = \"a\"\n[services.a]\nteam = \"x\"\n",
            &[(
                "b.toml",
                "[services.b]\nteam = \"y\"\n[teams.y]\nowners = []\n",
            )],
        );
        let (root, _) = DeTable::parse_recoverable(&source.text);
        assert!(split_tables(&source, root.get_ref()).is_empty());
        assert!(tables_written_twice(&source).is_empty());
    }

    #[test]
    fn a_table_defined_in_two_files_names_both() {
        let source = spec(
            "[services.cart]\nteam = \"x\"\n",
            &[("a.toml", "[services.cart]\nteam = \"y\"\n")],
        );
        let found = tables_written_twice(&source);
        assert_eq!(only_place(&source, &found), "spec/a.toml:1:11");
        assert!(
            found[0].message.contains("spec/enterprise.toml:1:11"),
            "{}",
            found[0].message
        );
    }
}
