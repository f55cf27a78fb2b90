//! What fleetc reads from and writes to git: the spec at a revision, the commit of a spec and
//! its tree, and how long a version has been live (the soak walk over first-parent history).

pub(crate) mod commit;
pub(crate) mod revision;
pub(crate) mod soak;

pub(crate) use revision::{
    file_at_revision, files_at_revision, reader_at_revision, repository_of, spec_at_revision,
};
pub(crate) use soak::{SoakPlace, live_since};
