//! Merging what fleetc owns: the spec by key, the tree by compiling the merged spec
//! (`fleetc merge-driver`, a git merge driver).

pub(crate) mod install;
pub(crate) mod spec_merge;
pub(crate) mod text_merge;
pub(crate) mod toml_merge;
pub(crate) mod tree_merge;
