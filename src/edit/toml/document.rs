//! The spec's text as a document the edits change in place.

use crate::edit::EditError;

/// The spec as an editable document; a spec that parsed for serde parses here too, but the
/// edit functions are public and may be handed any text.
pub(crate) fn document(text: &str) -> Result<toml_edit::DocumentMut, EditError> {
    text.parse()
        .map_err(|e| EditError::invalid(format!("the spec does not parse: {e}")))
}
