//! What the release commands read of the clusters of an environment: a cluster with a
//! release state of its own (`deploy.<env>.clusters.<cluster>`) is not moved by an edit of
//! the environment's state, and a version counts as live in an environment only when it is
//! live in every one of its clusters.

use crate::edit::EditError;
use crate::spec::{Service, Spec};

/// Refuses an edit of the environment's release state while some of its clusters run one of
/// their own: the edit would move the other clusters and silently leave those behind.
pub(super) fn refuse_while_clusters_differ(
    service: &Service,
    service_name: &str,
    env: &str,
) -> Result<(), EditError> {
    let own = own_states(service, env);
    if own.is_empty() {
        return Ok(());
    }
    let tables: Vec<String> = own
        .iter()
        .map(|c| format!("`services.{service_name}.deploy.{env}.clusters.{c}`"))
        .collect();
    let first = ["services", service_name, "deploy", env, "clusters", own[0]];
    let named: Vec<String> = own.iter().map(|c| format!("`{c}`")).collect();
    Err(EditError::refused(format!(
        "`{service_name}` runs a release state of its own in {} {} of `{env}`; an edit of the environment's state would leave {} behind",
        if own.len() == 1 { "cluster" } else { "clusters" },
        named.join(", "),
        if own.len() == 1 { "it" } else { "them" },
    ))
    .help(format!(
        "once the clusters run what the environment does, remove {} so they follow the environment again",
        tables.join(", ")
    ))
    .at(&first))
}

/// The clusters of `env` that run a release state of their own rather than the
/// environment's, in the order the spec writes them.
pub(crate) fn own_states<'a>(service: &'a Service, env: &str) -> Vec<&'a str> {
    service
        .deploy
        .get(env)
        .into_iter()
        .flat_map(|state| state.clusters.keys().map(String::as_str))
        .collect()
}

/// The version `service` serves live in every cluster of `env` (its one cluster, when it
/// lists none), if they all serve the same one.
pub(super) fn live_everywhere(spec: &Spec, service: &Service, env: &str) -> Option<String> {
    let names = spec
        .environments
        .get(env)
        .into_iter()
        .flat_map(|e| e.clusters.keys().map(String::as_str));
    service.live_in_every(env, &Service::cluster_slots(names))
}

#[cfg(test)]
mod tests {
    use super::{live_everywhere, refuse_while_clusters_differ};
    use crate::spec::Spec;

    fn spec(deploy: &str) -> Spec {
        crate::edit::test_spec::clustered(deploy)
    }

    const CANARY_ON_1_1: &str = "[services.users.deploy.prod]\nblue = \"1.0\"\nlive = \"blue\"\n[services.users.deploy.prod.clusters.canary]\nblue = \"1.0\"\ngreen = \"1.1\"\nlive = \"green\"";

    #[test]
    fn a_version_is_live_in_an_environment_only_when_every_cluster_serves_it() {
        let spec = spec(CANARY_ON_1_1);
        let users = &spec.services["users"];
        assert_eq!(live_everywhere(&spec, users, "prod"), None);
        let settled = self::spec("");
        let users = &settled.services["users"];
        assert_eq!(
            live_everywhere(&settled, users, "prod").as_deref(),
            Some("1.0")
        );
    }

    #[test]
    fn an_edit_of_the_environment_is_refused_while_a_cluster_runs_its_own_state() {
        let spec = spec(CANARY_ON_1_1);
        let refused = refuse_while_clusters_differ(&spec.services["users"], "users", "prod");
        let error = refused.unwrap_err();
        assert!(
            error.message.contains("in cluster `canary` of `prod`"),
            "{}",
            error.message
        );
        let settled = self::spec("");
        assert!(refuse_while_clusters_differ(&settled.services["users"], "users", "prod").is_ok());
    }
}
