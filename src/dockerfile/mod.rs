//! The `FROM` lines of Dockerfiles: which base image each stage is built from, with `ARG`
//! substitution, `--platform` flags, registry prefixes and multi-stage names understood.

mod from_line;
mod rewrite;
mod scan;

pub use from_line::{FromLine, ImageParts, parse_from_lines};
pub use rewrite::{LineChange, upgrade_from_lines};
pub use scan::{DockerfileMatch, find_dockerfiles, matches_in};
