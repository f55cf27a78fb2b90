//! The release state machine: `release`, `promote`, `rollback` and `retire` of a service in an
//! environment, or in some clusters of it.

pub(super) mod action;
pub(super) mod cluster_release;
mod cluster_settle;
pub(super) mod cluster_states;
