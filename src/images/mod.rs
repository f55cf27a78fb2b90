//! Container images: the `FROM` lines of Dockerfiles, and which services and Dockerfiles use
//! a base image.

pub(crate) mod dockerfile;
pub(crate) mod users;
