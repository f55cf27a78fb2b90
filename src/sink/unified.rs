use anstyle::{AnsiColor, Style};
use similar::{ChangeTag, TextDiff};

use super::changes::Change;

const ADDED: Style = AnsiColor::Green.on_default();
const REMOVED: Style = AnsiColor::Red.on_default();
const HUNK: Style = AnsiColor::Cyan.on_default();
const FILE: Style = Style::new().bold();

/// A unified diff of one changed file, `a/` the output directory and `b/` the compiled tree.
pub fn unified(change: &Change, styled: bool) -> String {
    let old = String::from_utf8_lossy(change.old.as_deref().unwrap_or_default());
    let new = String::from_utf8_lossy(change.new.as_deref().unwrap_or_default());
    let old_name = if change.old.is_some() {
        format!("a/{}", change.path)
    } else {
        "/dev/null".to_owned()
    };
    let new_name = if change.new.is_some() {
        format!("b/{}", change.path)
    } else {
        "/dev/null".to_owned()
    };
    let paint = |style: Style, text: &str| {
        if styled {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    };
    let mut out = String::new();
    out.push_str(&paint(FILE, &format!("--- {old_name}\n+++ {new_name}\n")));
    let diff = TextDiff::from_lines(old.as_ref(), new.as_ref());
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push_str(&paint(HUNK, &format!("{}\n", hunk.header())));
        for change in hunk.iter_changes() {
            let (sign, style) = match change.tag() {
                ChangeTag::Delete => ("-", Some(REMOVED)),
                ChangeTag::Insert => ("+", Some(ADDED)),
                ChangeTag::Equal => (" ", None),
            };
            let mut line = format!("{sign}{}", change.value());
            if change.missing_newline() {
                line.push_str("\n\\ No newline at end of file\n");
            }
            match style {
                Some(style) => out.push_str(&paint(style, &line)),
                None => out.push_str(&line),
            }
        }
    }
    out
}
