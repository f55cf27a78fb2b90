//! The names fleetc generates from spec names, each with the rule of what carries it.

mod config_keys;
mod pattern;
mod rule;
pub(crate) mod table;

pub(crate) use config_keys::config_keys;
pub(crate) use pattern::{Generated, NamePattern, Part, SpecName};
pub(crate) use rule::NameRule;

/// The host of preview traffic under `domain`, where the spec names none.
pub(crate) fn preview_host(domain: &str) -> String {
    format!("preview.{domain}")
}
