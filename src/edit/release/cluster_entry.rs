//! A cluster's own release state, `deploy.<env>.clusters.<cluster>`, created in the spec in
//! the style its environment's entry is written in.

use toml_edit::{InlineTable, Item, Table, TableLike, Value};

use super::cluster_settle::write_state;
use crate::edit::toml::toml_path::deploy_entry;
use crate::spec::DeployState;

/// The release state of one cluster, created as a copy of what it runs today in the style
/// of the environment's entry: `clusters = { us = { … } }` beside an inline entry, a
/// `[services.<svc>.deploy.<env>.clusters.<cluster>]` table after a table.
pub(super) fn cluster_entry<'a>(
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
