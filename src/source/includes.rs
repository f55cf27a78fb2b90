//! `include = ["services/*.toml"]`: the files a spec's root includes, by path or pattern
//! relative to the spec's folder, found and read where the root was read (the working folder,
//! or a git revision), in the order of the patterns and, within one, of their paths.

use std::ops::Range;
use std::path::Path;

use glob::{MatchOptions, Pattern};
use toml::de::{DeTable, DeValue};

use super::diagnostic::Diagnostic;
use super::{Source, check_size};

/// The key of the root that lists the files it includes.
pub(crate) const INCLUDE: &str = "include";

/// An include the spec's root cannot have: the root, to show it in, and what is wrong.
#[derive(Debug)]
pub(crate) struct IncludeError {
    pub root: Box<Source>,
    pub diagnostic: Diagnostic,
}

pub(crate) const MATCHING: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: true,
};

impl Source {
    /// The spec with the files its root includes; the spec itself when it includes none.
    pub(crate) fn with_includes(self) -> Result<Self, IncludeError> {
        let patterns = include_patterns(&self.text);
        if patterns.is_empty() {
            return Ok(self);
        }
        let found = self.matched(&patterns)?;
        let mut included = Vec::with_capacity(found.len());
        let mut total = self.text.len();
        for (relative, span) in found {
            let text = self.read_beside(&relative).map_err(|why| {
                let message = why.message(&relative);
                self.refused(
                    Diagnostic::error(format!("an included file cannot be read: {message}"))
                        .at(Some(span))
                        .help("an included file is a UTF-8 TOML file inside the spec's folder"),
                )
            })?;
            total += text.len() + 64;
            included.push((relative, text));
        }
        if let Err(message) = check_size(&self.display_path(), total) {
            let span = patterns[0].1.clone();
            return Err(self.refused(
                Diagnostic::error(format!("{message} (with the files it includes)")).at(Some(span)),
            ));
        }
        Ok(self.with_files(included))
    }

    /// The files `patterns` match, each once with the place of the first pattern matching it.
    fn matched(
        &self,
        patterns: &[(String, Range<usize>)],
    ) -> Result<Vec<(String, Range<usize>)>, IncludeError> {
        let mut found: Vec<(String, Range<usize>)> = Vec::new();
        let root_name = self
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        for (pattern, span) in patterns {
            let fail = |message: String, help: &str| {
                Diagnostic::error(message).at(Some(span.clone())).help(help)
            };
            if let Some(problem) = pattern_problem(pattern) {
                return Err(self.refused(fail(format!("`{pattern}` {problem}"), PATTERN_HELP)));
            }
            let glob = Pattern::new(pattern).map_err(|e| {
                self.refused(fail(
                    format!("`{pattern}` is not a pattern: {}", e.msg),
                    PATTERN_HELP,
                ))
            })?;
            let literal = !pattern.contains(['*', '?', '[']);
            let listed = self.candidates(pattern).map_err(|why| {
                self.refused(fail(
                    format!("cannot list the files of `{pattern}`: {why}"),
                    PATTERN_HELP,
                ))
            })?;
            let mut matched: Vec<String> = listed
                .into_iter()
                .filter(|path| glob.matches_with(path, MATCHING))
                .filter(|path| Some(path.as_str()) != root_name.as_deref())
                .collect();
            matched.sort();
            if literal && matched.is_empty() {
                let message = format!("`{pattern}` does not exist beside the spec");
                return Err(self.refused(fail(message, "give the path of a file relative to the spec's folder, or remove it from `include`")));
            }
            for path in matched {
                if !found.iter().any(|(known, _)| *known == path) {
                    found.push((path, span.clone()));
                }
            }
        }
        Ok(found)
    }

    fn refused(&self, diagnostic: Diagnostic) -> IncludeError {
        IncludeError {
            root: Box::new(self.clone()),
            diagnostic,
        }
    }

    /// The files (relative to the spec's folder) below the folder `pattern` starts in, as
    /// deep as it reaches.
    fn candidates(&self, pattern: &str) -> Result<Vec<String>, String> {
        let parts: Vec<&str> = pattern.split('/').collect();
        let fixed = parts
            .iter()
            .take_while(|part| !part.contains(['*', '?', '[']))
            .count()
            .min(parts.len() - 1);
        let prefix = parts[..fixed].join("/");
        let depth = if pattern.contains("**") {
            usize::MAX
        } else {
            parts.len() - fixed
        };
        match &self.beside {
            Some(reader) => reader.list(&prefix, depth),
            None => Ok(files_on_disk(&self.folder(), &prefix, depth)),
        }
    }
}

