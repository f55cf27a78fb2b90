//! Errors of the TOML reader and of serde in the spec's words: TOML types, not Rust ones.

use crate::source::diagnostic::Diagnostic;

pub(crate) fn to_diagnostic(error: &toml::de::Error) -> Diagnostic {
    let message = plain_types(error.message().trim_end());
    let diagnostic = Diagnostic::error(message.clone()).at(error.span());
    match message.as_str() {
        m if m.starts_with("invalid type") => diagnostic.label("wrong type"),
        m if m.starts_with("unknown variant") => diagnostic.label("not a valid choice"),
        m if m.starts_with("missing field") => {
            Diagnostic::error(m.replacen("missing field", "missing required key", 1))
                .at(error.span())
                .label("required key missing in this table")
        }
        _ => diagnostic,
    }
}

/// serde names Rust types (`expected i64`); people write TOML.
fn plain_types(message: &str) -> String {
    [
        ("expected i64", "expected an integer"),
        ("expected u64", "expected a non-negative integer"),
        ("expected u16", "expected an integer"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected an array"),
        ("expected a map", "expected a table"),
        ("sequence", "array"),
        ("map,", "table,"),
    ]
    .iter()
    .fold(message.to_owned(), |m, (rust, toml)| m.replace(rust, toml))
}
