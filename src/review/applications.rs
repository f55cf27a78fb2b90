//! The Argo CD Applications of a tree: one per overlay folder, named as reports name them.

use crate::render::overlays;
use crate::tree::Tree;
use crate::tree::layout::{Location, locate_application_dir};

/// Where an Application deploys: the service (none for an environment's own Application),
/// the environment, and the cluster in an environment that lists clusters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPlace {
    pub service: Option<String>,
    pub environment: String,
    pub cluster: Option<String>,
}

impl AppPlace {
    pub fn name(&self) -> String {
        application_name(
            self.service.as_deref(),
            &self.environment,
            self.cluster.as_deref(),
        )
    }
}

/// The Application an overlay folder is the source of, by where it deploys.
pub(super) fn application_of(dir: &str) -> Option<AppPlace> {
    let (service, environment, cluster) = match locate_application_dir(dir)? {
        Location::Overlay {
            service,
            env,
            cluster,
        } => (Some(service), env, cluster),
        Location::Environment { env, cluster } => (None, env, cluster),
        _ => return None,
    };
    Some(AppPlace {
        service: service.map(str::to_owned),
        environment: environment.to_owned(),
        cluster: cluster.map(str::to_owned),
    })
}

/// `users-prod` (`users-prod-us` in a cluster), or `prod (environment)` (`prod/us
/// (environment)`) for the shared objects' Application.
pub(super) fn application_name(
    service: Option<&str>,
    environment: &str,
    cluster: Option<&str>,
) -> String {
    match (service, cluster) {
        (Some(service), Some(cluster)) => format!("{service}-{environment}-{cluster}"),
        (Some(service), None) => format!("{service}-{environment}"),
        (None, Some(cluster)) => format!("{environment}/{cluster} (environment)"),
        (None, None) => format!("{environment} (environment)"),
    }
}

/// The Applications of `before` that `after` no longer has: what Argo CD would delete, with
/// everything they deployed. Cheap enough for `build`: it reads paths, not manifests.
pub(crate) fn deleted_applications(before: &Tree, after: &Tree) -> Vec<AppPlace> {
    overlays(before)
        .into_iter()
        .filter(|dir| after.get(&format!("{dir}/kustomization.yaml")).is_none())
        .filter_map(|dir| application_of(&dir))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dirs: &[&str]) -> Tree {
        let mut tree = Tree::new();
        for dir in dirs {
            tree.insert(format!("{dir}/kustomization.yaml"), "x");
        }
        tree
    }

    fn names(places: &[AppPlace]) -> Vec<String> {
        let mut names: Vec<String> = places.iter().map(AppPlace::name).collect();
        names.sort();
        names
    }

    #[test]
    fn an_overlay_that_goes_is_a_deleted_application() {
        let before = tree(&[
            "apps/users/overlays/prod",
            "apps/users/overlays/dev",
            "apps/users/colours/blue",
            "envs/qa",
        ]);
        let after = tree(&["apps/users/overlays/prod", "apps/accounts/overlays/dev"]);
        assert_eq!(
            names(&deleted_applications(&before, &after)),
            ["qa (environment)", "users-dev"]
        );
    }

    #[test]
    fn a_clusters_overlay_is_the_application_of_that_cluster() {
        let before = tree(&[
            "apps/users/overlays/prod/eu",
            "apps/users/overlays/prod/us",
            "envs/prod/us",
        ]);
        let after = tree(&["apps/users/overlays/prod/eu"]);
        assert_eq!(
            names(&deleted_applications(&before, &after)),
            ["prod/us (environment)", "users-prod-us"]
        );
    }
}
