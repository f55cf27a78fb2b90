//! What `advance` makes of one service: whether the version live in the environment before
//! moves into the release states aimed at in the next, and if not, why.

use crate::edit::release::{Aimed, behind_in_earlier_waves, own_states, places};
use crate::spec::{Environment, Service, Spec, Strategy, version_tag as tag};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Verdict {
    Moves {
        version: String,
        replaces: Option<String>,
        /// The states aimed at that take it.
        into: Aimed,
    },
    /// It already serves the version live.
    Settled(String),
    /// Nothing to do for it now.
    Stays(String),
    /// It cannot move now: skipped when advancing everything, refused when named.
    Blocked(String),
}

pub(super) fn judge(
    spec: &Spec,
    service: &Service,
    (from, to): (&str, &str),
    aimed: &Aimed,
) -> Verdict {
    if !service.deployed_to(from) || !service.deployed_to(to) {
        let missing = if service.deployed_to(from) { to } else { from };
        return Verdict::Blocked(format!("not deployed to `{missing}`"));
    }
    let source = service.state_in(from);
    let Some(version) = source.version(source.live) else {
        return Verdict::Blocked(format!("serves nothing live in `{from}`"));
    };
    let lagging: Vec<&str> = service
        .deploy
        .get(from)
        .into_iter()
        .flat_map(|d| &d.clusters)
        .filter(|(_, own)| own.state().version(own.live).map(tag) != Some(tag(version)))
        .map(|(cluster, _)| cluster.as_str())
        .collect();
    if !lagging.is_empty() {
        return Verdict::Blocked(format!(
            "{} is not live yet in every cluster of `{from}` ({})",
            tag(version),
            lagging.join(", ")
        ));
    }
    if *aimed == Aimed::Environment {
        let own = own_states(service, to);
        if !own.is_empty() {
            let slots: Vec<Option<&str>> = own.iter().copied().map(Some).collect();
            return Verdict::Blocked(format!(
                "{} {} a release state of {}; advance it wave by wave with --wave N or --cluster C",
                places(to, &slots),
                if own.len() == 1 { "runs" } else { "run" },
                if own.len() == 1 {
                    "its own"
                } else {
                    "their own"
                },
            ));
        }
    }
    judge_states(service, (to, &spec.environments[to]), aimed, version)
}

/// What one state aimed at makes of the version on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
enum InState {
    /// It serves it already.
    Live,
    /// It runs it on the idle colour: promoting it there is the next step, not a release.
    Idle,
    /// Another release (this tag) is on its idle colour.
    InFlight(String),
    /// It takes the version; it serves this one today.
    Takes(Option<String>),
}

fn in_state(service: &Service, to: &str, cluster: Option<&str>, version: &str) -> InState {
    let state = service.state_at(to, cluster);
    let live = state.version(state.live);
    if live.map(tag) == Some(tag(version)) {
        return InState::Live;
    }
    if service.strategy == Strategy::BlueGreen
        && let Some(idle) = state.version(state.live.other())
    {
        if tag(idle) == tag(version) {
            return InState::Idle;
        }
        return InState::InFlight(tag(idle).to_owned());
    }
    InState::Takes(live.map(str::to_owned))
}

/// The verdict on moving `version` into the states `aimed` names in `to`: settled when each
/// serves it, blocked while an earlier wave lags or another release is in flight in one.
fn judge_states(
    service: &Service,
    (to, environment): (&str, &Environment),
    aimed: &Aimed,
    version: &str,
) -> Verdict {
    let each: Vec<(Option<&str>, InState)> = aimed
        .slots()
        .into_iter()
        .map(|cluster| (cluster, in_state(service, to, cluster, version)))
        .collect();
    let named = |wanted: &dyn Fn(&InState) -> bool| -> String {
        let slots: Vec<Option<&str>> = each
            .iter()
            .filter(|(_, verdict)| wanted(verdict))
            .map(|(cluster, _)| *cluster)
            .collect();
        places(to, &slots)
    };
    if each.iter().all(|(_, v)| *v == InState::Live) {
        return Verdict::Settled(format!(
            "already live in {} ({})",
            named(&|_| true),
            tag(version)
        ));
    }
    let wave = aimed.first_wave(environment);
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
            InState::InFlight(other) => Some(other.as_str()),
            _ => None,
        })
        .collect();
    in_flight.sort_unstable();
    in_flight.dedup();
    if !in_flight.is_empty() {
        return Verdict::Blocked(format!(
            "a release of {} is in flight in {}",
            in_flight.join(", "),
            named(&|v| matches!(v, InState::InFlight(_)))
        ));
    }
    let takes: Vec<Option<&str>> = each
        .iter()
        .filter(|(_, v)| matches!(v, InState::Takes(_)))
        .map(|(cluster, _)| *cluster)
        .collect();
    if takes.is_empty() {
        return Verdict::Stays(format!(
            "{} already runs on the idle colour in {}; promote it there",
            tag(version),
            named(&|v| *v == InState::Idle)
        ));
    }
    let replaces = each.iter().find_map(|(_, v)| match v {
        InState::Takes(live) => live.clone(),
        _ => None,
    });
    Verdict::Moves {
        version: tag(version).to_owned(),
        replaces,
        into: aimed.narrowed(|cluster| takes.contains(&Some(cluster))),
    }
}

