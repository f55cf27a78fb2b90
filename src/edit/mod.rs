//! Spec edits made by commands. They go through `toml_edit`, so every comment, blank line and
//! key order of the user's file survives and only the values that must change, change.

mod advance;
mod catalog;
mod declared;
mod pins;
mod release;
#[cfg(test)]
pub(crate) mod test_spec;
mod toml;

pub use advance::plan::{Advance, Move, Stay, apply_advance, plan_advance, stays_summary};
pub use catalog::approve_base::{Approval, approve_base};
pub use catalog::block_base::block_base;
pub use catalog::exception::{ExceptionRequest, grant_exception};
pub use catalog::upgrade_base::upgrade_base;
pub use pins::ci_wave::move_to_wave;
pub use pins::module_pin::pin_module;
pub use release::action::{ReleaseAction, apply_release_action, apply_release_action_at};
pub use release::cluster_release::ReleaseTarget;
pub use toml::line_endings::keep_line_endings;

use std::fmt;

use crate::spec::Spec;

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

/// Where the spec says what `service` runs in `env`: its `deploy.<env>` entry when it has one,
/// else `version`, which every environment without an entry runs. A refusal about that
/// state is shown there.
pub fn state_at<'a>(spec: &Spec, service: &'a str, env: &'a str) -> Vec<&'a str> {
    let written = spec
        .services
        .get(service)
        .is_some_and(|s| s.deploy.contains_key(env));
    if written {
        vec!["services", service, "deploy", env]
    } else {
        vec!["services", service, "version"]
    }
}

/// The spec as an editable document; a spec that parsed for serde parses here too, but the
/// edit functions are public and may be handed any text.
fn document(text: &str) -> Result<toml_edit::DocumentMut, EditError> {
    text.parse()
        .map_err(|e| EditError::invalid(format!("the spec does not parse: {e}")))
}
