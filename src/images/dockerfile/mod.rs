//! The `FROM` lines of Dockerfiles: which base image each stage is built from, with `ARG`
//! substitution, continuation lines, `--platform` flags, registry prefixes and multi-stage
//! names understood.

mod expand;
mod from_line;
mod instructions;
mod located;
mod rewrite;
mod scan;

pub use from_line::{FromLine, ImageParts, parse_from_lines};
pub use located::Located;
pub use rewrite::{LineChange, upgrade_from_lines};
pub use scan::{DockerfileMatch, find_dockerfiles, is_dockerfile_name, matches_in};
