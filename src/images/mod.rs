//! Container images: the `FROM` lines of Dockerfiles, the order of an image's versions, and
//! which services and Dockerfiles use a base image.

pub mod dockerfile;
pub mod users;
pub mod version_order;
