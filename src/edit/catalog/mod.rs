//! Edits of the base image catalog and of what the services built on it may run.

mod approve_base;
mod base_users;
mod block_base;
mod exception;
mod upgrade_base;

pub use approve_base::{Approval, approve_base};
pub use block_base::block_base;
pub use exception::{ExceptionRequest, grant_exception};
pub use upgrade_base::upgrade_base;
