//! The Argo CD Applications of a tree: one per overlay folder, named as reports name them.

use crate::render::overlays;
use crate::tree::Tree;

/// The service (none for an environment's own Application) and the environment an overlay
/// folder deploys.
pub fn application_of(dir: &str) -> Option<(Option<String>, String)> {
    match dir.split('/').collect::<Vec<_>>().as_slice() {
        ["apps", service, "overlays", env] => {
            Some((Some((*service).to_owned()), (*env).to_owned()))
        }
        ["envs", env] => Some((None, (*env).to_owned())),
        _ => None,
    }
}

/// `users-prod`, or `prod (environment)` for the environment's own Application.
pub fn application_name(service: Option<&str>, environment: &str) -> String {
    match service {
        Some(service) => format!("{service}-{environment}"),
        None => format!("{environment} (environment)"),
    }
}

/// The Applications of `before` that `after` no longer has: what Argo CD would delete, with
/// everything they deployed. Cheap enough for `build`: it reads paths, not manifests.
pub fn deleted_applications(before: &Tree, after: &Tree) -> Vec<String> {
    let mut deleted: Vec<String> = overlays(before)
        .into_iter()
        .filter(|dir| after.get(&format!("{dir}/kustomization.yaml")).is_none())
        .filter_map(|dir| application_of(&dir))
        .map(|(service, env)| application_name(service.as_deref(), &env))
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
}
