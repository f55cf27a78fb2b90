//! Sinks take a compiled Tree to the disk or to the terminal; none computes content.

pub mod changes;
pub mod disk;
pub mod links;
pub mod lock;
pub mod owned;
pub mod readers;
pub mod spec_lock;
pub mod summary;
pub mod temporary;
pub mod unified;
pub mod user_file;
pub mod write;
