//! Container images: the `FROM` lines of Dockerfiles, which services and Dockerfiles use
//! a base image, and which containers run an image built elsewhere.

pub(crate) mod dockerfile;
pub(crate) mod elsewhere;
pub(crate) mod users;
