use std::cmp::Ordering;
use std::ops::Range;

use super::{FromLine, parse_from_lines};
use crate::formats::version_order::compare_versions;

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
/// a tag that another image's `FROM` reads from the same `ARG`. The result is read back: a
/// `FROM` whose edit would not read as the new version (or would change another `FROM`) is
/// left as it was.
pub fn upgrade_from_lines(
    text: &str,
    image: &str,
    version: &str,
    digest: Option<&str>,
) -> (String, Vec<LineChange>) {
    if !is_one_word(version) || digest.is_some_and(|d| !is_one_word(d)) {
        return (text.to_owned(), Vec::new());
    }
    let before = parse_from_lines(text);
    let target = Target { version, digest };
    let older: Vec<bool> = before
        .iter()
        .map(|from| {
            from.image.is_image(image)
                && from.image.tag.as_deref().is_some_and(|tag| {
                    !tag.is_empty() && compare_versions(tag, version) == Ordering::Less
                })
        })
        .collect();
    let plans: Vec<Vec<Edit>> = before
        .iter()
        .zip(&older)
        .map(|(from, older)| {
            if *older {
                target.edits(text, from)
            } else {
                Vec::new()
            }
        })
        .collect();
    let mut chosen: Vec<bool> = plans.iter().map(|plan| !plan.is_empty()).collect();
    let rewritten = loop {
        let rewritten = apply(
            text,
            plans
                .iter()
                .zip(&chosen)
                .filter(|(_, chosen)| **chosen)
                .flat_map(|(plan, _)| plan.iter().cloned()),
        );
        let after = parse_from_lines(&rewritten);
        let misread = target.misread(&before, &after, &older, &chosen);
        if misread.is_empty() {
            break rewritten;
        }
        // Some edit misreads (say, an `ARG` another image reads too): leave out the `FROM`s
        // that read wrong and those whose edits touch what they read, and try again.
        let mut left_out = false;
        for j in misread {
            let read = before.get(j).map_or_else(Vec::new, |from| {
                from.reference.sources(0..from.reference.as_str().len())
            });
            for (i, plan) in plans.iter().enumerate() {
                let touches = i == j
                    || plan.iter().any(|(edit, _)| {
                        read.iter()
                            .any(|r| r.start < edit.end && edit.start < r.end)
                    });
                if chosen[i] && touches {
                    chosen[i] = false;
                    left_out = true;
                }
            }
        }
        if !left_out {
            break text.to_owned();
        }
    };
    let changes = changed_lines(text, &rewritten);
    (rewritten, changes)
}

/// A replacement of some bytes of the file.
type Edit = (Range<usize>, String);

/// What a `FROM` that is upgraded reads as afterwards.
struct Target<'a> {
    version: &'a str,
    digest: Option<&'a str>,
}

impl Target<'_> {
    fn edits(&self, text: &str, from: &FromLine) -> Vec<Edit> {
        let mut edits = replacing(text, from.tag_sources(), self.version);
        match self.digest {
            Some(digest) => edits.extend(replacing(text, from.digest_sources(), digest)),
            None => edits.extend(replacing(text, from.pin_sources(), "")),
        }
        edits
    }

    /// The `FROM`s (by index) that do not read as `before` with the `chosen` ones upgraded:
    /// each at this version and digest, with the same image, stage and line; any other either
    /// unchanged or, when it was older too (it shares an `ARG`), upgraded as well. When the
    /// `FROM`s themselves changed, all of them.
    fn misread(
        &self,
        before: &[FromLine],
        after: &[FromLine],
        older: &[bool],
        chosen: &[bool],
    ) -> Vec<usize> {
        if before.len() != after.len() {
            return (0..before.len().max(after.len())).collect();
        }
        (0..before.len())
            .filter(|&i| {
                let (b, a) = (&before[i], &after[i]);
                let upgraded = a.image.tag.as_deref() == Some(self.version)
                    && a.image.digest.as_deref() == b.image.digest.as_ref().and(self.digest);
                let same_place = a.line == b.line
                    && a.stage == b.stage
                    && a.image.repository == b.image.repository;
                let unchanged = a.reference.as_str() == b.reference.as_str();
                let as_intended = if chosen[i] {
                    upgraded
                } else {
                    unchanged || (older[i] && upgraded)
                };
                !(same_place && as_intended)
            })
            .collect()
    }
}

fn apply(text: &str, edits: impl Iterator<Item = Edit>) -> String {
    let mut edits: Vec<Edit> = edits.collect();
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    edits.dedup();
    let mut rewritten = text.to_owned();
    let mut next_start = usize::MAX;
    for (range, replacement) in edits.iter().rev() {
        // Overlapping edits of one byte are left out; the read back then refuses the result.
        if range.end <= next_start {
            rewritten.replace_range(range.clone(), replacement);
            next_start = range.start;
        }
    }
    rewritten
}

/// Edits that put `new` where `sources` are: in the first run of bytes, the other runs (a word
/// broken across continuation lines, or partly held in an `ARG`) emptied. Runs parted only by
/// escape characters on one line (`3.1\1`) are one run: the escape goes with the old text.
fn replacing(text: &str, sources: Vec<Range<usize>>, new: &str) -> Vec<Edit> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    for run in sources {
        match runs.last_mut() {
            Some(last)
                if last.end <= run.start
                    && text[last.end..run.start]
                        .chars()
                        .all(|c| c == '\\' || c == '`') =>
            {
                last.end = run.end;
            }
            _ => runs.push(run),
        }
    }
    runs.into_iter()
        .enumerate()
        .map(|(i, range)| {
            (
                range,
                if i == 0 {
                    new.to_owned()
                } else {
                    String::new()
                },
            )
        })
        .collect()
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
    fn a_tag_with_an_escaped_character_is_rewritten_with_its_escape() {
        assert_eq!(
            upgraded("FROM platform/python:3.1\\1 AS x\n"),
            "FROM platform/python:3.12 AS x\n"
        );
    }

    #[test]
    fn a_version_of_another_length_leaves_later_images_alone() {
        let text =
            "ARG PY=3.9\nFROM platform/python:$PY\nFROM platform/tools:1\nFROM platform/python:3\n";
        assert_eq!(
            upgraded(text),
            "ARG PY=3.12\nFROM platform/python:$PY\nFROM platform/tools:1\nFROM platform/python:3.12\n"
        );
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
