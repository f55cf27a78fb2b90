//! Container images: the `FROM` lines of Dockerfiles, and which services and Dockerfiles use
//! a base image.

pub mod dockerfile;
pub mod users;
