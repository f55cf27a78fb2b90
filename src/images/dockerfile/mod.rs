//! The `FROM` lines of Dockerfiles: which base image each stage is built from, with `ARG`
//! substitution, continuation lines, `--platform` flags, registry prefixes and multi-stage
//! names understood.

mod expand;
mod from_line;
mod instructions;
mod located;
mod rewrite;
mod scan;

pub use from_line::{FromLine, parse_from_lines};
pub(crate) use rewrite::LineChange;
pub use rewrite::upgrade_from_lines;
pub(crate) use scan::{DockerfileMatch, find_dockerfiles, matches_in};
