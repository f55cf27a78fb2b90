//! Which environments read a service's shared folders (`apps/<svc>/colours/<colour>`,
//! `apps/<svc>/rollout`), from the overlays' kustomizations: a change there is that service's
//! change in those environments.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::changes::Change;
use super::links::read_regular;
use crate::tree::layout::{
    Location, colours_dir, joined, locate_file, overlay_dir, overlays_dir, rollout_dir,
};

#[derive(Debug, Default)]
pub(crate) struct Readers {
    by_folder: BTreeMap<String, BTreeSet<String>>,
}

impl Readers {
    /// Adds what one overlay kustomization (`apps/<svc>/overlays/<env>/kustomization.yaml`,
    /// or `…/<env>/<cluster>/kustomization.yaml`) reads; any other file is ignored.
    pub(crate) fn add(&mut self, path: &str, bytes: &[u8]) {
        let Some((
            Location::Overlay {
                service,
                env,
                cluster,
            },
            "kustomization.yaml",
        )) = locate_file(path)
        else {
            return;
        };
        // A cluster's overlay counts as `<env>/<cluster>`.
        let overlay = overlay_dir(service, env, cluster);
        let env = match cluster {
            None => env.to_owned(),
            Some(cluster) => format!("{env}/{cluster}"),
        };
        let colours = format!("{}/", colours_dir(service));
        let rollout = rollout_dir(service);
        let Ok(text) = std::str::from_utf8(bytes) else {
            return;
        };
        let documents = crate::render::parse_documents(text).unwrap_or_default();
        let resources = documents
            .first()
            .and_then(|d| d["resources"].as_array().cloned())
            .unwrap_or_default();
        for resource in resources.iter().filter_map(|r| r.as_str()) {
            if let Some(folder) = joined(&overlay, resource)
                && (folder.starts_with(&colours) || folder == rollout)
            {
                self.by_folder
                    .entry(folder)
                    .or_default()
                    .insert(env.clone());
            }
        }
    }

    /// The environments reading the folder a path of the tree is in.
    pub(crate) fn environments_of(&self, path: &str) -> Vec<String> {
        self.by_folder
            .iter()
            .filter(|(folder, _)| {
                path.strip_prefix(folder.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
            })
            .flat_map(|(_, envs)| envs.iter().cloned())
            .collect()
    }

    /// The readers of the shared folders that `changes` touch, before and after: from the
    /// kustomizations among the changes, and from `out` for the overlays that do not change.
    pub(crate) fn of_changes(changes: &[Change], out: &Path) -> Self {
        let mut readers = Self::default();
        let mut services = BTreeSet::new();
        for change in changes {
            for bytes in [&change.old, &change.new].into_iter().flatten() {
                readers.add(&change.path, bytes);
            }
            if let Some((Location::Colour { service, .. } | Location::Rollout { service }, _)) =
                locate_file(&change.path)
            {
                services.insert(service.to_owned());
            }
        }
        for service in services {
            let overlays = overlays_dir(&service);
            let Ok(entries) = std::fs::read_dir(out.join(&overlays)) else {
                continue;
            };
            for entry in entries.filter_map(Result::ok) {
                let env = format!("{overlays}/{}", entry.file_name().to_string_lossy());
                // An environment that lists clusters has an overlay per cluster inside its
                // folder, and none of its own.
                let clusters = std::fs::read_dir(out.join(&env))
                    .into_iter()
                    .flatten()
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| format!("{env}/{}", e.file_name().to_string_lossy()));
                for dir in std::iter::once(env.clone()).chain(clusters) {
                    let path = format!("{dir}/kustomization.yaml");
                    if let Ok(Some(bytes)) = read_regular(out, &path) {
                        readers.add(&path, &bytes);
                    }
                }
            }
        }
        readers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_colour_folder_is_read_by_the_overlays_that_list_it() {
        let mut readers = Readers::default();
        let overlay = |colours: &str| format!("resources:\n- ../../base\n{colours}");
        readers.add(
            "apps/users/overlays/prod/kustomization.yaml",
            overlay("- ../../colours/blue\n- ../../colours/green\n").as_bytes(),
        );
        readers.add(
            "apps/users/overlays/dev/kustomization.yaml",
            overlay("- ../../colours/green\n").as_bytes(),
        );
        assert_eq!(
            readers.environments_of("apps/users/colours/green/deployment.yaml"),
            ["dev", "prod"]
        );
        assert_eq!(
            readers.environments_of("apps/users/colours/blue/deployment.yaml"),
            ["prod"]
        );
        assert!(
            readers
                .environments_of("apps/users/base/service.yaml")
                .is_empty()
        );
    }

    #[test]
    fn a_clusters_overlay_reads_a_colour_folder_as_env_slash_cluster() {
        let mut readers = Readers::default();
        readers.add(
            "apps/orders/overlays/prod/eu-canary/kustomization.yaml",
            b"resources:\n- ../../../base\n- ../../../colours/green\n",
        );
        readers.add(
            "apps/orders/overlays/prod/us/kustomization.yaml",
            b"resources:\n- ../../../base\n- ../../../colours/blue\n",
        );
        assert_eq!(
            readers.environments_of("apps/orders/colours/green/deployment.yaml"),
            ["prod/eu-canary"]
        );
    }
}
