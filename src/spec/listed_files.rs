//! The files beside the spec a service lists (its escape hatch and its configuration files),
//! with the key of each entry and the place it is listed for: its own (the base, and its
//! patches and configuration files in every overlay), an environment's or a cluster's.

use indexmap::IndexMap;

use super::{PatchFile, PatchTarget, Service};

/// What a listed file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listing {
    Manifest,
    Patch,
    /// A configuration file the container reads, mounted at a path of its own.
    Config,
}

impl Listing {
    /// The key that lists files of this use.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::Manifest => "manifests",
            Self::Patch => "patches",
            Self::Config => "config_files",
        }
    }
}

/// One file the spec lists, with the key path of its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listed<'a> {
    pub(crate) key: Vec<String>,
    pub(crate) listing: Listing,
    pub(crate) file: &'a str,
    pub(crate) target: Option<&'a PatchTarget>,
    /// For a configuration file, the path in the container it is mounted at.
    pub(crate) mount: Option<&'a str>,
    /// The environment (and cluster) it is listed for; none for the service's own.
    pub(crate) env: Option<&'a str>,
    pub(crate) cluster: Option<&'a str>,
}

impl Listed<'_> {
    pub(crate) fn key_parts(&self) -> Vec<&str> {
        self.key.iter().map(String::as_str).collect()
    }
}

impl Service {
    /// Every file the service lists: its own, then each environment's and each cluster's.
    pub(crate) fn listed_files<'a>(&'a self, name: &str) -> Vec<Listed<'a>> {
        let mut found = Vec::new();
        let service = ["services", name];
        let own = Lists {
            manifests: &self.manifests,
            patches: &self.patches,
            config: &self.config_files,
        };
        listed(&mut found, &service, (None, None), &own);
        for (env, over) in &self.overrides {
            let at = ["services", name, "overrides", env.as_str()];
            let place = (Some(env.as_str()), None);
            let lists = Lists {
                manifests: &over.manifests,
                patches: &over.patches,
                config: &over.config_files,
            };
            listed(&mut found, &at, place, &lists);
            for (cluster, own) in &over.clusters {
                let at = [&at[..], &["clusters", cluster.as_str()]].concat();
                let place = (Some(env.as_str()), Some(cluster.as_str()));
                let lists = Lists {
                    manifests: &own.manifests,
                    patches: &own.patches,
                    config: &own.config_files,
                };
                listed(&mut found, &at, place, &lists);
            }
        }
        found
    }

    /// The files that go into one overlay (`cluster` none in an environment of one unnamed
    /// cluster): the environment's and the cluster's manifests, and every layer's patches and
    /// configuration files, the service's first, so the most specific one is applied (or
    /// mounted) last.
    pub(crate) fn overlay_files<'a>(
        &'a self,
        name: &str,
        env: &str,
        cluster: Option<&str>,
    ) -> Vec<Listed<'a>> {
        self.listed_files(name)
            .into_iter()
            .filter(|listed| {
                let here = listed.env.is_none_or(|e| e == env)
                    && listed.cluster.is_none_or(|c| Some(c) == cluster);
                let in_base = listed.env.is_none() && listed.listing == Listing::Manifest;
                here && !in_base
            })
            .collect()
    }
}

/// The lists of files of one place.
struct Lists<'a> {
    manifests: &'a [String],
    patches: &'a [PatchFile],
    config: &'a IndexMap<String, String>,
}

fn listed<'a>(
    found: &mut Vec<Listed<'a>>,
    at: &[&str],
    (env, cluster): (Option<&'a str>, Option<&'a str>),
    lists: &Lists<'a>,
) {
    let entry = |listing: Listing, entry: &str| {
        let mut key: Vec<String> = at.iter().map(|s| (*s).to_owned()).collect();
        key.push(listing.key().to_owned());
        key.push(entry.to_owned());
        key
    };
    let mut push = |listing, key, file, target, mount| {
        found.push(Listed {
            key,
            listing,
            file,
            target,
            mount,
            env,
            cluster,
        });
    };
    for (index, file) in lists.manifests.iter().enumerate() {
        let key = entry(Listing::Manifest, &index.to_string());
        push(Listing::Manifest, key, file, None, None);
    }
    for (index, patch) in lists.patches.iter().enumerate() {
        let key = entry(Listing::Patch, &index.to_string());
        push(Listing::Patch, key, patch.file(), patch.target(), None);
    }
    for (mount, file) in lists.config {
        let key = entry(Listing::Config, mount);
        push(Listing::Config, key, file, None, Some(mount));
    }
}

#[cfg(test)]
mod tests {
    use super::Listing;

    use crate::spec::test_service as service;

    #[test]
    fn an_overlay_takes_its_places_files_and_the_services_patches_not_its_manifests() {
        let service = service(
            "manifests = [\"base.yaml\"]\npatches = [\"all.yaml\"]\n\
             [overrides.prod]\nmanifests = [\"prod.yaml\"]\n\
             [overrides.prod.clusters.us]\npatches = [\"us.yaml\"]\n\
             [overrides.dev]\nmanifests = [\"dev.yaml\"]",
        );
        let files = |env, cluster| -> Vec<(Listing, String)> {
            service
                .overlay_files("s", env, cluster)
                .into_iter()
                .map(|l| (l.listing, l.file.to_owned()))
                .collect()
        };
        assert_eq!(
            files("prod", Some("us")),
            [
                (Listing::Patch, "all.yaml".into()),
                (Listing::Manifest, "prod.yaml".into()),
                (Listing::Patch, "us.yaml".into()),
            ]
        );
        assert_eq!(files("prod", Some("eu")).len(), 2);
        let us = &service.overlay_files("s", "prod", Some("us"))[2];
        assert_eq!(
            us.key_parts(),
            [
                "services",
                "s",
                "overrides",
                "prod",
                "clusters",
                "us",
                "patches",
                "0"
            ]
        );
    }
}
