use std::collections::HashMap;

use super::located::Located;

/// The global `ARG`s known at a point of a Dockerfile: a name declared without a default
/// (`ARG PY`) is there but unset.
pub(super) type Args = HashMap<String, Option<Located>>;

/// A word as Docker reads it: `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`,
/// `${NAME:+word}` and `${NAME+word}` replaced by `ARG` values, quotes removed (no
/// substitution inside single quotes), and the escape character taking the next one
/// literally. Every byte of the result keeps the byte of the file it came from.
pub(super) fn expand(word: &Located, args: &Args, escape: char) -> Located {
    let text = word.as_str();
    let mut out = Located::default();
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let single_quoted = quote == Some('\'');
        match c {
            c if c == escape && !single_quoted => {
                if let Some((j, next)) = chars.next() {
                    out.push_from(word, j..j + next.len_utf8());
                }
            }
            '"' | '\'' if quote.is_none() => quote = Some(c),
            c if quote == Some(c) => quote = None,
            '$' if !single_quoted => {
                let (value, consumed) = variable(word, i + 1, args, escape);
                match value {
                    Some(value) => out.push_all(&value),
                    None => out.push_from(word, i..i + 1),
                }
                while chars.next_if(|(j, _)| *j < i + 1 + consumed).is_some() {}
            }
            c => out.push_from(word, i..i + c.len_utf8()),
        }
    }
    out
}

/// The variable reference starting at byte `at` of `word` (just after its `$`): its value,
/// and how many bytes it took. `None` when what follows is no reference (a lone `$`).
fn variable(word: &Located, at: usize, args: &Args, escape: char) -> (Option<Located>, usize) {
    let rest = &word.as_str()[at..];
    let Some(braced) = rest.strip_prefix('{') else {
        let name_len = name_length(rest);
        if name_len == 0 {
            return (None, 0);
        }
        let value = lookup(args, &rest[..name_len]).cloned().unwrap_or_default();
        return (Some(value), name_len);
    };
    let Some(close) = closing_brace(braced) else {
        return (None, 0);
    };
    let inner = &braced[..close];
    let name_len = name_length(inner);
    let (name, operator) = inner.split_at(name_len);
    let value = lookup(args, name);
    let set = value.is_some();
    let non_empty = value.is_some_and(|v| !v.is_empty());
    let alternative = |skip: usize| {
        let start = at + 1 + name_len + skip;
        expand(&word.slice(start..at + 1 + close), args, escape)
    };
    let result = match operator {
        o if o.starts_with(":-") => {
            if non_empty {
                value.cloned().unwrap_or_default()
            } else {
                alternative(2)
            }
        }
        o if o.starts_with('-') => value.cloned().unwrap_or_else(|| alternative(1)),
        o if o.starts_with(":+") => {
            if non_empty {
                alternative(2)
            } else {
                Located::default()
            }
        }
        o if o.starts_with('+') => {
            if set {
                alternative(1)
            } else {
                Located::default()
            }
        }
        _ => value.cloned().unwrap_or_default(),
    };
    (Some(result), close + 2)
}

fn lookup<'a>(args: &'a Args, name: &str) -> Option<&'a Located> {
    args.get(name).and_then(Option::as_ref)
}

fn name_length(text: &str) -> usize {
    text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len())
}

/// The byte of the `}` that closes a `${`, nested references counted.
fn closing_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
// Lists of one run of bytes are what these tests expect, not ranges to collect.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::{Args, expand};
    use crate::images::dockerfile::located::Located;

    fn args() -> Args {
        let mut args = Args::new();
        args.insert("PY".into(), Some(Located::at("3.11", 100)));
        args.insert("EMPTY".into(), Some(Located::default()));
        args.insert("UNSET".into(), None);
        args
    }

    fn expanded(word: &str) -> String {
        expand(&Located::at(word, 0), &args(), '\\')
            .as_str()
            .to_owned()
    }

    #[test]
    fn every_reference_form_is_replaced() {
        for (word, value) in [
            ("python:$PY", "python:3.11"),
            ("python:${PY}-slim", "python:3.11-slim"),
            ("python:${PY:-3.9}", "python:3.11"),
            ("python:${EMPTY:-3.9}", "python:3.9"),
            ("python:${EMPTY-3.9}", "python:"),
            ("python:${UNSET-3.9}", "python:3.9"),
            ("python:${NOPE:-${PY}}", "python:3.11"),
            ("x${PY:+-y}", "x-y"),
            ("x${UNSET+y}", "x"),
            ("x${EMPTY+y}", "xy"),
            ("\"$PY\"", "3.11"),
            ("'$PY'", "$PY"),
            ("\\$PY", "$PY"),
            ("$", "$"),
            ("a${PY", "a${PY"),
            ("$$PY", "$3.11"),
        ] {
            assert_eq!(expanded(word), value, "{word}");
        }
    }

    #[test]
    fn a_value_keeps_the_bytes_it_came_from() {
        let word = Located::at("python:${PY}", 10);
        let out = expand(&word, &args(), '\\');
        assert_eq!(out.sources(0..7), [10..17]);
        assert_eq!(out.sources(7..11), [100..104]);
    }
}
