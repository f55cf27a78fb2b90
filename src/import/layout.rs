//! The shapes GitOps repositories are written in, told apart by the paths of their files, and
//! the places (one environment, or one service in one environment) each shape deploys.

use std::collections::BTreeSet;
use std::fmt;

use clap::ValueEnum;

/// How an existing repository lays out what each environment deploys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Layout {
    /// `apps/<svc>/base` with `apps/<svc>/overlays/<env>` (fleetc's own tree among them).
    AppsOverlays,
    /// `overlays/<env>`, each over one base per service (`base/<svc>` or `bases/<svc>`).
    Overlays,
    /// `<env>/<svc>/`: a folder per environment and within it one per service.
    EnvServices,
    /// `<env>/*.yaml`: plain manifests (or one kustomization) per environment folder.
    EnvFolders,
    /// `<env>.yaml`: one multi-document file per environment.
    EnvFiles,
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::AppsOverlays => "apps/<service>/overlays/<environment> over apps/<service>/base",
            Self::Overlays => "overlays/<environment> over one base per service",
            Self::EnvServices => "<environment>/<service>/, a folder per service",
            Self::EnvFolders => "<environment>/, plain manifests per environment",
            Self::EnvFiles => "<environment>.yaml, one file per environment",
        })
    }
}

/// What one place deploys: a kustomization to render, or plain manifest files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    Kustomization(String),
    Files(Vec<String>),
}

/// One environment (or one cluster of it), or one service in one, and what it deploys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub env: String,
    pub cluster: Option<String>,
    /// The service the place deploys alone, when the layout says (a folder per service).
    pub service: Option<String>,
    pub source: Source,
}

/// Folders that hold what environments share, never an environment.
const SHARED: [&str; 7] = [
    "base",
    "bases",
    "components",
    "common",
    "shared",
    "apps",
    "overlays",
];

pub(crate) fn is_kustomization(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    )
}

pub(crate) fn is_yaml(path: &str) -> bool {
    std::path::Path::new(path)
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml"))
}

/// The folders of `paths` holding a kustomization.
fn kustomized(paths: &[&str]) -> BTreeSet<String> {
    paths
        .iter()
        .filter(|path| is_kustomization(path))
        .map(|path| path.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned())
        .collect()
}

/// The layout `paths` are written in, when one fits.
pub(crate) fn detect(paths: &[&str]) -> Option<Layout> {
    let dirs = kustomized(paths);
    let depth = |dir: &str| dir.split('/').count();
    if dirs.iter().any(|dir| {
        let parts: Vec<&str> = dir.split('/').collect();
        parts.len() >= 4 && parts[0] == "apps" && parts[2] == "overlays"
    }) {
        return Some(Layout::AppsOverlays);
    }
    if dirs
        .iter()
        .any(|dir| dir.starts_with("overlays/") && depth(dir) == 2)
    {
        return Some(Layout::Overlays);
    }
    let env_dirs: Vec<&str> = paths
        .iter()
        .filter(|path| is_yaml(path) || is_kustomization(path))
        .filter_map(|path| path.split_once('/'))
        .filter(|(top, _)| !SHARED.contains(top))
        .map(|(_, rest)| rest)
        .collect();
    if env_dirs.iter().any(|rest| rest.contains('/')) {
        return Some(Layout::EnvServices);
    }
    if !env_dirs.is_empty() {
        return Some(Layout::EnvFolders);
    }
    paths
        .iter()
        .any(|path| is_yaml(path) && !path.contains('/'))
        .then_some(Layout::EnvFiles)
}

/// The places `paths`, written in `layout`, deploy.
pub(crate) fn places(paths: &[&str], layout: Layout) -> Vec<Place> {
    let dirs = kustomized(paths);
    match layout {
        Layout::AppsOverlays => dirs
            .iter()
            .filter_map(|dir| {
                let parts: Vec<&str> = dir.split('/').collect();
                let (service, env, cluster) = match parts.as_slice() {
                    ["apps", service, "overlays", env] => (service, env, None),
                    ["apps", service, "overlays", env, cluster] => (service, env, Some(*cluster)),
                    _ => return None,
                };
                // An environment's folder that only gathers its clusters deploys nothing.
                let gathers = cluster.is_none()
                    && dirs
                        .iter()
                        .any(|other| other.starts_with(&format!("{dir}/")));
                (!gathers).then(|| place(env, cluster, Some(service), dir))
            })
            .collect(),
        Layout::Overlays => dirs
            .iter()
            .filter_map(|dir| match dir.split('/').collect::<Vec<_>>().as_slice() {
                ["overlays", env] => Some(place(env, None, None, dir)),
                _ => None,
            })
            .collect(),
        Layout::EnvServices => folder_places(paths, &dirs, 2),
        Layout::EnvFolders => folder_places(paths, &dirs, 1),
        Layout::EnvFiles => paths
            .iter()
            .filter(|path| is_yaml(path) && !path.contains('/'))
            .map(|path| Place {
                env: env_of_file(path).to_owned(),
                cluster: None,
                service: None,
                source: Source::Files(vec![(*path).to_owned()]),
            })
            .collect(),
    }
}

