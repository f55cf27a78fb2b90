//! GitHub's reading of a CODEOWNERS file, written from GitHub's documentation and gitignore's
//! pattern rules, independently of how fleetc writes the file: the last matching line wins; a
//! leading `/` anchors a pattern at the repository root, as does a `/` inside it; `*` and `?`
//! stay within one folder; `**` crosses folders; a trailing `/` matches what the folder holds;
//! a pattern that names a folder covers everything inside it, except that `folder/*` covers
//! only the files directly in it (GitHub's documented exception to gitignore).

use regex::Regex;

/// The owners GitHub assigns to `path` (repository-relative, no leading slash).
pub fn owners<'a>(codeowners: &'a str, path: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    for line in codeowners.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let pattern = words.next().unwrap();
        if matches(pattern, path) {
            found = words.collect();
        }
    }
    found
}

pub fn matches(pattern: &str, path: &str) -> bool {
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
