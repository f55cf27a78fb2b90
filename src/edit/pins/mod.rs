//! Edits of what a build pins: the CI wave a service's pipeline follows, and module versions.

pub(super) mod ci_wave;
pub(super) mod module_pin;
