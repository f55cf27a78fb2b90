//! Spec edits made by commands. They go through `toml_edit`, so every comment, blank line and
//! key order of the user's file survives and only the values that must change, change.

mod advance;
mod catalog;
mod declared;
mod pins;
mod release;
mod split;
#[cfg(test)]
pub(crate) mod test_spec;
mod toml;

pub(crate) use advance::{Advance, stays_summary};
pub use advance::{apply_advance, plan_advance};
pub use catalog::{
    Approval, ExceptionRequest, approve_base, block_base, grant_exception, upgrade_base,
};
pub use pins::{move_to_wave, pin_module};
pub use release::{ReleaseAction, ReleaseTarget, apply_release_action};
pub(crate) use release::{apply_release_action_at, state_at};
pub(crate) use split::split_by_team;
pub(crate) use toml::line_endings::keep_line_endings;

use std::fmt;

/// Why an edit cannot be made; `refused` marks a policy that says no (exit 1) rather than a
/// request that makes no sense for this spec (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    pub message: String,
    pub help: Option<String>,
    pub refused: bool,
    /// The key path of the spec the error is about (`["base_images", "python", "versions",
    /// "3.12"]`), so the message can show where it is written.
    pub at: Option<Vec<String>>,
}

impl EditError {
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            help: None,
            refused: false,
            at: None,
        }
    }

    /// The spec writes the key at `path` as something other than the table an edit needs,
    /// located there.
    pub(crate) fn not_a_table(path: &[&str]) -> Self {
        let mut error = Self::invalid(format!(
            "`{}` is not a table; the edit needs one here",
            path.join(".")
        ));
        error.at = Some(path.iter().map(|p| (*p).to_owned()).collect());
        error
    }

    pub fn refused(message: impl Into<String>) -> Self {
        Self {
            refused: true,
            ..Self::invalid(message)
        }
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn at(mut self, path: &[&str]) -> Self {
        self.at = Some(path.iter().map(|key| (*key).to_owned()).collect());
        self
    }

    /// Places the error at `path` unless it already has a place of its own.
    #[must_use]
    pub fn or_at(self, path: &[&str]) -> Self {
        if self.at.is_some() {
            return self;
        }
        self.at(path)
    }
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The edited spec text and a few lines saying what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    pub summary: String,
}

#[cfg(test)]
mod error_tests {
    use super::EditError;

    #[test]
    fn a_key_that_is_not_a_table_is_named_and_located_in_one_wording() {
        let error = EditError::not_a_table(&["services", "users"]);
        assert_eq!(
            error.message,
            "`services.users` is not a table; the edit needs one here"
        );
        assert_eq!(
            error.at.as_deref(),
            Some(&["services".to_owned(), "users".to_owned()][..])
        );
        assert!(!error.refused);
    }
}
