//! What a change does to the estate: per Application (service × environment) the rendered
//! manifests before and after, what kind of change it is, and who owns it.

mod applications;
mod change;
mod classify;
mod comment;
mod deletion;
mod field_rule;
mod headline;
mod impact;
mod json_diff;
mod listing;
mod owners;
mod plan_report;
mod platform;
mod report;
mod terraform_pins;

pub use applications::{AppPlace, deleted_applications};
pub use change::AppChange;
pub use comment::{PART_SEPARATOR, markdown_comment};
pub use deletion::DeletionWarning;

pub use impact::{AppImpact, Impact, impact};
pub use listing::{SCREENFUL, at_most};
pub use plan_report::PlanReport;
pub use platform::{CiChange, TerraformChange};
