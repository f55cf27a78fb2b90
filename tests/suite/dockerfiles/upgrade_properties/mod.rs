//! What `upgrade_from_lines` promises for any text, checked by the property test of
//! `tests/dockerfiles.rs` and by the `dockerfile` fuzz target alike.

use std::ops::Range;

use fleetc::{FromLine, parse_from_lines, upgrade_from_lines};

/// Upgrades `image` in `text` to `version` and panics, naming the broken promise, unless: the
/// line count is kept; the changes reported are exactly the lines that differ; only lines
/// holding a tag or digest of a `FROM` of `image` change; every `FROM` keeps its line, stage
/// and repository; another image's reference is unchanged; and a `FROM` of `image` either is
/// unchanged or now reads as `version`.
pub(super) fn check_upgrade(text: &str, image: &str, version: &str, digest: Option<&str>) {
    let (rewritten, changes) = upgrade_from_lines(text, image, version, digest);
    let before_lines: Vec<&str> = text.split('\n').collect();
    let after_lines: Vec<&str> = rewritten.split('\n').collect();
    assert_eq!(
        before_lines.len(),
        after_lines.len(),
        "a rewrite added or removed lines"
    );
    let differing: Vec<usize> = (0..before_lines.len())
        .filter(|i| before_lines[*i] != after_lines[*i])
        .map(|i| i + 1)
        .collect();
    let reported: Vec<usize> = changes.iter().map(|c| c.line).collect();
    assert_eq!(
        reported, differing,
        "the changes reported are not the lines that changed"
    );

    let before = parse_from_lines(text);
    let version_bytes: Vec<Range<usize>> = before
        .iter()
        .filter(|from| from.image.is_image(image))
        .flat_map(|from| [from.tag_sources(), from.pin_sources()])
        .flatten()
        .collect();
    let starts = line_starts(text);
    for line in &differing {
        let (start, end) = (
            starts[line - 1],
            starts[line - 1] + before_lines[line - 1].len(),
        );
        assert!(
            version_bytes.iter().any(|r| r.start < end && start < r.end),
            "line {line} changed but holds no version of {image}"
        );
    }

    let after = parse_from_lines(&rewritten);
    assert_eq!(
        before.len(),
        after.len(),
        "the rewrite changed the FROM lines"
    );
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            (b.line, &b.stage, &b.image.repository),
            (a.line, &a.stage, &a.image.repository),
            "a FROM moved or changed its image"
        );
        if !b.image.is_image(image) {
            assert_eq!(
                b.reference.as_str(),
                a.reference.as_str(),
                "another image's FROM changed"
            );
        } else if b.reference.as_str() != a.reference.as_str() {
            assert_eq!(a.image.tag.as_deref(), Some(version), "{}", describe(a));
        }
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn describe(from: &FromLine) -> String {
    format!(
        "the FROM of line {} was rewritten to {}, not to the new version",
        from.line,
        from.reference.as_str()
    )
}
