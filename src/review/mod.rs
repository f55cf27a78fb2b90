//! What a change does to the estate: per Application (service × environment) the rendered
//! manifests before and after, what kind of change it is, and who owns it.

mod change;
mod classify;
mod comment;
mod field_rule;
mod git_source;
mod impact;
mod json_diff;
mod plan_report;
mod report;

pub use change::Change;
pub use comment::{PART_SEPARATOR, markdown_comment};
pub use git_source::spec_at_revision;
pub use impact::{AppImpact, Impact, impact};
pub use plan_report::PlanReport;
