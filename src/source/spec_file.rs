use std::ops::Range;

/// One file of a spec that includes others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SpecFile {
    /// The path relative to the spec's folder (`services/cart.toml`); empty for the root.
    pub relative: String,
    /// Where the file's text lies in the spec's text.
    pub range: Range<usize>,
    /// Whether a newline the file does not end with was added after it.
    pub newline_added: bool,
}
