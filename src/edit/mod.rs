//! Spec edits made by commands. They go through `toml_edit`, so every comment, blank line and
//! key order of the user's file survives and only the values that must change, change.

mod advance;
mod release;
mod toml_path;
mod upgrade_base;

pub use advance::{Advance, Move, Stay, apply_advance, plan_advance};
pub use release::{ReleaseAction, apply_release_action};
pub use upgrade_base::upgrade_base;

use std::fmt;

/// Why an edit cannot be made; `refused` marks a policy that says no (exit 1) rather than a
/// request that makes no sense for this spec (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    pub message: String,
    pub help: Option<String>,
    pub refused: bool,
}

impl EditError {
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            help: None,
            refused: false,
        }
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

/// The edited spec text and one line saying what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    pub summary: String,
}