const PATTERN_HELP: &str = "list paths or patterns of `.toml` files relative to the spec's folder, such as \"services/*.toml\"";

/// The files `patterns` match beside the spec at `spec` on disk, in the order the spec
/// includes them; `None` when one cannot be listed or a path names no file.
pub(crate) fn included_on_disk(spec: &Path, patterns: &[String]) -> Option<Vec<String>> {
    let patterns: Vec<(String, Range<usize>)> = patterns
        .iter()
        .map(|pattern| (pattern.clone(), 0..0))
        .collect();
    let found = Source::new(spec, String::new()).matched(&patterns).ok()?;
    Some(found.into_iter().map(|(path, _)| path).collect())
}

/// Why `pattern` cannot name included files, if it cannot.
pub(crate) fn pattern_problem(pattern: &str) -> Option<&'static str> {
    if pattern.is_empty() || pattern.starts_with('/') || pattern.contains('\\') {
        return Some("is not a path relative to the spec's folder");
    }
    if pattern
        .split('/')
        .any(|part| part == ".." || part == "." || part.is_empty())
    {
        return Some("leaves the spec's folder or has an empty part (`..`, `.`, `//`)");
    }
    if Path::new(pattern)
        .extension()
        .is_none_or(|extension| extension != "toml")
    {
        return Some("does not end in `.toml`; an included file is a TOML file");
    }
    None
}

/// The patterns of the root's `include`, each with the place of its string; none when the
/// root has no `include` or it is not a list of strings (the schema then says what it is).
pub(crate) fn include_patterns(text: &str) -> Vec<(String, Range<usize>)> {
    if !text.contains(INCLUDE) {
        return Vec::new();
    }
    let Ok(root) = DeTable::parse(text) else {
        return Vec::new();
    };
    let Some((_, value)) = root
        .get_ref()
        .iter()
        .find(|(key, _)| key.get_ref().as_ref() == INCLUDE)
    else {
        return Vec::new();
    };
    let DeValue::Array(items) = value.get_ref() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item.get_ref() {
            DeValue::String(pattern) => Some((pattern.to_string(), item.span())),
            _ => None,
        })
        .collect()
}

/// The regular files below `folder/prefix`, `depth` folders deep at most, relative to
/// `folder` with `/` between parts. Links are not followed.
fn files_on_disk(folder: &Path, prefix: &str, depth: usize) -> Vec<String> {
    let start = if prefix.is_empty() {
        folder.to_path_buf()
    } else {
        folder.join(prefix)
    };
    walkdir::WalkDir::new(&start)
        .max_depth(depth)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_type().is_dir())
        .filter_map(|entry| {
            let relative = entry.path().strip_prefix(folder).ok()?;
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            Some(parts.join("/"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_stay_relative_inside_the_folder_and_name_toml_files() {
        for bad in [
            "",
            "/etc/x.toml",
            "../x.toml",
            "a/../x.toml",
            "a//x.toml",
            "a\\x.toml",
            "a/*.yaml",
            "./x.toml",
        ] {
            assert!(pattern_problem(bad).is_some(), "{bad}");
        }
        for good in [
            "teams.toml",
            "services/*.toml",
            "teams/**/*.toml",
            "t/[a-c]*.toml",
        ] {
            assert_eq!(pattern_problem(good), None, "{good}");
        }
    }

    #[test]
    fn the_patterns_are_read_with_their_places() {
        let text = "include = [\"a.toml\", \"s/*.toml\"]\n[enterprise]\n";
        let found = include_patterns(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[1].1.clone()], "\"s/*.toml\"");
        assert!(include_patterns("[enterprise]\nname = \"include\"\n").is_empty());
        assert!(include_patterns("include = 3\n").is_empty());
    }

    #[test]
    fn a_pattern_matches_within_one_folder_unless_it_says_every_folder() {
        let star = Pattern::new("services/*.toml").unwrap();
        assert!(star.matches_with("services/cart.toml", MATCHING));
        assert!(!star.matches_with("services/deep/cart.toml", MATCHING));
        assert!(!star.matches_with("services/.hidden.toml", MATCHING));
        let deep = Pattern::new("services/**/*.toml").unwrap();
        assert!(deep.matches_with("services/deep/cart.toml", MATCHING));
    }
}
