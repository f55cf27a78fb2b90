//! What a change does to the estate: per Application (service × environment) the rendered
//! manifests before and after, what kind of change it is, and who owns it.

mod applications;
pub(crate) mod approvals;
mod change;
mod classify;
mod comment;
mod deletion;
mod escape_hatch;
mod field_rule;
mod headline;
mod impact;
pub(crate) mod json_diff;
mod listing;
mod owners;
mod plan_report;
mod platform;
mod report;
mod terraform_pins;

pub(crate) use applications::deleted_applications;
pub(crate) use change::AppChange;
pub use comment::PART_SEPARATOR;
pub(crate) use comment::markdown_comment;
pub(crate) use deletion::DeletionWarning;

pub(crate) use impact::AppImpact;
pub use impact::{Impact, impact};
pub(crate) use listing::{SCREENFUL, at_most};
pub(crate) use plan_report::PlanReport;