#[cfg(test)]
mod tests {
    use super::{Verdict, judge, judge_states};
    use crate::edit::release::Aimed;
    use crate::spec::Spec;

    fn spec(deploy: &str) -> Spec {
        crate::edit::test_spec::clustered(deploy)
    }

    fn verdict(spec: &Spec, clusters: &[&str]) -> Verdict {
        let aimed = Aimed::Clusters(clusters.iter().map(|c| (*c).to_owned()).collect());
        of_state(spec, &aimed)
    }

    fn of_state(spec: &Spec, aimed: &Aimed) -> Verdict {
        let prod = &spec.environments["prod"];
        judge_states(&spec.services["users"], ("prod", prod), aimed, "1.1")
    }

    const CANARY: &str = "[services.users.deploy.prod]\nblue = \"1.0\"\nlive = \"blue\"\n[services.users.deploy.prod.clusters.canary]\nblue = \"1.0\"\ngreen = \"1.1\"\n";

    #[test]
    fn the_first_wave_takes_a_version_and_the_next_waits_for_it() {
        let untouched = spec("");
        assert_eq!(
            verdict(&untouched, &["canary"]),
            Verdict::Moves {
                version: "1.1".to_owned(),
                replaces: Some("1.0".to_owned()),
                into: Aimed::Clusters(vec!["canary".to_owned()]),
            }
        );
        let Verdict::Blocked(reason) = verdict(&untouched, &["eu", "us"]) else {
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
        let Verdict::Stays(reason) = verdict(&previewing, &["canary"]) else {
            panic!("the canary runs it on its idle colour");
        };
        assert!(reason.contains("idle colour in `prod/canary`"), "{reason}");
        assert!(matches!(
            verdict(&previewing, &["eu", "us"]),
            Verdict::Blocked(_)
        ));
    }

    #[test]
    fn a_served_version_settles_its_wave_and_opens_the_next() {
        let served = spec(&format!("{CANARY}live = \"green\""));
        assert!(matches!(verdict(&served, &["canary"]), Verdict::Settled(_)));
        assert!(matches!(
            verdict(&served, &["eu"]),
            Verdict::Moves { into, .. } if into.slots() == [Some("eu")]
        ));
    }

    #[test]
    fn another_release_in_flight_in_one_cluster_blocks_the_wave_and_names_it() {
        let other = spec(
            "[services.users.deploy.prod]\nblue = \"1.0\"\nlive = \"blue\"\n[services.users.deploy.prod.clusters.canary]\nblue = \"1.0\"\ngreen = \"1.2\"\nlive = \"blue\"",
        );
        let Verdict::Blocked(reason) = verdict(&other, &["canary"]) else {
            panic!("1.2 is in flight in the canary");
        };
        assert_eq!(reason, "a release of 1.2 is in flight in `prod/canary`");
    }

    #[test]
    fn the_environments_own_state_is_judged_as_its_one_unnamed_cluster() {
        let untouched = spec("");
        assert_eq!(
            of_state(&untouched, &Aimed::Environment),
            Verdict::Moves {
                version: "1.1".to_owned(),
                replaces: Some("1.0".to_owned()),
                into: Aimed::Environment,
            }
        );
        let in_flight =
            spec("[services.users.deploy.prod]\nblue = \"1.0\"\ngreen = \"1.2\"\nlive = \"blue\"");
        assert_eq!(
            of_state(&in_flight, &Aimed::Environment),
            Verdict::Blocked("a release of 1.2 is in flight in `prod`".to_owned())
        );
        let served = spec("[services.users.deploy.prod]\nblue = \"1.1\"\nlive = \"blue\"");
        assert_eq!(
            of_state(&served, &Aimed::Environment),
            Verdict::Settled("already live in `prod` (1.1)".to_owned())
        );
    }

    #[test]
    fn the_environments_own_state_waits_while_a_cluster_runs_one_of_its_own() {
        let canary = spec(&format!("{CANARY}live = \"blue\""));
        let Verdict::Blocked(reason) = judge(
            &canary,
            &canary.services["users"],
            ("prod", "prod"),
            &Aimed::Environment,
        ) else {
            panic!("the canary runs a state of its own");
        };
        assert_eq!(
            reason,
            "`prod/canary` runs a release state of its own; advance it wave by wave with --wave N or --cluster C"
        );
    }
}
