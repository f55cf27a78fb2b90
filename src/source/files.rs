//! A spec written in several files: the root and the files it includes, read as one text in
//! which each file's text follows the one before, on a line of its own after a marker line of
//! no file's. Every place in the text belongs to one file, so diagnostics name the file, line
//! and column the key is written at; an edit of the whole text splits back into the files at
//! the markers, which an edit never moves (they are comments before a file's first table).

use std::path::PathBuf;

use super::spec_file::SpecFile;
use super::{Source, display_path};

/// The marker line before the text of the `index`th included file.
fn marker(index: usize) -> String {
    format!("# fleetc: the file included {index}\n")
}

impl Source {
    /// The spec of `root` (already in `self`) and the included files, in order, as one text.
    pub(crate) fn with_files(mut self, included: Vec<(String, String)>) -> Self {
        if included.is_empty() {
            return self;
        }
        let mut text = std::mem::take(&mut self.text);
        let mut files = vec![SpecFile {
            relative: String::new(),
            range: 0..text.len(),
            newline_added: false,
        }];
        close_line(&mut text, &mut files[0]);
        for (index, (relative, part)) in included.into_iter().enumerate() {
            text.push_str(&marker(index + 1));
            let start = text.len();
            text.push_str(&part);
            let mut file = SpecFile {
                relative,
                range: start..text.len(),
                newline_added: false,
            };
            close_line(&mut text, &mut file);
            files.push(file);
        }
        self.text = text;
        self.files = files;
        self.line_starts = std::sync::OnceLock::new();
        self
    }

    /// The files the spec is written in, the root first; one when it includes none.
    pub(crate) fn files(&self) -> Vec<SpecFile> {
        if self.files.is_empty() {
            return vec![SpecFile {
                relative: String::new(),
                range: 0..self.text.len(),
                newline_added: false,
            }];
        }
        self.files.clone()
    }

    /// Whether the spec is written in more than one file.
    pub(crate) fn includes_files(&self) -> bool {
        self.files.len() > 1
    }

    /// The included file that holds byte `offset` of the text; `None` for the root.
    pub(crate) fn file_at(&self, offset: usize) -> Option<&SpecFile> {
        let index = self
            .files
            .partition_point(|file| file.range.start <= offset)
            .checked_sub(1)?;
        (index > 0).then(|| &self.files[index])
    }

    /// The path of the file holding byte `offset`, as shown to people.
    pub fn display_path_at(&self, offset: usize) -> String {
        match self.file_at(offset) {
            Some(file) => {
                let shown = display_path(&self.path_of(&file.relative));
                match &self.revision {
                    Some(revision) => format!("{shown}@{revision}"),
                    None => shown,
                }
            }
            None => self.display_path(),
        }
    }

    /// The path of a file of the spec, from its path relative to the spec's folder.
    pub(crate) fn path_of(&self, relative: &str) -> PathBuf {
        if relative.is_empty() {
            return self.path.clone();
        }
        match self.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.join(relative),
            _ => PathBuf::from(relative),
        }
    }

    /// The text of each file of the spec as `text` (this spec's text, edited) has it, the
    /// root first, each with the path it is written at.
    pub(crate) fn split(&self, text: &str) -> Result<Vec<(PathBuf, String)>, String> {
        if self.files.is_empty() {
            return Ok(vec![(self.path.clone(), text.to_owned())]);
        }
        let mut starts = Vec::with_capacity(self.files.len());
        let mut from = 0;
        for index in 1..self.files.len() {
            let marker = marker(index);
            let found = text[from..]
                .match_indices(&marker)
                .map(|(at, _)| from + at)
                .find(|&at| at == 0 || text.as_bytes()[at - 1] == b'\n')
                .ok_or_else(|| {
                    format!(
                        "the edit moved the start of `{}`; fleetc cannot tell which file to write it in",
                        display_path(&self.path_of(&self.files[index].relative))
                    )
                })?;
            starts.push((found, found + marker.len()));
            from = found + marker.len();
        }
        let mut texts = Vec::with_capacity(self.files.len());
        for (index, file) in self.files.iter().enumerate() {
            let start = if index == 0 { 0 } else { starts[index - 1].1 };
            let end = starts.get(index).map_or(text.len(), |&(at, _)| at);
            let mut part = &text[start..end];
            if file.newline_added {
                part = part.strip_suffix('\n').unwrap_or(part);
            }
            texts.push((self.path_of(&file.relative), part.to_owned()));
        }
        Ok(texts)
    }

    /// This spec with `texts` (one for each of its files, the root first) in place of its
    /// files' texts.
    pub(crate) fn with_texts(&self, mut texts: Vec<String>) -> Source {
        let root = if texts.is_empty() {
            String::new()
        } else {
            texts.remove(0)
        };
        let mut source = Source::new(self.path.clone(), root);
        source.revision.clone_from(&self.revision);
        source.beside.clone_from(&self.beside);
        source.tree_dir.clone_from(&self.tree_dir);
        source.read_beside.clone_from(&self.read_beside);
        let included = self
            .files
            .iter()
            .skip(1)
            .zip(texts)
            .map(|(file, text)| (file.relative.clone(), text))
            .collect();
        source.with_files(included)
    }
}

