//! `advance --wave N` / `--cluster C`: a version live in the source environment moves into
//! some clusters of the next one, cluster by cluster as `release --wave N` would move it, and
//! only once every cluster of the earlier waves serves it.

use toml_edit::DocumentMut;

use super::plan::Verdict;
use crate::edit::EditError;
use crate::edit::release::action::ReleaseAction;
use crate::edit::release::cluster_release::{
    ReleaseTarget, behind_in_earlier_waves, earlier_waves, edit_cluster_states, release_into,
    targeted,
};
use crate::edit::toml::toml_path::set_str;
use crate::spec::{Environment, Service, Spec, Strategy, version_tag as tag};

/// The clusters of the destination an advance is aimed at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::edit) struct Aim {
    pub clusters: Vec<String>,
    /// The clusters of the destination's earlier waves, which must serve a version before
    /// it reaches the aimed ones (empty for the first wave).
    pub earlier: Vec<String>,
}

/// Where `target` aims in `to`: `None` for the environment as a whole. A wave or cluster the
/// destination does not have is refused as `release` refuses it.
pub(in crate::edit) fn aim(
    spec: &Spec,
    to: &str,
    target: &ReleaseTarget,
) -> Result<Option<Aim>, EditError> {
    if *target == ReleaseTarget::Environment {
        return Ok(None);
    }
    let environment = &spec.environments[to];
    let clusters = targeted(environment, to, target)?;
    let wave = first_wave_of(environment, &clusters);
    Ok(Some(Aim {
        earlier: earlier_waves(environment, wave),
        clusters,
    }))
}

fn first_wave_of(environment: &Environment, clusters: &[String]) -> u32 {
    clusters
        .iter()
        .map(|c| environment.clusters[c].wave_or_first())
        .min()
        .unwrap_or(0)
}

/// What one aimed cluster makes of the version on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
enum InCluster {
    /// It serves it already.
    Live,
    /// It runs it on the idle colour: promoting it there is the next step, not a release.
    Idle,
    /// Another release (this tag) is on its idle colour.
    InFlight(String),
    /// It takes the version; it serves this one today.
    Takes(Option<String>),
}

fn in_cluster(service: &Service, to: &str, cluster: &str, version: &str) -> InCluster {
    let state = service.state_at(to, Some(cluster));
    let live = state.version(state.live);
    if live.map(tag) == Some(tag(version)) {
        return InCluster::Live;
    }
    if service.strategy == Strategy::BlueGreen
        && let Some(idle) = state.version(state.live.other())
    {
        if tag(idle) == tag(version) {
            return InCluster::Idle;
        }
        return InCluster::InFlight(tag(idle).to_owned());
    }
    InCluster::Takes(live.map(str::to_owned))
}

