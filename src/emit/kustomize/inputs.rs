//! What an overlay is built from: its own folder and the folders its kustomization names.

use crate::model::{Colour, Deployment, ServiceModel};

/// The folders an overlay's kustomization names as resources, relative to the overlay: the
/// base, then the colours that run in its environment, or the service's Rollout. None of
/// them names a folder in turn, so these and the overlay's own folder are everything
/// `kustomize build` reads for it; Argo CD refreshes the Application when a commit touches
/// them and only then.
pub(super) fn overlay_inputs(service: &ServiceModel, deployment: &Deployment) -> Vec<String> {
    inputs(
        up(deployment.cluster.as_deref()),
        service.rollout.is_some(),
        deployment.colours.iter().map(|run| run.colour),
    )
}

/// From an overlay to the service's folder: a cluster's overlay sits one level deeper, in
/// its environment's.
fn up(cluster: Option<&str>) -> &'static str {
    if cluster.is_some() {
        "../../.."
    } else {
        "../.."
    }
}

/// The folders an overlay of the service may read whatever its release state: the base, and
/// the colours' parent folder or the Rollout. Every folder [`overlay_inputs`] names lies in
/// one of them, and they stay the same while releases start, switch and settle, so naming
/// them (rather than the colours that run today) keeps a release from changing anything but
/// its own service's files.
pub(crate) fn overlay_input_roots(service: &ServiceModel, cluster: Option<&str>) -> Vec<String> {
    input_roots(up(cluster), service.rollout.is_some())
}

fn input_roots(up: &str, rollout: bool) -> Vec<String> {
    let workloads = if rollout { "rollout" } else { "colours" };
    vec![format!("{up}/base"), format!("{up}/{workloads}")]
}

fn inputs(up: &str, rollout: bool, colours: impl Iterator<Item = Colour>) -> Vec<String> {
    let mut folders = vec![format!("{up}/base")];
    if rollout {
        // One Rollout holds every version; the colour folders belong to Deployments.
        folders.push(format!("{up}/rollout"));
    } else {
        folders.extend(colours.map(|colour| format!("{up}/colours/{}", colour.as_str())));
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
            inputs("../..", false, [Colour::Green].into_iter()),
            ["../../base", "../../colours/green"]
        );
        assert_eq!(
            inputs("../..", false, Colour::ALL.into_iter()),
            ["../../base", "../../colours/blue", "../../colours/green"]
        );
    }

    #[test]
    fn a_rollout_overlay_reads_the_rollout_and_no_colour() {
        assert_eq!(
            inputs("../..", true, [Colour::Blue].into_iter()),
            ["../../base", "../../rollout"]
        );
    }

    #[test]
    fn a_clusters_overlay_reads_the_same_folders_from_one_level_deeper() {
        assert_eq!(
            inputs(super::up(Some("us")), false, [Colour::Blue].into_iter()),
            ["../../../base", "../../../colours/blue"]
        );
    }

    #[test]
    fn every_folder_an_overlay_reads_lies_in_a_root_whatever_runs() {
        let runs: [&[Colour]; 3] = [&[Colour::Blue], &[Colour::Green], &Colour::ALL];
        for (up, rollout) in [("../..", false), ("../..", true), ("../../..", false)] {
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
