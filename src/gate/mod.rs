//! What stands between a version and an environment besides the spec's own rules: the
//! environment's sync windows at a given moment, and how long a version has been live in the
//! environment before it (read from git history, never from a clock in the tree).

mod can_sync;
mod schedule;
mod soak;
mod sync_window;

pub use can_sync::{Closed, closed_at};
pub use soak::{LiveSince, SoakPlace, live_since};
pub use sync_window::WindowPeriod;
