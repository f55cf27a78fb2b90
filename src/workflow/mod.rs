//! The GitOps repository's own CI, as fleetc writes it: the workflow that checks a pull
//! request's tree, guards its blast radius, posts the preview and asks the owners.

pub(crate) mod github;
mod repository_path;

pub(crate) use repository_path::repository_path;
