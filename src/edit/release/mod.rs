//! The release state machine: `release`, `promote`, `rollback` and `retire` of a service in an
//! environment, or in some clusters of it. An environment without clusters is one unnamed
//! cluster, so both go through one code path.

mod action;
mod aimed;
mod apply;
mod cluster_entry;
mod cluster_settle;
mod cluster_states;
mod edit_states;
mod order;
mod state_at;
mod stopped_base;
mod transitions;
mod waves;

pub use action::ReleaseAction;
pub(crate) use aimed::Aimed;
pub use aimed::ReleaseTarget;
pub use apply::apply_release_action;
pub(crate) use apply::apply_release_action_at;
pub(crate) use state_at::state_at;

pub(super) use aimed::places;
pub(super) use apply::release_in;
pub(super) use cluster_states::own_states;
pub(super) use edit_states::edit_states;
pub(super) use waves::{behind_in_earlier_waves, earlier_waves};
