//! `fleetc merge-driver install`: the repository's git configuration names the driver, and
//! `.gitattributes` (committed, so every clone merges alike) gives it the spec's files and the
//! tree.

use std::path::Path;

/// The first line of the block fleetc keeps in `.gitattributes`; the block ends at the first
/// blank line after it.
const BLOCK_START: &str =
    "# Written by `fleetc merge-driver install`: the spec merges by key, the tree is regenerated.";

/// The driver's name in git's configuration and in `.gitattributes`.
pub(crate) const DRIVER: &str = "fleetc";

/// `.gitattributes` with fleetc's block (for the spec's files `spec_patterns` and the tree
/// `tree`, both from the repository's root) in place of an earlier one, or added.
pub(crate) fn with_attributes(existing: &str, spec_patterns: &[String], tree: &str) -> String {
    let mut block = format!("{BLOCK_START}\n");
    for pattern in spec_patterns {
        block.push_str(&format!("/{pattern} merge={DRIVER}\n"));
    }
    let tree = tree.trim_matches('/');
    let tree = if tree.is_empty() || tree == "." {
        "**".to_owned()
    } else {
        format!("/{tree}/**")
    };
    block.push_str(&format!("{tree} merge={DRIVER}\n"));
    let mut lines: Vec<&str> = existing.lines().collect();
    if let Some(start) = lines.iter().position(|line| *line == BLOCK_START) {
        let end = lines[start..]
            .iter()
            .position(|line| line.trim().is_empty())
            .map_or(lines.len(), |offset| start + offset);
        lines.drain(start..end);
        let joined = |part: &[&str]| {
            part.iter()
                .fold(String::new(), |text, line| text + line + "\n")
        };
        return format!(
            "{}{block}{}",
            joined(&lines[..start]),
            joined(&lines[start..])
        );
    }
    let mut text = existing.to_owned();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&block);
    text
}

/// `path` (as given from the working folder) from the root of the repository at `workdir`,
/// with `/` between its parts; `None` when it lies outside.
pub(crate) fn from_root(workdir: &Path, path: &Path) -> Option<String> {
    // The working folder as the repository's root is spelled (no link on the way).
    let cwd = std::env::current_dir().ok()?.canonicalize().ok()?;
    let absolute = crate::source::placement::absolute(&cwd.join(path));
    let inside = absolute.strip_prefix(workdir.canonicalize().ok()?).ok()?;
    let parts: Vec<String> = inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_is_added_once_and_replaced_in_place() {
        let patterns = vec![
            "spec/enterprise.toml".to_owned(),
            "spec/teams/*.toml".to_owned(),
        ];
        let first = with_attributes("*.png binary\n", &patterns, "generated");
        assert_eq!(
            first,
            format!(
                "*.png binary\n\n{BLOCK_START}\n/spec/enterprise.toml merge=fleetc\n/spec/teams/*.toml merge=fleetc\n/generated/** merge=fleetc\n"
            )
        );
        assert_eq!(with_attributes(&first, &patterns, "generated"), first);
        let moved = with_attributes(&format!("{first}\n*.jpg binary\n"), &patterns[..1], "tree");
        assert!(
            moved.contains("/tree/** merge=fleetc\n\n*.jpg binary\n"),
            "{moved}"
        );
        assert!(!moved.contains("teams"), "{moved}");
        assert!(with_attributes("", &patterns, ".").ends_with("\n** merge=fleetc\n"));
    }
}
