//! TOML syntax errors as the user should see them: the parser recovers after the first error
//! and goes on guessing, so what it reports after the first is mostly a cascade of it.

use crate::source::diagnostic::Diagnostic;

/// The one syntax error worth reporting. An unclosed inline table or array shows up first
/// as a complaint about the line after it (TOML 1.1 lets an inline table go on over lines),
/// so it is reported where the closing bracket was due: right after the last value before
/// the parser first went wrong.
pub(crate) fn syntax_error(text: &str, errors: &[toml::de::Error]) -> Diagnostic {
    let first = &errors[0];
    let unclosed = errors.iter().find_map(|e| {
        let message = e.message();
        let rest = message.trim_start().strip_prefix("unclosed ")?;
        let (what, closer) = rest.split_once(", expected ")?;
        Some((what.to_owned(), closer.trim().to_owned()))
    });
    if let Some((what, closer)) = unclosed {
        let went_wrong = first.span().map_or(text.len(), |s| s.start).min(text.len());
        let mut due = text[..went_wrong].trim_end().len();
        while !text.is_char_boundary(due) {
            due -= 1;
        }
        return Diagnostic::error(format!("unclosed {what}: {closer} is missing"))
            .at(Some(due..due))
            .label(format!("expected {closer} here"))
            .help(format!(
                "close the {what} after its last value, as in `{}`",
                if closer.contains('}') {
                    "key = { a = 1, b = 2 }"
                } else {
                    "key = [1, 2]"
                }
            ));
    }
    if first.message().trim() == "duplicate key"
        && let Some(span) = first.span()
        && let Some(key) = text.get(span.clone())
    {
        // TOML keeps one value per key, so a name declared twice (a service, an environment,
        // a cluster) would otherwise be reported with neither the name nor the way out.
        return Diagnostic::error(format!("`{key}` is declared twice in the same table"))
            .at(Some(span))
            .label("declared again here")
            .help("a name is declared once: merge the two declarations, or rename one of them");
    }
    super::toml_errors::to_diagnostic(first)
}

#[cfg(test)]
mod tests {
    use super::syntax_error;
    use toml::de::DeTable;

    fn located(text: &str) -> (String, usize, usize) {
        let (_, errors) = DeTable::parse_recoverable(text);
        let diagnostic = syntax_error(text, &errors);
        let at = diagnostic.span.unwrap().start;
        let line = text[..at].matches('\n').count() + 1;
        let col = at - text[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
        (diagnostic.message, line, col)
    }

    #[test]
    fn a_missing_closing_brace_is_reported_where_it_was_due() {
        let text = "a = 1\nt = { x = 1, y = \"two\"\nb = 2\nc = 3\n";
        let (message, line, col) = located(text);
        assert_eq!(message, "unclosed inline table: `}` is missing");
        assert_eq!((line, col), (2, 23));
    }

    #[test]
    fn a_name_declared_twice_is_named_at_its_second_declaration() {
        let text = "[clusters.eu]\nserver = \"a\"\n\n[clusters.eu]\nserver = \"b\"\n";
        let (message, line, col) = located(text);
        assert_eq!(message, "`eu` is declared twice in the same table");
        assert_eq!((line, col), (4, 11));
    }

    #[test]
    fn a_missing_closing_brace_on_the_last_line_is_reported_at_its_end() {
        let (message, line, col) = located("a = 1\nt = { x = 1\n");
        assert_eq!(message, "unclosed inline table: `}` is missing");
        assert_eq!((line, col), (2, 12));
    }
}
