use std::cmp::Ordering;

use super::parse_from_lines;
use crate::version_order::compare_versions;

/// One line of a Dockerfile changed by an upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineChange {
    pub line: usize,
    pub before: String,
    pub after: String,
}

/// Moves every `FROM` of `image` older than `version` to it: the tag written in the `FROM`
/// line, or the default of the global `ARG` the tag comes from. A pinned digest is replaced by
/// `digest` (or dropped when the catalog has none for the new version).
pub fn upgrade_from_lines(
    text: &str,
    image: &str,
    version: &str,
    digest: Option<&str>,
) -> (String, Vec<LineChange>) {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let mut changes = Vec::new();
    for from in parse_from_lines(text) {
        if !from.image.is_image(image) {
            continue;
        }
        let Some(tag) = from.image.tag.as_deref() else {
            continue;
        };
        if compare_versions(tag, version) != Ordering::Less {
            continue;
        }
        let (index, after) = if let Some((arg_line, name)) = &from.tag_arg {
            let index = arg_line - 1;
            let after =
                lines[index].replacen(&format!("{name}={tag}"), &format!("{name}={version}"), 1);
            (index, after)
        } else {
            let written = from.written.as_str();
            let without_digest = written.split_once('@').map_or(written, |(r, _)| r);
            let repository = &without_digest[..without_digest.len() - tag.len() - 1];
            let mut new_reference = format!("{repository}:{version}");
            if let (Some(_), Some(digest)) = (&from.image.digest, digest) {
                new_reference.push('@');
                new_reference.push_str(digest);
            }
            let index = from.line - 1;
            (index, lines[index].replacen(written, &new_reference, 1))
        };
        let before = lines[index].clone();
        if before != after {
            lines[index].clone_from(&after);
            changes.push(LineChange {
                line: index + 1,
                before,
                after,
            });
        }
    }
    (lines.join("\n"), changes)
}

#[cfg(test)]
mod tests {
    use super::upgrade_from_lines;

    #[test]
    fn moves_literal_tags_arg_defaults_and_digests() {
        let text = "ARG PY=3.10\nFROM registry.example.com/platform/python:${PY} AS build\nFROM platform/python:3.11@sha256:old\nFROM platform/python:3.13\nFROM library/python:3.9\n";
        let (after, changes) =
            upgrade_from_lines(text, "platform/python", "3.12", Some("sha256:new"));
        assert_eq!(
            after,
            "ARG PY=3.12\nFROM registry.example.com/platform/python:${PY} AS build\nFROM platform/python:3.12@sha256:new\nFROM platform/python:3.13\nFROM library/python:3.9\n"
        );
        assert_eq!(changes.iter().map(|c| c.line).collect::<Vec<_>>(), [1, 3]);
    }
}
