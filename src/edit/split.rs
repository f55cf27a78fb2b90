//! `fleetc split`: a spec of one file written as a root and one file per team, each holding
//! the team's table and its services' tables, as written (comments and all). The root keeps
//! everything else and includes the team files.

use std::collections::BTreeMap;

use super::EditError;
use crate::spec::Spec;

/// The spec split: the root's new text, and each team file's path (relative to the spec's
/// folder) and text, in the order of the teams' names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split {
    pub(crate) root: String,
    pub(crate) files: Vec<(String, String)>,
}

/// One table of the text: its header line, the lines up to the next header, and the comment
/// lines right above it.
struct Block<'a> {
    header: &'a str,
    text: &'a str,
}

/// Splits `text` (which parsed as `spec`) into a root and one file per team in `folder`.
pub(crate) fn split_by_team(spec: &Spec, text: &str, folder: &str) -> Result<Split, EditError> {
    if !spec.include.is_empty() {
        return Err(EditError::invalid("the spec already includes other files")
            .help("split a spec written in one file")
            .at(&["include"]));
    }
    let (preamble, blocks) = blocks(text);
    let mut root = String::from(preamble);
    let mut files: BTreeMap<&str, String> = BTreeMap::new();
    for block in &blocks {
        match owner(spec, block.header)? {
            Some(team) => files.entry(team).or_default().push_str(block.text),
            None => root.push_str(block.text),
        }
    }
    if files.is_empty() {
        return Err(EditError::invalid(
            "the spec has no team tables or service tables to move",
        ));
    }
    let include = format!("include = [\"{folder}/*.toml\"]\n\n");
    // The key goes before the first table, after the comments that open the file.
    let at = first_table(&root);
    root.insert_str(at, &include);
    let up = "../".repeat(folder.split('/').count());
    // The team files name the schema of included files where the root names the spec's.
    let schema = root
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("#:schema "))
        .map(|path| {
            let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
            let slash = if folder.is_empty() { "" } else { "/" };
            format!("#:schema {up}{folder}{slash}enterprise-part.schema.json\n")
        })
        .unwrap_or_default();
    let files = files
        .into_iter()
        .map(|(team, body)| {
            let path = format!("{folder}/{team}.toml");
            (path, format!("{schema}{}", body.trim_start_matches('\n')))
        })
        .collect();
    Ok(Split { root, files })
}

/// The team whose file a table goes to: its own for `[teams.<t>]`, its service's team for
/// `[services.<s>…]`; `None` for a table the root keeps.
fn owner<'s>(spec: &'s Spec, header: &str) -> Result<Option<&'s str>, EditError> {
    let inner = header
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim();
    let mut parts = inner.split('.').map(|p| p.trim().trim_matches('"'));
    let (Some(section), Some(name)) = (parts.next(), parts.next()) else {
        return Ok(None);
    };
    match section {
        "teams" => Ok(spec
            .teams
            .get_key_value(name)
            .map(|(team, _)| team.as_str())),
        "services" => {
            let service = spec.services.get(name).ok_or_else(|| {
                EditError::invalid(format!(
                    "`[services.{name}]` is not a service fleetc can place in a team's file"
                ))
                .help("write each service as a table of its own, `[services.<name>]`")
            })?;
            Ok(Some(service.team.as_str()))
        }
        _ => Ok(None),
    }
}

/// The text before the first table, and each table with the comments right above it.
fn blocks(text: &str) -> (&str, Vec<Block<'_>>) {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    // Where the comment lines right above the coming header began (a blank line between a
    // comment and a header leaves the comment where it is).
    let mut above: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            starts.push(above.unwrap_or(offset));
            above = None;
        } else if trimmed.starts_with('#') {
            above.get_or_insert(offset);
        } else {
            above = None;
        }
        offset += line.len();
    }
    let Some(&first) = starts.first() else {
        return (text, Vec::new());
    };
    let mut blocks = Vec::with_capacity(starts.len());
    for (index, &start) in starts.iter().enumerate() {
        let end = starts.get(index + 1).copied().unwrap_or(text.len());
        let body = &text[start..end];
        let header = body
            .lines()
            .find(|line| line.trim_start().starts_with('['))
            .unwrap_or_default();
        blocks.push(Block { header, text: body });
    }
    (&text[..first], blocks)
}

/// Where the first table starts, or the end of the opening comments when there is none.
fn first_table(text: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if !(trimmed.starts_with('#') || trimmed.trim().is_empty()) {
            return offset;
        }
        offset += line.len();
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::test_spec::{bundled, parsed};

    #[test]
    fn each_team_gets_its_table_and_its_services_with_their_comments() {
        let text = bundled();
        let spec = parsed(&text);
        let split = split_by_team(&spec, &text, "teams").unwrap();
        assert!(
            split.root.contains("include = [\"teams/*.toml\"]\n"),
            "{}",
            split.root
        );
        assert!(!split.root.contains("[services."), "{}", split.root);
        assert!(!split.root.contains("[teams."), "{}", split.root);
        let mut moved = split.root.clone();
        for (path, body) in &split.files {
            assert!(path.starts_with("teams/") && path.rsplit('.').next() == Some("toml"));
            assert!(
                body.contains("[teams.") || body.contains("[services."),
                "{body}"
            );
            moved.push_str(body);
        }
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            assert!(moved.contains(line), "`{line}` is kept");
        }
    }

    #[test]
    fn a_spec_that_includes_files_is_not_split_again() {
        let text = bundled();
        let mut spec = parsed(&text);
        spec.include = vec!["teams/*.toml".to_owned()];
        assert!(split_by_team(&spec, &text, "teams").is_err());
    }

    #[test]
    fn a_comment_above_a_table_moves_with_it() {
        let (preamble, blocks) = blocks("# top\n\n[a]\nx = 1\n\n# about b\n[b.c]\ny = 2\n");
        assert_eq!(preamble, "# top\n\n");
        assert_eq!(blocks[0].text, "[a]\nx = 1\n\n");
        assert_eq!(blocks[1].text, "# about b\n[b.c]\ny = 2\n");
        assert_eq!(blocks[1].header, "[b.c]");
    }
}