fn place(env: &str, cluster: Option<&str>, service: Option<&&str>, dir: &str) -> Place {
    Place {
        env: env.to_owned(),
        cluster: cluster.map(str::to_owned),
        service: service.map(|s| (*s).to_owned()),
        source: Source::Kustomization(dir.to_owned()),
    }
}

fn env_of_file(path: &str) -> &str {
    path.strip_suffix(".yaml")
        .or_else(|| path.strip_suffix(".yml"))
        .unwrap_or(path)
}

/// One place per folder `depth` deep below an environment's (`<env>` or `<env>/<svc>`): its
/// kustomization when it has one, else its YAML files and those below it.
fn folder_places(paths: &[&str], dirs: &BTreeSet<String>, depth: usize) -> Vec<Place> {
    let mut folders: BTreeSet<String> = BTreeSet::new();
    for path in paths.iter().filter(|p| is_yaml(p) || is_kustomization(p)) {
        let parts: Vec<&str> = path.split('/').collect();
        if parts.len() > depth && !SHARED.contains(&parts[0]) {
            folders.insert(parts[..depth].join("/"));
        }
    }
    folders
        .into_iter()
        .map(|folder| {
            let mut parts = folder.split('/');
            let env = parts.next().unwrap_or_default().to_owned();
            let service = parts.next().map(str::to_owned);
            let source = if dirs.contains(&folder) {
                Source::Kustomization(folder.clone())
            } else {
                let prefix = format!("{folder}/");
                Source::Files(
                    paths
                        .iter()
                        .filter(|p| p.starts_with(&prefix) && is_yaml(p))
                        .map(|p| (*p).to_owned())
                        .collect(),
                )
            };
            Place {
                env,
                cluster: None,
                service,
                source,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    type Deployed = (String, Option<String>, Source);

    fn kinds(paths: &[&str]) -> (Option<Layout>, Vec<Deployed>) {
        let layout = detect(paths);
        let places = layout.map_or_else(Vec::new, |layout| places(paths, layout));
        (
            layout,
            places
                .into_iter()
                .map(|p| (p.env, p.service, p.source))
                .collect(),
        )
    }

    fn kustomization(dir: &str) -> Source {
        Source::Kustomization(dir.to_owned())
    }

    #[test]
    fn apps_with_overlays_deploy_one_service_per_environment_and_cluster() {
        let (layout, places) = kinds(&[
            "apps/cart/base/kustomization.yaml",
            "apps/cart/overlays/dev/kustomization.yaml",
            "apps/cart/overlays/prod/kustomization.yaml",
            "apps/cart/overlays/prod/eu/kustomization.yaml",
            "argocd/root.yaml",
        ]);
        assert_eq!(layout, Some(Layout::AppsOverlays));
        assert_eq!(
            places,
            [
                (
                    "dev".into(),
                    Some("cart".into()),
                    kustomization("apps/cart/overlays/dev")
                ),
                (
                    "prod".into(),
                    Some("cart".into()),
                    kustomization("apps/cart/overlays/prod/eu")
                ),
            ]
        );
    }

    #[test]
    fn overlays_over_bases_deploy_each_environment_whole() {
        let (layout, places) = kinds(&[
            "base/cart/kustomization.yaml",
            "base/cart/deployment.yaml",
            "overlays/dev/kustomization.yaml",
            "overlays/prod/kustomization.yml",
            "overlays/prod/patches/cart.yaml",
        ]);
        assert_eq!(layout, Some(Layout::Overlays));
        assert_eq!(
            places,
            [
                ("dev".into(), None, kustomization("overlays/dev")),
                ("prod".into(), None, kustomization("overlays/prod")),
            ]
        );
    }

    #[test]
    fn a_folder_per_environment_holds_services_or_plain_manifests() {
        let (layout, places) = kinds(&[
            "dev/cart/deployment.yaml",
            "dev/cart/service.yaml",
            "prod/cart/kustomization.yaml",
            "base/cart/deployment.yaml",
        ]);
        assert_eq!(layout, Some(Layout::EnvServices));
        assert_eq!(
            places,
            [
                (
                    "dev".into(),
                    Some("cart".into()),
                    Source::Files(vec![
                        "dev/cart/deployment.yaml".into(),
                        "dev/cart/service.yaml".into()
                    ])
                ),
                (
                    "prod".into(),
                    Some("cart".into()),
                    kustomization("prod/cart")
                ),
            ]
        );
        let (layout, places) = kinds(&["dev/all.yaml", "prod/cart.yaml", "README.md"]);
        assert_eq!(layout, Some(Layout::EnvFolders));
        assert_eq!(places.len(), 2);
    }

    #[test]
    fn one_file_per_environment_is_the_last_resort_and_nothing_is_none() {
        let (layout, places) = kinds(&["dev.yaml", "prod.yml", "notes.txt"]);
        assert_eq!(layout, Some(Layout::EnvFiles));
        assert_eq!(
            places,
            [
                ("dev".into(), None, Source::Files(vec!["dev.yaml".into()])),
                ("prod".into(), None, Source::Files(vec!["prod.yml".into()])),
            ]
        );
        assert_eq!(detect(&["README.md", "src/main.rs"]), None);
    }
}
