//! `advance`: the versions live in one environment, released into the next in one edit.

mod advance_clusters;
pub(super) mod plan;
