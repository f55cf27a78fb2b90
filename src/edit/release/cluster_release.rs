//! Release actions aimed at some clusters of an environment (one cluster, or one wave):
//! each cluster gets a release state of its own, `deploy.<env>.clusters.<cluster>`, and
//! once every cluster runs the same state again it becomes the environment's.

use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike, Value};

use super::action::{
    Place, ReleaseAction, check_promotion_order, colours_fleetc_switches, promote, refuse_if_live,
    release, retire, rollback,
};
use super::cluster_settle::{settle, write_state};
use crate::edit::EditError;
use crate::edit::toml::toml_path::{deploy_entry, service_table};
use crate::source::diagnostic::did_you_mean;
use crate::spec::{DeployState, Environment, Service, Spec, version_tag as tag};

/// The clusters of an environment an action is aimed at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReleaseTarget {
    /// Every cluster: the environment's own release state.
    Environment,
    Cluster(String),
    /// Every cluster of one rollout wave.
    Wave(u32),
}

pub(in crate::edit) fn release_in_clusters(
    spec: &Spec,
    doc: &mut DocumentMut,
    service_name: &str,
    env: &str,
    target: &ReleaseTarget,
    action: &ReleaseAction,
) -> Result<String, EditError> {
    // Checked before the environment is looked up: it says which names are declared.
    let service = colours_fleetc_switches(spec, service_name, env)?;
    let clusters = targeted(&spec.environments[env], env, target)?;
    release_into(spec, doc, (service, service_name), env, &clusters, action)
}

/// A release action on `clusters` of `env` for a service whose colours fleetc switches there,
/// each cluster checked as `release` checks it.
pub(in crate::edit) fn release_into(
    spec: &Spec,
    doc: &mut DocumentMut,
    (service, service_name): (&Service, &str),
    env: &str,
    clusters: &[String],
    action: &ReleaseAction,
) -> Result<String, EditError> {
    let environment = &spec.environments[env];
    edit_cluster_states(
        doc,
        (service, service_name),
        (env, environment),
        clusters,
        |entry, state, at| {
            let cluster = at.cluster.unwrap_or_default();
            if let ReleaseAction::Release {
                version,
                skip_order,
            } = action
            {
                refuse_if_live(state, at, version)?;
                if !skip_order {
                    check_promotion_order(spec, service, service_name, env, version)?;
                    check_wave_order(environment, service, (env, cluster), version)?;
                }
            }
            match action {
                ReleaseAction::Release { version, .. } => Ok(release(entry, state, at, version)),
                ReleaseAction::Promote => promote(entry, state, at),
                ReleaseAction::Rollback => rollback(entry, state, at),
                ReleaseAction::Retire => retire(entry, state, at),
            }
        },
    )
}

