//! What an overlay is built from: its own folder and the folders its kustomization names.

use crate::model::{Colour, Deployment, ServiceModel};
use crate::tree::layout::{base_dir, colour_dir, colours_dir, relative, rollout_dir};

/// The folders an overlay's kustomization names as resources, relative to the overlay: the
/// base, then the colours that run in its environment, or the service's Rollout. None of
/// them names a folder in turn, so these and the overlay's own folder are everything
/// `kustomize build` reads for it; Argo CD refreshes the Application when a commit touches
/// them and only then.
pub(super) fn overlay_inputs(service: &ServiceModel, deployment: &Deployment) -> Vec<String> {
    let overlay = deployment.overlay_dir(&service.name);
    if service.kind.rolls_in_place() {
        return vec![relative(&overlay, &base_dir(&service.name))];
    }
    inputs(
        &service.name,
        service.rollout.is_some(),
        deployment.colours.iter().map(|run| run.colour),
    )
    .iter()
    .map(|folder| relative(&overlay, folder))
    .collect()
}

/// The folders an overlay of the service may read whatever its release state: the base, and
/// the colours' parent folder or the Rollout. Every folder [`overlay_inputs`] names lies in
/// one of them, and they stay the same while releases start, switch and settle, so naming
/// them (rather than the colours that run today) keeps a release from changing anything but
/// its own service's files. Relative to the overlay of `deployment`.
pub(crate) fn overlay_input_roots(service: &ServiceModel, deployment: &Deployment) -> Vec<String> {
    let overlay = deployment.overlay_dir(&service.name);
    if service.kind.rolls_in_place() {
        // Its one workload is in the base.
        return vec![relative(&overlay, &base_dir(&service.name))];
    }
    input_roots(&service.name, service.rollout.is_some())
        .iter()
        .map(|folder| relative(&overlay, folder))
        .collect()
}

/// The folders of the tree an overlay of `service` may read.
fn input_roots(service: &str, rollout: bool) -> Vec<String> {
    let workloads = if rollout {
        rollout_dir(service)
    } else {
        colours_dir(service)
    };
    vec![base_dir(service), workloads]
}

/// The folders of the tree an overlay reads, with `colours` running in it.
fn inputs(service: &str, rollout: bool, colours: impl Iterator<Item = Colour>) -> Vec<String> {
    let mut folders = vec![base_dir(service)];
    if rollout {
        // One Rollout holds every version; the colour folders belong to Deployments.
        folders.push(rollout_dir(service));
    } else {
        folders.extend(colours.map(|colour| colour_dir(service, colour)));
    }
    folders
}

#[cfg(test)]
mod tests {
    use super::{input_roots, inputs};
    use crate::model::Colour;

    #[test]
    fn an_overlay_reads_the_base_and_only_the_colours_that_run_there() {
        assert_eq!(
            inputs("a", false, [Colour::Green].into_iter()),
            ["apps/a/base", "apps/a/colours/green"]
        );
        assert_eq!(
            inputs("a", false, Colour::ALL.into_iter()),
            ["apps/a/base", "apps/a/colours/blue", "apps/a/colours/green"]
        );
    }

    #[test]
    fn a_rollout_overlay_reads_the_rollout_and_no_colour() {
        assert_eq!(
            inputs("a", true, [Colour::Blue].into_iter()),
            ["apps/a/base", "apps/a/rollout"]
        );
    }

    #[test]
    fn every_folder_an_overlay_reads_lies_in_a_root_whatever_runs() {
        let runs: [&[Colour]; 3] = [&[Colour::Blue], &[Colour::Green], &Colour::ALL];
        for rollout in [false, true] {
            let up = "a";
            let roots = input_roots(up, rollout);
            for colours in runs {
                for folder in inputs(up, rollout, colours.iter().copied()) {
                    assert!(
                        roots
                            .iter()
                            .any(|root| folder == *root || folder.starts_with(&format!("{root}/"))),
                        "{folder} is in none of {roots:?}"
                    );
                }
            }
        }
    }
}