/// The verdict on moving `version` into the aimed clusters of `to`: settled when each
/// serves it, blocked while an earlier wave lags or another release is in flight in one.
pub(in crate::edit) fn judge_in_clusters(
    service: &Service,
    (to, environment): (&str, &Environment),
    aim: &Aim,
    version: &str,
) -> Verdict {
    let each: Vec<(&str, InCluster)> = aim
        .clusters
        .iter()
        .map(|c| (c.as_str(), in_cluster(service, to, c, version)))
        .collect();
    let named = |wanted: &dyn Fn(&InCluster) -> bool| -> String {
        each.iter()
            .filter(|(_, verdict)| wanted(verdict))
            .map(|(c, _)| format!("`{to}/{c}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if each.iter().all(|(_, v)| *v == InCluster::Live) {
        return Verdict::Settled(format!(
            "already live in {} ({})",
            named(&|_| true),
            tag(version)
        ));
    }
    let wave = first_wave_of(environment, &aim.clusters);
    let behind = behind_in_earlier_waves(environment, service, to, wave, version);
    if !behind.is_empty() {
        return Verdict::Blocked(format!(
            "{} is not live yet in {} of `{to}`, so it cannot reach wave {wave}",
            tag(version),
            behind.join(", ")
        ));
    }
    let mut in_flight: Vec<&str> = each
        .iter()
        .filter_map(|(_, v)| match v {
            InCluster::InFlight(other) => Some(other.as_str()),
            _ => None,
        })
        .collect();
    in_flight.sort_unstable();
    in_flight.dedup();
    if !in_flight.is_empty() {
        return Verdict::Blocked(format!(
            "a release of {} is in flight in {}",
            in_flight.join(", "),
            named(&|v| matches!(v, InCluster::InFlight(_)))
        ));
    }
    let takes: Vec<String> = each
        .iter()
        .filter(|(_, v)| matches!(v, InCluster::Takes(_)))
        .map(|(c, _)| (*c).to_owned())
        .collect();
    if takes.is_empty() {
        return Verdict::Stays(format!(
            "{} already runs on the idle colour in {}; promote it there",
            tag(version),
            named(&|v| *v == InCluster::Idle)
        ));
    }
    let replaces = each.iter().find_map(|(_, v)| match v {
        InCluster::Takes(live) => live.clone(),
        _ => None,
    });
    Verdict::Moves {
        version: tag(version).to_owned(),
        replaces,
        clusters: takes,
    }
}

/// Moves `version` into `clusters` of `env`: blue/green services on the idle colour of each,
/// as `release` does; Rollouts by each cluster's live version.
pub(in crate::edit) fn move_into_clusters(
    spec: &Spec,
    doc: &mut DocumentMut,
    service_name: &str,
    (env, clusters): (&str, &[String]),
    version: &str,
) -> Result<String, EditError> {
    let service = &spec.services[service_name];
    if service.strategy == Strategy::BlueGreen {
        // The verdict has checked both orders: the environment's and the waves'.
        let action = ReleaseAction::Release {
            version: version.to_owned(),
            skip_order: true,
        };
        return release_into(spec, doc, (service, service_name), env, clusters, &action);
    }
    edit_cluster_states(
        doc,
        (service, service_name),
        (env, &spec.environments[env]),
        clusters,
        |entry, state, at| {
            set_str(entry, state.live.as_str(), version);
            Ok(format!(
                "{}: the Rollout moves to {} ({})",
                at.text,
                tag(version),
                service.strategy.as_str()
            ))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::{Aim, judge_in_clusters};
    use crate::edit::advance::plan::Verdict;
    use crate::spec::Spec;

    fn spec(deploy: &str) -> Spec {
        crate::edit::test_spec::clustered(deploy)
    }

    fn verdict(spec: &Spec, clusters: &[&str], earlier: &[&str]) -> Verdict {
        let aim = Aim {
            clusters: clusters.iter().map(|c| (*c).to_owned()).collect(),
            earlier: earlier.iter().map(|c| (*c).to_owned()).collect(),
        };
        let prod = &spec.environments["prod"];
        judge_in_clusters(&spec.services["users"], ("prod", prod), &aim, "1.1")
    }

    const CANARY: &str = "[services.users.deploy.prod]\nblue = \"1.0\"\nlive = \"blue\"\n[services.users.deploy.prod.clusters.canary]\nblue = \"1.0\"\ngreen = \"1.1\"\n";

    #[test]
    fn the_first_wave_takes_a_version_and_the_next_waits_for_it() {
        let untouched = spec("");
        assert_eq!(
            verdict(&untouched, &["canary"], &[]),
            Verdict::Moves {
                version: "1.1".to_owned(),
                replaces: Some("1.0".to_owned()),
                clusters: vec!["canary".to_owned()],
            }
        );
        let Verdict::Blocked(reason) = verdict(&untouched, &["eu", "us"], &["canary"]) else {
            panic!("wave 1 waits for the canary");
        };
        assert!(
            reason.contains("1.1 is not live yet in `canary` (wave 0) of `prod`"),
            "{reason}"
        );
    }

    #[test]
    fn a_preview_in_the_first_wave_is_promoted_there_and_still_holds_the_next() {
        let previewing = spec(&format!("{CANARY}live = \"blue\""));
        let Verdict::Stays(reason) = verdict(&previewing, &["canary"], &[]) else {
            panic!("the canary runs it on its idle colour");
        };
        assert!(reason.contains("idle colour in `prod/canary`"), "{reason}");
        assert!(matches!(
            verdict(&previewing, &["eu", "us"], &["canary"]),
            Verdict::Blocked(_)
        ));
    }

    #[test]
    fn a_served_version_settles_its_wave_and_opens_the_next() {
        let served = spec(&format!("{CANARY}live = \"green\""));
        assert!(matches!(
            verdict(&served, &["canary"], &[]),
            Verdict::Settled(_)
        ));
        assert!(matches!(
            verdict(&served, &["eu"], &["canary"]),
            Verdict::Moves { clusters, .. } if clusters == ["eu"]
        ));
    }

    #[test]
    fn another_release_in_flight_in_one_cluster_blocks_the_wave_and_names_it() {
        let other = spec(
            "[services.users.deploy.prod]\nblue = \"1.0\"\nlive = \"blue\"\n[services.users.deploy.prod.clusters.canary]\nblue = \"1.0\"\ngreen = \"1.2\"\nlive = \"blue\"",
        );
        let Verdict::Blocked(reason) = verdict(&other, &["canary"], &[]) else {
            panic!("1.2 is in flight in the canary");
        };
        assert_eq!(reason, "a release of 1.2 is in flight in `prod/canary`");
    }
}