/// Runs `edit` on the release state of each of `clusters` of `env` (its own, created from
/// what it runs today), then settles them: the one place cluster states are written, so a
/// release and an advance leave the same spec.
pub(in crate::edit) fn edit_cluster_states(
    doc: &mut DocumentMut,
    (service, service_name): (&Service, &str),
    (env, environment): (&str, &Environment),
    clusters: &[String],
    mut edit: impl FnMut(&mut dyn TableLike, &DeployState, &Place<'_>) -> Result<String, EditError>,
) -> Result<String, EditError> {
    let mut lines = Vec::new();
    for cluster in clusters {
        let state = service.state_at(env, Some(cluster));
        let table = service_table(doc, service_name).ok_or_else(|| {
            EditError::invalid(format!("`services.{service_name}` is not a table"))
        })?;
        let entry = cluster_entry(table, env, cluster, &service.state_in(env), &state);
        let at = Place {
            service_name,
            env,
            cluster: Some(cluster),
            text: format!("`{service_name}` in `{env}/{cluster}`"),
        };
        lines.push(edit(entry, &state, &at)?);
    }
    if let Some(table) = service_table(doc, service_name) {
        settle(table, env, environment);
    }
    Ok(lines.join("\n"))
}

/// The names of the clusters a target is aimed at, in declaration order.
pub(in crate::edit) fn targeted(
    environment: &Environment,
    env: &str,
    target: &ReleaseTarget,
) -> Result<Vec<String>, EditError> {
    let declared: Vec<&str> = environment.clusters.keys().map(String::as_str).collect();
    if declared.is_empty() {
        return Err(
            EditError::invalid(format!("environment `{env}` lists no clusters"))
                .help("leave out --cluster and --wave: the environment is one cluster"),
        );
    }
    match target {
        ReleaseTarget::Environment => Ok(declared.iter().map(|c| (*c).to_owned()).collect()),
        ReleaseTarget::Cluster(cluster) if declared.contains(&cluster.as_str()) => {
            Ok(vec![cluster.clone()])
        }
        ReleaseTarget::Cluster(cluster) => {
            let mut error = EditError::invalid(format!(
                "cluster `{cluster}` is not declared in environment `{env}`; its clusters: {}",
                declared.join(", ")
            ));
            if let Some(suggestion) = did_you_mean(cluster, declared.iter().copied()) {
                error = error.help(format!("did you mean `{suggestion}`?"));
            }
            Err(error)
        }
        ReleaseTarget::Wave(wave) => {
            let in_wave: Vec<String> = environment
                .clusters
                .iter()
                .filter(|(_, c)| c.wave_or_first() == *wave)
                .map(|(name, _)| name.clone())
                .collect();
            if in_wave.is_empty() {
                return Err(
                    EditError::invalid(format!("no cluster of `{env}` is in wave {wave}"))
                        .help(format!("its waves: {}", waves(environment))),
                );
            }
            Ok(in_wave)
        }
    }
}

/// `0 (eu-canary), 1 (eu, us)`.
fn waves(environment: &Environment) -> String {
    let mut numbers: Vec<u32> = environment
        .clusters
        .values()
        .map(crate::spec::Cluster::wave_or_first)
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
        .iter()
        .map(|wave| {
            let names: Vec<&str> = environment
                .clusters
                .iter()
                .filter(|(_, c)| c.wave_or_first() == *wave)
                .map(|(name, _)| name.as_str())
                .collect();
            format!("{wave} ({})", names.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Clusters roll out in waves: a version reaches a cluster only once it is live in every
/// cluster of the waves before.
fn check_wave_order(
    environment: &Environment,
    service: &Service,
    (env, cluster): (&str, &str),
    version: &str,
) -> Result<(), EditError> {
    let wave = environment.clusters[cluster].wave_or_first();
    let behind = behind_in_earlier_waves(environment, service, env, wave, version);
    if behind.is_empty() {
        return Ok(());
    }
    Err(EditError::refused(format!(
        "{version} is not live yet in {} of `{env}`, so it cannot reach `{cluster}` (wave {wave})",
        behind.join(", ")
    ))
    .help("clusters roll out in waves: release and promote it in the earlier waves first (`--wave N`), or pass --skip-order"))
}

/// The clusters of the waves before `wave`, in declaration order.
pub(in crate::edit) fn earlier_waves(environment: &Environment, wave: u32) -> Vec<String> {
    environment
        .clusters
        .iter()
        .filter(|(_, c)| c.wave_or_first() < wave)
        .map(|(name, _)| name.clone())
        .collect()
}

/// The clusters of the waves before `wave` that do not serve `version` live yet, each as
/// `` `eu-canary` (wave 0) ``: what keeps a version from the wave.
pub(in crate::edit) fn behind_in_earlier_waves(
    environment: &Environment,
    service: &Service,
    env: &str,
    wave: u32,
    version: &str,
) -> Vec<String> {
    earlier_waves(environment, wave)
        .into_iter()
        .filter(|name| {
            service
                .live_in_every(env, &[Some(name)])
                .as_deref()
                .map(tag)
                != Some(tag(version))
        })
        .map(|name| {
            let wave = environment.clusters[&name].wave_or_first();
            format!("`{name}` (wave {wave})")
        })
        .collect()
}

/// The release state of one cluster, created as a copy of what it runs today in the style
/// of the environment's entry: `clusters = { us = { … } }` beside an inline entry, a
/// `[services.<svc>.deploy.<env>.clusters.<cluster>]` table after a table.
fn cluster_entry<'a>(
    service: &'a mut dyn TableLike,
    env: &str,
    cluster: &str,
    env_state: &DeployState,
    state: &DeployState,
) -> &'a mut dyn TableLike {
    let fresh_env = service.get("deploy").and_then(|d| d.get(env)).is_none();
    if fresh_env {
        // The environment's implicit state (blue runs `version`) becomes explicit, so the
        // clusters not aimed at keep running it.
        write_state(deploy_entry(service, env), env_state);
    }
    let env_item = service.get("deploy").and_then(|d| d.get(env));
    let inline = matches!(env_item, Some(Item::Value(_)));
    let position = env_item.and_then(Item::as_table).and_then(Table::position);
    let entry = deploy_entry(service, env);
    if entry.get("clusters").is_none() {
        let clusters = if inline {
            Item::Value(Value::InlineTable(InlineTable::new()))
        } else {
            let mut table = Table::new();
            table.set_implicit(true);
            Item::Table(table)
        };
        entry.insert("clusters", clusters);
    }
    let clusters = entry
        .get_mut("clusters")
        .and_then(Item::as_table_like_mut)
        .expect("clusters is a table");
    if clusters.get(cluster).is_none() {
        let last = clusters
            .iter()
            .filter_map(|(_, item)| item.as_table()?.position())
            .max()
            .or(position);
        let item = if inline {
            Item::Value(Value::InlineTable(InlineTable::new()))
        } else {
            let mut table = Table::new();
            // Tables print in position order; an equal position puts this one right after
            // its sibling (or its environment's table), since it was inserted after it.
            table.set_position(last);
            table.decor_mut().set_prefix("\n");
            Item::Table(table)
        };
        clusters.insert(cluster, item);
        let own = clusters
            .get_mut(cluster)
            .and_then(Item::as_table_like_mut)
            .expect("a cluster's state is a table");
        write_state(own, state);
    }
    clusters
        .get_mut(cluster)
        .and_then(Item::as_table_like_mut)
        .expect("a cluster's state is a table")
}
