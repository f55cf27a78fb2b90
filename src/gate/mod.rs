//! What stands between a version and an environment besides the spec's own rules: the
//! environment's sync windows at a given moment. (How long a version has been live in the
//! environment before it is read from git history: see `git::soak`.)

mod can_sync;
mod schedule;
mod sync_window;

pub(crate) use can_sync::closed_at;
