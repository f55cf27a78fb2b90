//! Sinks take a compiled Tree to the disk or to the terminal; none computes content.

pub mod changes;
pub mod commit;
pub mod disk;
pub mod lock;
pub mod summary;
pub mod unified;
pub mod write;
