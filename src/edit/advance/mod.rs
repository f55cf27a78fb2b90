//! `advance`: the versions live in one environment, released into the next in one edit.

mod apply;
mod plan;
mod verdict;

pub use apply::apply_advance;
pub(crate) use apply::stays_summary;
pub(crate) use plan::Advance;
pub use plan::plan_advance;
