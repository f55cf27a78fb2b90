//! GitHub's reading of a CODEOWNERS file, written from GitHub's documentation and gitignore's
//! pattern rules, independently of how fleetc writes the file: the last matching line wins; a
//! leading `/` anchors a pattern at the repository root, as does a `/` inside it; `*` and `?`
//! stay within one folder; `**` crosses folders; a trailing `/` matches what the folder holds;
//! a pattern that names a folder covers everything inside it, except that `folder/*` covers
//! only the files directly in it (GitHub's documented exception to gitignore).

use regex::Regex;

/// The rules of a CODEOWNERS file, in order.
pub(crate) struct Codeowners<'a> {
    rules: Vec<(Regex, Vec<&'a str>)>,
}

impl<'a> Codeowners<'a> {
    pub(crate) fn parse(text: &'a str) -> Self {
        let rules = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| {
                let mut words = line.split_whitespace();
                let pattern = to_regex(words.next().unwrap());
                (pattern, words.collect())
            })
            .collect();
        Self { rules }
    }

    /// The owners GitHub assigns to `path` (repository-relative, no leading slash): those of
    /// the last rule that matches.
    pub(crate) fn owners(&self, path: &str) -> Vec<&'a str> {
        self.rules
            .iter()
            .rev()
            .find(|(pattern, _)| pattern.is_match(path))
            .map(|(_, owners)| owners.clone())
            .unwrap_or_default()
    }
}

pub(crate) fn owners<'a>(codeowners: &'a str, path: &str) -> Vec<&'a str> {
    Codeowners::parse(codeowners).owners(path)
}

/// The owners GitHub asks to review a pull request: those the CODEOWNERS file of its base
/// branch assigns to any file it adds, changes or deletes (repository-relative paths).
pub(crate) fn required<'p>(
    base_codeowners: &str,
    changed: impl IntoIterator<Item = &'p str>,
) -> std::collections::BTreeSet<String> {
    let rules = Codeowners::parse(base_codeowners);
    changed
        .into_iter()
        .flat_map(|path| rules.owners(path))
        .map(str::to_owned)
        .collect()
}

pub(crate) fn matches(pattern: &str, path: &str) -> bool {
    to_regex(pattern).is_match(path)
}

fn to_regex(pattern: &str) -> Regex {
    let folder_only = pattern.ends_with('/');
    let body = pattern.trim_end_matches('/');
    let anchored = body.contains('/');
    let body = body.trim_start_matches('/');
    let mut regex = String::from("^");
    if !anchored {
        regex.push_str("(?:.*/)?");
    }
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("**/") {
            regex.push_str("(?:.*/)?");
            rest = after;
        } else if let Some(after) = rest.strip_prefix("**") {
            regex.push_str(".*");
            rest = after;
        } else {
            match c {
                '*' => regex.push_str("[^/]*"),
                '?' => regex.push_str("[^/]"),
                c => regex.push_str(&regex::escape(&c.to_string())),
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    regex.push_str(if folder_only {
        "/.+"
    } else if body == "*" || body.ends_with("/*") {
        ""
    } else {
        "(?:/.+)?"
    });
    regex.push('$');
    Regex::new(&regex).unwrap()
}
