//! `advance`: the versions live in one environment, released into the next in one edit.

mod apply;
mod plan;
mod verdict;

pub use apply::{apply_advance, stays_summary};
pub use plan::{Advance, Move, Stay, plan_advance};
