//! An edit changes values, not the file's bytes around them. The TOML editor writes every line
//! it prints with `\n`, so on a spec saved with `\r\n` a two-line change would rewrite every
//! line; the edited text gets the old file's line endings (and byte order mark) back.

use similar::{Algorithm, DiffOp, capture_diff_slices};

const BOM: char = '\u{feff}';

/// `edited` with the line endings of `original`: each line the edit kept ends as it did, each
/// line it wrote ends as most lines of `original` do. A byte order mark is kept.
pub(crate) fn keep_line_endings(original: &str, edited: &str) -> String {
    let had_bom = original.starts_with(BOM);
    let edited = edited.strip_prefix(BOM).unwrap_or(edited);
    let original = original.strip_prefix(BOM).unwrap_or(original);
    let mut out = String::with_capacity(edited.len() + edited.len() / 16 + 3);
    if had_bom {
        out.push(BOM);
    }
    if !original.contains("\r\n") {
        out.push_str(edited);
        return out;
    }
    let old: Vec<Line> = original.split_inclusive('\n').map(Line::of).collect();
    let new: Vec<Line> = edited.split_inclusive('\n').map(Line::of).collect();
    let crlf_lines = old.iter().filter(|line| line.ending == "\r\n").count();
    let usual = if crlf_lines * 2 >= old.len() {
        "\r\n"
    } else {
        "\n"
    };
    let old_text: Vec<&str> = old.iter().map(|line| line.text).collect();
    let new_text: Vec<&str> = new.iter().map(|line| line.text).collect();
    for op in capture_diff_slices(Algorithm::Myers, &old_text, &new_text) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for i in 0..len {
                    let (kept, now) = (&old[old_index + i], &new[new_index + i]);
                    out.push_str(now.text);
                    if !now.ending.is_empty() {
                        out.push_str(if kept.ending.is_empty() {
                            usual
                        } else {
                            kept.ending
                        });
                    }
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            }
            | DiffOp::Replace {
                new_index, new_len, ..
            } => {
                for now in &new[new_index..new_index + new_len] {
                    out.push_str(now.text);
                    if !now.ending.is_empty() {
                        out.push_str(usual);
                    }
                }
            }
            DiffOp::Delete { .. } => {}
        }
    }
    out
}

/// A line split from its ending (`\r\n`, `\n`, or none for a last line without one).
struct Line<'a> {
    text: &'a str,
    ending: &'a str,
}

impl<'a> Line<'a> {
    fn of(line: &'a str) -> Self {
        let cut = if line.ends_with("\r\n") {
            line.len() - 2
        } else if line.ends_with('\n') {
            line.len() - 1
        } else {
            line.len()
        };
        Self {
            text: &line[..cut],
            ending: &line[cut..],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crlf_file_keeps_crlf_on_kept_and_new_lines() {
        let original = "a = 1\r\nb = 2\r\nc = 3\r\n";
        let edited = "a = 1\nb = 20\nc = 3\nd = 4\n";
        assert_eq!(
            keep_line_endings(original, edited),
            "a = 1\r\nb = 20\r\nc = 3\r\nd = 4\r\n"
        );
    }

    #[test]
    fn a_file_of_mixed_endings_keeps_each_kept_line_s_own() {
        let original = "a = 1\nb = 2\r\nc = 3\r\n";
        let edited = "a = 1\nb = 2\nc = 30\n";
        assert_eq!(
            keep_line_endings(original, edited),
            "a = 1\nb = 2\r\nc = 30\r\n"
        );
    }

    #[test]
    fn a_last_line_without_an_ending_gets_one_when_lines_follow_it() {
        let original = "a = 1\r\nb = 2";
        let edited = "a = 1\nb = 2\nc = 3\n";
        assert_eq!(
            keep_line_endings(original, edited),
            "a = 1\r\nb = 2\r\nc = 3\r\n"
        );
    }

    #[test]
    fn a_byte_order_mark_is_kept_and_never_doubled() {
        let original = "\u{feff}a = 1\r\n";
        assert_eq!(keep_line_endings(original, "a = 2\n"), "\u{feff}a = 2\r\n");
        assert_eq!(
            keep_line_endings(original, "\u{feff}a = 2\n"),
            "\u{feff}a = 2\r\n"
        );
        assert_eq!(
            keep_line_endings("\u{feff}a = 1\n", "a = 2\n"),
            "\u{feff}a = 2\n"
        );
    }

    #[test]
    fn an_lf_file_is_left_as_the_edit_wrote_it() {
        assert_eq!(keep_line_endings("a = 1\n", "a = 2\n"), "a = 2\n");
    }
}
