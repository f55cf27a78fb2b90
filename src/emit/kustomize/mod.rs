//! Per service: a base of what no environment changes (`apps/<svc>/base`), one Deployment per
//! colour (`apps/<svc>/colours/<colour>`), and an overlay per environment
//! (`apps/<svc>/overlays/<env>`) that picks the colours running there and holds everything
//! the environment decides. A change to one environment changes only its overlay; a release
//! changes only the files of its service. Only constructs fleetc can merge itself: resources,
//! namespace, labels and JSON 6902 patches.

mod alerts;
mod base;
mod config_files;
mod dashboard;
mod escape_hatch;
mod external_secret;
mod identity;
mod inputs;
mod metrics;
mod origins;
mod overlay;
mod patch;
mod pod;
mod pod_origins;
mod repeated;
mod rollout;
mod scheduling;
mod scope;
mod watched;
mod workload;

pub(super) use inputs::overlay_input_roots;
pub(crate) use scope::{ServiceScope, preview_name};

use crate::model::{Colour, ServiceModel};
use crate::tree::Tree;

/// The files of one service: base, colours or Rollout, and an overlay per environment.
pub(super) fn emit_service(scope: &ServiceScope<'_>, service: &ServiceModel, tree: &mut Tree) {
    {
        base::emit(scope, service, tree);
        match &service.rollout {
            Some(rollout) => rollout::emit(scope, service, rollout, tree),
            // Its one workload is in the base.
            None if service.kind.rolls_in_place() => {}
            None => {
                for colour in colours_used(service) {
                    workload::emit(scope, service, colour, tree);
                }
            }
        }
        let mut built = watched::LastBuilt::default();
        // Only the clusters of one environment write alike: another environment's files
        // differ in their namespace at least, and comparing them would be time lost.
        let mut last = (None, repeated::LastWritten::default());
        for deployment in &service.deployments {
            if last.0 != Some(&deployment.environment) {
                last = (
                    Some(&deployment.environment),
                    repeated::LastWritten::default(),
                );
            }
            overlay::emit(scope, service, deployment, (&mut last.1, &mut built), tree);
        }
    }
}

/// The colours some environment of the service runs, in blue, green order.
fn colours_used(service: &ServiceModel) -> Vec<Colour> {
    Colour::ALL
        .into_iter()
        .filter(|colour| {
            service
                .deployments
                .iter()
                .any(|d| d.colours.iter().any(|run| run.colour == *colour))
        })
        .collect()
}
