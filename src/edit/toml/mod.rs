//! TOML edited in place: every comment, blank line, layout choice and line ending of the
//! user's file survives, and only the values that must change, change.

pub(super) mod document;
pub(super) mod line_endings;
pub(super) mod toml_array;
pub(super) mod toml_path;
