//! fleetc compiles one `enterprise.toml` into a complete `GitOps` tree:
//! parse → validate → resolve → emit → tree → sinks.

pub mod cli;
pub mod compile;
pub mod edit;
pub mod emit;
pub mod formats;
pub mod gate;
pub mod git;
pub mod images;
pub mod model;
pub mod naming;
pub mod parse;
pub mod render;
mod resolve;
pub mod review;
pub mod sink;
pub mod source;
pub mod spec;
pub mod tree;
mod validate;
pub mod why;
pub mod workflow;

pub use compile::{Compiled, compile};
pub use source::Source;
pub use tree::yaml::to_yaml;