/// Ends `file`, the last text of `text`, with a newline when it has none.
fn close_line(text: &mut String, file: &mut SpecFile) {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
        file.newline_added = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Source {
        Source::new(
            "spec/enterprise.toml",
            "include = [\"teams/*.toml\"]\n[enterprise]\nname = \"a\"",
        )
        .with_files(vec![
            (
                "teams/a.toml".to_owned(),
                "[services.a]\nteam = \"a\"\n".to_owned(),
            ),
            (
                "teams/b.toml".to_owned(),
                "# b's\n[services.b]\nteam = \"b\"".to_owned(),
            ),
        ])
    }

    #[test]
    fn each_place_is_located_in_the_file_that_holds_it() {
        let source = spec();
        let at = |needle: &str| source.text.find(needle).unwrap();
        assert_eq!(
            source.location(&(at("name")..at("name") + 4)),
            "spec/enterprise.toml:3:1"
        );
        assert_eq!(
            source.location(&(at("[services.a]")..at("[services.a]"))),
            "spec/teams/a.toml:1:1"
        );
        let b = at("team = \"b\"") + 7;
        assert_eq!(source.location(&(b..b)), "spec/teams/b.toml:3:8");
        let (line, lines) = source.lines_around(b, b);
        assert_eq!((line, &source.text[lines]), (3, "team = \"b\""));
    }

    #[test]
    fn an_edited_text_splits_back_into_its_files_as_written() {
        let source = spec();
        let files = source.split(&source.text).unwrap();
        let texts: Vec<&str> = files.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "include = [\"teams/*.toml\"]\n[enterprise]\nname = \"a\"",
                "[services.a]\nteam = \"a\"\n",
                "# b's\n[services.b]\nteam = \"b\""
            ]
        );
        assert_eq!(files[2].0, PathBuf::from("spec/teams/b.toml"));
        let edited = source
            .text
            .replace("team = \"a\"", "team = \"a\"\nversion = \"2\"");
        let split = source.split(&edited).unwrap();
        let replaced = source.with_texts(split.into_iter().map(|(_, t)| t).collect());
        let texts = replaced.split(&replaced.text).unwrap();
        assert_eq!(texts[1].1, "[services.a]\nteam = \"a\"\nversion = \"2\"\n");
        assert_eq!(texts[0].1, files[0].1);
    }

    #[test]
    fn an_edit_that_loses_a_files_start_is_refused() {
        let source = spec();
        let edited = source.text.replace("# fleetc: the file included 2\n", "");
        let error = source.split(&edited).unwrap_err();
        assert!(error.contains("spec/teams/b.toml"), "{error}");
    }

    #[test]
    fn a_spec_of_one_file_is_its_own_only_file() {
        let source = Source::new("enterprise.toml", "[enterprise]\n");
        assert!(!source.includes_files());
        assert_eq!(source.files().len(), 1);
        assert_eq!(source.display_path_at(3), "enterprise.toml");
    }
}
