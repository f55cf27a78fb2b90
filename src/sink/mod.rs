//! Sinks take a compiled Tree to the disk or to the terminal; none computes content.

pub(crate) mod changes;
pub(crate) mod disk;
pub(crate) mod index;
pub(crate) mod links;
pub(crate) mod lock;
pub(crate) mod owned;
pub(crate) mod readers;
pub(crate) mod spec_lock;
pub(crate) mod summary;
pub(crate) mod temporary;
pub(crate) mod unified;
pub(crate) mod user_file;
pub(crate) mod write;
