//! Edits of what a build pins: the CI wave a service's pipeline follows, and module versions.

mod ci_wave;
mod module_pin;

pub use ci_wave::move_to_wave;
pub use module_pin::pin_module;
