use std::cmp::Ordering;
use std::ops::Range;

use super::parse_from_lines;
use crate::version_order::compare_versions;

/// One line of a Dockerfile changed by an upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineChange {
    pub line: usize,
    pub before: String,
    pub after: String,
}

/// Moves every `FROM` of `image` older than `version` to it, by rewriting the bytes that hold
/// its tag: in the `FROM` line, or in the default of the global `ARG` the tag (or the whole
/// image) comes from. A pinned digest is replaced by `digest` (or dropped when the catalog has
/// none for the new version). Nothing else changes: not the layout of continuation lines, not
/// a tag that another image's `FROM` reads from the same `ARG`.
pub fn upgrade_from_lines(
    text: &str,
    image: &str,
    version: &str,
    digest: Option<&str>,
) -> (String, Vec<LineChange>) {
    if !is_one_word(version) || digest.is_some_and(|d| !is_one_word(d)) {
        return (text.to_owned(), Vec::new());
    }
    let mut edits: Vec<(Range<usize>, &str)> = Vec::new();
    let mut kept: Vec<Range<usize>> = Vec::new();
    for from in parse_from_lines(text) {
        let older = from.image.is_image(image)
            && from.image.tag.as_deref().is_some_and(|tag| {
                !tag.is_empty() && compare_versions(tag, version) == Ordering::Less
            });
        if !older {
            kept.extend(from.reference.sources(0..from.reference.as_str().len()));
            continue;
        }
        edits.extend(replacing(from.tag_sources(), version));
        match digest {
            Some(digest) => edits.extend(replacing(from.digest_sources(), digest)),
            None => edits.extend(replacing(from.pin_sources(), "")),
        }
    }
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    edits.dedup();
    let mut applied: Vec<(Range<usize>, &str)> = Vec::new();
    for (range, replacement) in edits {
        let overlaps = |other: &Range<usize>| other.start < range.end && range.start < other.end;
        if kept.iter().any(overlaps) || applied.iter().any(|(r, _)| overlaps(r)) {
            continue;
        }
        applied.push((range, replacement));
    }
    let mut rewritten = text.to_owned();
    for (range, replacement) in applied.iter().rev() {
        rewritten.replace_range(range.clone(), replacement);
    }
    let changes = changed_lines(text, &rewritten);
    (rewritten, changes)
}

/// Edits that put `new` where `sources` are: in the first run of bytes, the other runs (a word
/// broken across continuation lines) emptied.
fn replacing(sources: Vec<Range<usize>>, new: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    sources
        .into_iter()
        .enumerate()
        .map(move |(i, range)| (range, if i == 0 { new } else { "" }))
}

/// A tag or digest from the catalog is written into a Dockerfile only when it is one word.
fn is_one_word(text: &str) -> bool {
    !text.is_empty() && !text.contains(|c: char| c.is_whitespace() || c.is_control())
}

fn changed_lines(before: &str, after: &str) -> Vec<LineChange> {
    before
        .split('\n')
        .zip(after.split('\n'))
        .enumerate()
        .filter(|(_, (b, a))| b != a)
        .map(|(i, (b, a))| LineChange {
            line: i + 1,
            before: b.trim_end_matches('\r').to_owned(),
            after: a.trim_end_matches('\r').to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::upgrade_from_lines;

    fn upgraded(text: &str) -> String {
        upgrade_from_lines(text, "platform/python", "3.12", Some("sha256:new")).0
    }

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

    #[test]
    fn an_image_held_whole_in_an_arg_is_moved_in_the_arg() {
        assert_eq!(
            upgraded("ARG IMG=r.example/platform/python:3.11@sha256:old\nFROM ${IMG} AS run\n"),
            "ARG IMG=r.example/platform/python:3.12@sha256:new\nFROM ${IMG} AS run\n"
        );
        assert_eq!(
            upgraded("ARG BASE_IMAGE='platform/python:3.11'\nFROM $BASE_IMAGE AS runtime\n"),
            "ARG BASE_IMAGE='platform/python:3.12'\nFROM $BASE_IMAGE AS runtime\n"
        );
    }

    #[test]
    fn a_tag_split_across_continuation_lines_is_moved_keeping_the_lines() {
        assert_eq!(
            upgraded("FROM platform/python:3.\\\n11 \\\n  AS x\n"),
            "FROM platform/python:3.12\\\n \\\n  AS x\n"
        );
    }

    #[test]
    fn a_digest_the_catalog_does_not_have_is_dropped() {
        let (after, _) = upgrade_from_lines(
            "FROM platform/python:3.11@sha256:old\n",
            "platform/python",
            "3.12",
            None,
        );
        assert_eq!(after, "FROM platform/python:3.12\n");
    }

    #[test]
    fn a_digest_held_in_an_arg_is_moved_in_the_arg() {
        assert_eq!(
            upgraded("ARG D=sha256:old\nFROM platform/python:3.11@${D}\n"),
            "ARG D=sha256:new\nFROM platform/python:3.12@${D}\n"
        );
    }

    #[test]
    fn a_fallback_in_the_from_is_moved_there() {
        assert_eq!(
            upgraded("ARG PY\nFROM platform/python:${PY:-3.11}\n"),
            "ARG PY\nFROM platform/python:${PY:-3.12}\n"
        );
    }

    #[test]
    fn an_arg_another_image_reads_too_is_left_alone() {
        let text = "ARG V=3.11\nFROM platform/python:$V\nFROM platform/tools:$V\n";
        assert_eq!(upgraded(text), text);
    }

    #[test]
    fn a_version_that_is_not_one_word_writes_nothing() {
        let text = "FROM platform/python:3.11\n";
        assert_eq!(
            upgrade_from_lines(text, "platform/python", "3.12\nRUN x", None).0,
            text
        );
    }
}
