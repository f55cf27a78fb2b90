//! What a change does to the estate: per Application (service × environment) the rendered
//! manifests before and after, what kind of change it is, and who owns it.

mod classify;
mod impact;
mod report;

pub use classify::Change;
pub use impact::{AppImpact, Impact, impact};
