//! fleetc compiles one `enterprise.toml` into a complete `GitOps` tree:
//! parse → validate → resolve → emit → tree → sinks.

pub mod cli;
pub mod compile;
pub mod diagnostic;
pub mod dockerfile;
pub mod edit;
pub mod emit;
pub mod gate;
pub mod impact;
pub mod init;
pub mod model;
pub mod naming;
mod parse;
pub mod render;
mod resolve;
mod resolve_certificates;
mod resolve_clusters;
mod resolve_monitoring;
mod resolve_terraform;
pub mod review;
pub mod schema;
mod schema_walk;
mod shapes;
pub mod sink;
pub mod source;
pub mod span_index;
pub mod spec;
mod syntax_errors;
pub mod tree;
mod unknown_keys;
mod validate;
pub mod version_order;
pub mod why;
mod why_certificates;
mod why_clusters;
mod why_monitoring;
mod why_secret_store;
pub mod workflow;

pub use compile::{Compiled, compile};
pub use emit::yaml::to_yaml;
pub use source::Source;
