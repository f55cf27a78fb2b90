//! The Argo CD Applications of a tree: one per overlay folder, named as reports name them.

use crate::render::overlays;
use crate::tree::Tree;

/// Where an overlay folder deploys: the service (none for an environment's own
/// Application), the environment, and the cluster in an environment that lists clusters.
pub type AppPlace = (Option<String>, String, Option<String>);

/// The Application an overlay folder is the source of, by where it deploys.
pub fn application_of(dir: &str) -> Option<AppPlace> {
    let owned = |s: &str| s.to_owned();
    match dir.split('/').collect::<Vec<_>>().as_slice() {
        ["apps", service, "overlays", env] => Some((Some(owned(service)), owned(env), None)),
        ["apps", service, "overlays", env, cluster] => {
            Some((Some(owned(service)), owned(env), Some(owned(cluster))))
        }
        ["envs", env] => Some((None, owned(env), None)),
        ["envs", env, cluster] => Some((None, owned(env), Some(owned(cluster)))),
        _ => None,
    }
}

/// `users-prod` (`users-prod-us` in a cluster), or `prod (environment)` (`prod/us
/// (environment)`) for the shared objects' Application.
pub fn application_name(service: Option<&str>, environment: &str, cluster: Option<&str>) -> String {
    match (service, cluster) {
        (Some(service), Some(cluster)) => format!("{service}-{environment}-{cluster}"),
        (Some(service), None) => format!("{service}-{environment}"),
        (None, Some(cluster)) => format!("{environment}/{cluster} (environment)"),
        (None, None) => format!("{environment} (environment)"),
    }
}

/// The Applications of `before` that `after` no longer has: what Argo CD would delete, with
/// everything they deployed. Cheap enough for `build`: it reads paths, not manifests.
pub fn deleted_applications(before: &Tree, after: &Tree) -> Vec<String> {
    let mut deleted: Vec<String> = overlays(before)
        .into_iter()
        .filter(|dir| after.get(&format!("{dir}/kustomization.yaml")).is_none())
        .filter_map(|dir| application_of(&dir))
        .map(|(service, env, cluster)| {
            application_name(service.as_deref(), &env, cluster.as_deref())
        })
        .collect();
    deleted.sort();
    deleted
}

/// `deletes 2 Argo CD Applications, and everything they deployed: users-dev, users-prod`.
pub fn deletion_warning(deleted: &[String]) -> Option<String> {
    let (count, they) = match deleted.len() {
        0 => return None,
        1 => ("1 Argo CD Application".to_owned(), "it"),
        n => (format!("{n} Argo CD Applications"), "they"),
    };
    Some(format!(
        "deletes {count}, and everything {they} deployed: {}",
        deleted.join(", ")
    ))
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
            deleted_applications(&before, &after),
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
            deleted_applications(&before, &after),
            ["prod/us (environment)", "users-prod-us"]
        );
    }
}
