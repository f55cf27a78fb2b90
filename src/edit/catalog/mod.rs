//! Edits of the base image catalog and of what the services built on it may run.

pub(super) mod approve_base;
mod base_users;
pub(super) mod block_base;
pub(super) mod exception;
pub(super) mod upgrade_base;
