//! The owners a change asks to review are exactly those GitHub asks, over random estates and
//! random edits: everyone the base's CODEOWNERS, read by the independent matcher, gives a
//! file the change adds, changes or deletes. Both the complete trees (`plan`) and the trees
//! `diff` compares, which hold only the services that can differ, ask the same owners.

use std::collections::BTreeSet;

use fleetc::impact;
use fleetc::{Compiled, Source, compile};
use proptest::prelude::*;

use super::{ClusterPick, GenSpec, OWNERS, Service, compile_at_limits, gen_spec, today};
use crate::common;

/// One edit of an estate, as a pull request makes it.
#[derive(Debug, Clone)]
enum Edit {
    /// A blue/green service starts a release in the last environment, or ends it.
    Release(prop::sample::Index),
    /// A service moves to another team.
    Team(prop::sample::Index, prop::sample::Index),
    /// A team's owners change.
    TeamOwners(prop::sample::Index, Vec<usize>),
    /// An environment's approvers change.
    Approvers(prop::sample::Index, Vec<Option<usize>>),
    /// An environment becomes production, or stops being one while another stays.
    Production(prop::sample::Index),
    /// A service goes (while another stays).
    Remove(prop::sample::Index),
    /// A service joins, on one team.
    Add(prop::sample::Index),
    /// A service starts or ends a release of its own in one cluster.
    ClusterRelease(prop::sample::Index, ClusterPick),
}

fn edit() -> impl Strategy<Value = Edit> {
    let index = any::<prop::sample::Index>;
    prop_oneof![
        index().prop_map(Edit::Release),
        (index(), index()).prop_map(|(s, t)| Edit::Team(s, t)),
        (index(), prop::collection::vec(0..OWNERS.len(), 1..4))
            .prop_map(|(t, owners)| Edit::TeamOwners(t, owners)),
        (
            index(),
            prop::collection::vec(prop::option::of(0..OWNERS.len()), 0..4)
        )
            .prop_map(|(e, approvers)| Edit::Approvers(e, approvers)),
        index().prop_map(Edit::Production),
        index().prop_map(Edit::Remove),
        index().prop_map(Edit::Add),
        (index(), any::<ClusterPick>()).prop_map(|(s, c)| Edit::ClusterRelease(s, c)),
    ]
}

impl Edit {
    fn apply(&self, spec: &mut GenSpec) {
        let services = spec.services.len();
        match self {
            Self::Release(s) => {
                let service = &mut spec.services[s.index(services)];
                service.releasing = !service.releasing && service.strategy == "blue-green";
            }
            Self::Team(s, t) => spec.services[s.index(services)].team = t.index(spec.teams.len()),
            Self::TeamOwners(t, owners) => {
                let team = t.index(spec.teams.len());
                spec.teams[team].1.clone_from(owners);
            }
            Self::Approvers(e, approvers) => {
                let env = e.index(spec.envs.len());
                spec.envs[env].approvers.clone_from(approvers);
            }
            Self::Production(e) => {
                let env = e.index(spec.envs.len());
                spec.envs[env].production = !spec.envs[env].production;
                if !spec.envs.iter().any(|e| e.production) {
                    spec.envs[env].production = true;
                }
            }
            Self::Remove(s) if services > 1 => {
                spec.services.remove(s.index(services));
            }
            Self::Remove(_) => {}
            Self::Add(t) => spec.services.push(Service {
                name: "zjoined".to_owned(),
                team: t.index(spec.teams.len()),
                shared_repository: false,
                strategy: "blue-green",
                releasing: false,
                scraped: true,
                cluster_replicas: None,
                cluster_release: None,
                ports: 2,
                kind: "deployment",
                security: 0,
                extras: 0,
            }),
            Self::ClusterRelease(s, (env, cluster)) => {
                let clustered: Vec<usize> = (0..spec.envs.len())
                    .filter(|&e| !spec.envs[e].clusters.is_empty())
                    .collect();
                let service = &mut spec.services[s.index(services)];
                service.cluster_release = match (service.cluster_release, clustered.is_empty()) {
                    (Some(_), _) | (None, true) => None,
                    (None, false) => {
                        let e = clustered[env.index(clustered.len())];
                        Some((e, cluster.index(spec.envs[e].clusters.len())))
                    }
                };
            }
        }
    }
}

fn compiled(spec: &GenSpec) -> Result<Compiled, TestCaseError> {
    compile(&Source::new("enterprise.toml", spec.text()), today())
        .map_err(|d| TestCaseError::fail(format!("{d:#?}\n{}", spec.text())))
}

fn requested(before: &Compiled, after: &Compiled, partial: bool) -> BTreeSet<String> {
    let (old, new) = if partial {
        fleetc::emit_for_review(&before.model, &after.model)
    } else {
        (before.tree.clone(), after.tree.clone())
    };
    let impact = impact(&old, &new, &after.model).expect("both trees render");
    impact.owners.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, max_shrink_iters: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_owners_to_request_are_those_codeowners_requires(spec in gen_spec(), edit in edit()) {
        let (mut spec, _) = compile_at_limits(spec)?;
        let before = compiled(&spec)?;
        edit.apply(&mut spec);
        let after = compiled(&spec)?;

        let touched: Vec<String> = common::changed_paths(&before.tree, &after.tree)
            .into_iter()
            .map(|path| format!("generated/{path}"))
            .collect();
        let codeowners = std::str::from_utf8(before.tree.get("CODEOWNERS").unwrap()).unwrap();
        let required = common::codeowners::required(codeowners, touched.iter().map(String::as_str));
        prop_assert_eq!(&requested(&before, &after, false), &required, "{:?} touches {:?}", edit, touched);
        prop_assert_eq!(&requested(&before, &after, true), &required, "{:?}, as diff compares", edit);
    }
}
