//! The one place release states are written, for an environment with or without clusters,
//! so that a release and an advance leave the same spec.

use toml_edit::{DocumentMut, TableLike};

use super::aimed::{Aimed, places};
use super::cluster_entry::cluster_entry;
use super::cluster_settle::settle;
use super::cluster_states::refuse_while_clusters_differ;
use super::transitions::StatePlace;
use crate::edit::EditError;
use crate::edit::toml::toml_path::{deploy_entry, service_table};
use crate::spec::{DeployState, Environment, Service};

/// Runs `edit` on each release state `aimed` names in `env` (a cluster's own created from what
/// it runs today), then settles the clusters' states. The environment's own state is edited
/// only while every cluster follows it, since an edit of it moves them all.
pub(crate) fn edit_states(
    doc: &mut DocumentMut,
    (service, service_name): (&Service, &str),
    (env, environment): (&str, &Environment),
    aimed: &Aimed,
    mut edit: impl FnMut(&mut dyn TableLike, &DeployState, &StatePlace<'_>) -> Result<String, EditError>,
) -> Result<String, EditError> {
    if *aimed == Aimed::Environment {
        refuse_while_clusters_differ(service, service_name, env)?;
    }
    let mut lines = Vec::new();
    for cluster in aimed.slots() {
        let state = service.state_at(env, cluster);
        let table = service_table(doc, service_name)
            .ok_or_else(|| EditError::not_a_table(&["services", service_name]))?;
        let entry = match cluster {
            None => deploy_entry(table, env),
            Some(cluster) => cluster_entry(table, env, cluster, &service.state_in(env), &state),
        };
        let at = StatePlace {
            service_name,
            env,
            cluster,
            text: format!("`{service_name}` in {}", places(env, &[cluster])),
        };
        lines.push(edit(entry, &state, &at)?);
    }
    // Only a cluster's own state can come to match its environment's or its siblings'.
    if let Aimed::Clusters(_) = aimed
        && let Some(table) = service_table(doc, service_name)
    {
        settle(table, env, environment);
    }
    Ok(lines.join("\n"))
}
