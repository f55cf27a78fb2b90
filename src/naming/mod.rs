//! The names fleetc generates from spec names, each with the rule of what carries it.

mod pattern;
mod rule;
pub mod table;

pub use pattern::{NamePattern, Part, SpecName};
pub use rule::NameRule;
