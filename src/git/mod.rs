//! What fleetc reads from and writes to git: the spec at a revision, the commit of a spec and
//! its tree, and how long a version has been live (the soak walk over first-parent history).

pub mod commit;
pub mod revision;
pub mod soak;

pub use revision::{repository_of, spec_at_revision};
pub use soak::{LiveSince, SoakPlace, live_since};
