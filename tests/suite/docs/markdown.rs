//! What the link checks read of a markdown file: the anchors of its headings and the targets
//! of its links. Code is left out: a link or a `#` inside a code block or span is text.

use std::collections::HashSet;

/// The lines of `text` outside fenced code blocks, with every code span blanked.
pub(super) fn prose_lines(text: &str) -> Vec<String> {
    outside_fences(text)
        .into_iter()
        .map(without_code_spans)
        .collect()
}

/// The lines of `text` outside fenced code blocks (``` or ~~~, closed by a fence of the same
/// character at least as long).
fn outside_fences(text: &str) -> Vec<&str> {
    let mut fence: Option<String> = None;
    let mut lines = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        let backticks: String = trimmed.chars().take_while(|&c| c == '`').collect();
        let tildes: String = trimmed.chars().take_while(|&c| c == '~').collect();
        let marker = if backticks.len() >= 3 {
            backticks
        } else {
            tildes
        };
        let opens = marker.len() >= 3;
        match &fence {
            Some(open) if opens && marker.starts_with(open.as_str()) => fence = None,
            Some(_) => {}
            None if opens => fence = Some(marker),
            None => lines.push(line),
        }
    }
    lines
}

/// `line` with each code span (a run of backticks up to the next run of as many) removed.
fn without_code_spans(line: &str) -> String {
    let mut kept = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        kept.push_str(&rest[..start]);
        let ticks = rest[start..].chars().take_while(|&c| c == '`').count();
        let after = &rest[start + ticks..];
        let closing = "`".repeat(ticks);
        let Some(end) = find_run(after, &closing) else {
            kept.push_str(&rest[start..]);
            return kept;
        };
        rest = &after[end + ticks..];
    }
    kept.push_str(rest);
    kept
}

/// Where a run of exactly `ticks` backticks starts in `text`.
fn find_run(text: &str, ticks: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find(ticks) {
        let at = from + found;
        let end = at + ticks.len();
        let longer = text[end..].starts_with('`');
        if !longer {
            return Some(at);
        }
        from = end + text[end..].chars().take_while(|&c| c == '`').count();
    }
    None
}

/// The anchors of the headings of `text`, as mdBook and GitHub make them: the heading's text,
/// lowercased, spaces to `-`, punctuation other than `-` and `_` dropped; a repeated anchor
/// gets `-1`, `-2`, ….
pub(super) fn anchors(text: &str) -> HashSet<String> {
    let mut seen = HashSet::new();
    for heading in headings(text) {
        let slug = slug(&heading);
        let mut anchor = slug.clone();
        let mut n = 0;
        while seen.contains(&anchor) {
            n += 1;
            anchor = format!("{slug}-{n}");
        }
        seen.insert(anchor);
    }
    seen
}

/// The text of each ATX heading (`## Title`), as a reader sees it: code spans, emphasis and
/// links reduced to their text.
pub(super) fn headings(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in outside_fences(text) {
        let level = line.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&level) && line[level..].starts_with(' ') {
            let title = line[level..].trim().trim_end_matches('#').trim();
            found.push(plain(title));
        }
    }
    found
}

/// Markdown inline text as read: `[text](target)` is `text`, and backticks and `*` go.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.split_once("](") {
            Some((label, tail)) if tail.contains(')') => {
                out.push_str(label);
                rest = &tail[tail.find(')').unwrap() + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace(['`', '*'], "")
}

pub(super) fn slug(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_lowercase().next().unwrap())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// The targets of the links and images of `text`, inline (`[x](target "title")`) and
/// reference definitions (`[x]: target`), outside code.
pub(super) fn links(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for line in prose_lines(text) {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[')
            && let Some((_, target)) = trimmed.split_once("]: ")
        {
            targets.push(target.split_whitespace().next().unwrap_or("").to_owned());
            continue;
        }
        let mut rest = line.as_str();
        while let Some(at) = rest.find("](") {
            let tail = &rest[at + 2..];
            let end = tail.find(')').unwrap_or(tail.len());
            let target = tail[..end].split_whitespace().next().unwrap_or("");
            targets.push(target.trim_matches(['<', '>']).to_owned());
            rest = &tail[end..];
        }
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_the_slug_rules_and_count_repeats() {
        let text = "# The `diff --base` command\n## Who owns what?\n## Who owns what?\n```\n# not a heading\n```\n";
        let found = anchors(text);
        for anchor in [
            "the-diff---base-command",
            "who-owns-what",
            "who-owns-what-1",
        ] {
            assert!(found.contains(anchor), "{anchor} in {found:?}");
        }
        assert_eq!(found.len(), 3);
        assert_eq!(
            slug("`services.<name>.deploy.<env>`"),
            "servicesnamedeployenv"
        );
    }

    #[test]
    fn links_in_code_are_text() {
        let text = "See [a](a.md#x \"title\") and `[b](b.md)`.\n```\n[c](c.md)\n```\n[d]: d.md\n![e](e.png)\n``x ` [f](f.md) ``\n";
        assert_eq!(links(text), ["a.md#x", "d.md", "e.png"]);
    }
}
