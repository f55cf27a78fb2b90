//! The files beside the spec each base and overlay of a service takes.

use crate::model::{Deployment, OwnFile, SpecFiles};
use crate::spec::{Listing, Service};

/// The service's own manifests, which its base holds.
pub(crate) fn base_manifests(name: &str, service: &Service, read: &SpecFiles) -> Vec<OwnFile> {
    service
        .listed_files(name)
        .iter()
        .filter(|listed| listed.env.is_none() && listed.listing == Listing::Manifest)
        .filter_map(|listed| read.own_file(listed))
        .collect()
}

/// Gives `deployment` the manifests and patches listed for its place.
pub(crate) fn overlay_files(
    name: &str,
    service: &Service,
    read: &SpecFiles,
    deployment: &mut Deployment,
) {
    let listed =
        service.overlay_files(name, &deployment.environment, deployment.cluster.as_deref());
    for entry in &listed {
        let Some(file) = read.own_file(entry) else {
            continue;
        };
        match entry.listing {
            Listing::Manifest => deployment.own_manifests.push(file),
            Listing::Patch => deployment.own_patches.push(file),
            Listing::Config => {}
        }
    }
}
