//! fleetc compiles one `enterprise.toml` into a complete `GitOps` tree:
//! parse → validate → resolve → emit → tree → sinks.
//!
//! Every module is private to the crate. What is public below is what the integration tests,
//! the fuzz targets and `main` drive; nothing else is promised to callers.

mod cli;
mod compile;
mod edit;
mod emit;
mod formats;
mod gate;
mod git;
mod images;
mod import;
mod load;
mod merge;
mod model;
mod naming;
mod parallel;
mod parse;
mod render;
mod resolve;
mod review;
mod sink;
mod source;
mod spec;
mod tree;
mod validate;
mod why;
mod workflow;

pub use cli::main;
pub use compile::{CompileOptions, Compiled, Leniency, TreeMade, compile, parse_spec};
pub use edit::{
    Approval, ExceptionRequest, ReleaseAction, ReleaseTarget, apply_advance, apply_release_action,
    approve_base, block_base, grant_exception, move_to_wave, pin_module, plan_advance,
    upgrade_base,
};
pub use emit::emit_for_review;
pub use formats::version_order::compare_versions;
pub use images::dockerfile::{FromLine, parse_from_lines, upgrade_from_lines};
pub use parse::schema::spec_schema;
pub use render::{Renderer, overlays, parse_documents, render};
pub use review::{Impact, PART_SEPARATOR, impact};
pub use sink::changes::{ChangeKind, between, changes};
pub use sink::unified::unified;
pub use sink::write::apply;
pub use source::Source;
pub use spec::starter::starter_spec;
pub use spec::{Colour, Date};
pub use tree::Tree;
pub use tree::yaml::to_yaml;
