//! How long a version has been live in an environment, read from the spec's git history: the
//! commit that made it live is the oldest of the unbroken run of first-parent commits, ending
//! at HEAD, whose spec has it live there. Its commit time is the start of the soak, so the
//! answer depends on the history alone, never on when the command runs or what the tree holds.
//! A version is live in an environment at a commit only when every cluster of it (as that
//! commit's spec lists them) serves it, a cluster's own release state overriding the
//! environment's: the rule the promotion order follows.

use std::collections::BTreeMap;
use std::path::Path;

use git2::{Oid, Repository, Sort};
use indexmap::IndexMap;
use jiff::Timestamp;
use serde::Deserialize;

use super::revision::repository_of;
use crate::spec::{Service, version_tag};

/// The commit that made a version live, and when it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LiveSince {
    pub commit: String,
    pub time: Timestamp,
    /// The commit is the oldest a shallow clone has and the version was live in it already:
    /// the history that would say since when is missing, so it may have been live longer.
    pub history_cut: bool,
}

/// Where a version must have been live: every cluster of an environment, or some of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SoakPlace<'a> {
    pub env: &'a str,
    /// Empty: every cluster the environment lists at each commit (its one cluster if none).
    pub clusters: &'a [String],
}

/// For each `(service, tag)` asked about, since when `tag` has been live in `place` by the
/// committed history of the spec (`None`: not live at HEAD, so not yet committed).
pub(crate) fn live_since(
    spec: &Path,
    place: &SoakPlace<'_>,
    wanted: &[(String, String)],
) -> Result<BTreeMap<String, Option<LiveSince>>, String> {
    let (repo, relative) = repository_of(spec)?;
    let mut walk = repo.revwalk().map_err(|e| e.message().to_owned())?;
    walk.push_head()
        .map_err(|e| format!("the repository has no commit yet: {}", e.message()))?;
    walk.simplify_first_parent()
        .and_then(|()| walk.set_sorting(Sort::TOPOLOGICAL))
        .map_err(|e| e.message().to_owned())?;
    let mut open: Vec<&(String, String)> = wanted.iter().collect();
    let mut found: BTreeMap<String, Option<LiveSince>> =
        wanted.iter().map(|(s, _)| (s.clone(), None)).collect();
    // The spec's folder, whose tree changes whenever the spec or a file it includes does.
    let folder = relative.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut last_blob: Option<Oid> = None;
    let mut oldest_read = None;
    for oid in walk {
        if open.is_empty() {
            oldest_read = None;
            break;
        }
        let oid = oid.map_err(|e| e.message().to_owned())?;
        let commit = repo.find_commit(oid).map_err(|e| e.message().to_owned())?;
        let Some(tree) = commit.tree().ok() else {
            oldest_read = None;
            break;
        };
        if tree.get_path(&relative).is_err() {
            oldest_read = None;
            break;
        }
        let blob = if folder.as_os_str().is_empty() {
            tree.id()
        } else {
            tree.get_path(&folder).map_or(tree.id(), |entry| entry.id())
        };
        // Every version still asked about was live in the last spec read, so only a new spec
        // can end a run.
        if last_blob != Some(blob) {
            let estate = estate_at(&repo, &tree, &relative, place.env);
            let names = match (&estate, place.clusters) {
                (Some((listed, _)), []) => listed.as_slice(),
                (_, named) => named,
            };
            let clusters = Service::cluster_slots(names.iter().map(String::as_str));
            open.retain(|(service, tag)| {
                estate
                    .as_ref()
                    .and_then(|(_, s)| s.get(service))
                    .is_some_and(|s| {
                        live_tag(s, place.env, &clusters).as_deref() == Some(tag.as_str())
                    })
            });
            last_blob = Some(blob);
        }
        let time = Timestamp::from_second(commit.time().seconds()).map_err(|e| e.to_string())?;
        for (service, _) in &open {
            let since = LiveSince {
                commit: short(oid),
                time,
                history_cut: false,
            };
            found.insert(service.clone(), Some(since));
        }
        oldest_read = Some(oid);
    }
    // The walk ran out of commits with versions still live: at the first commit, or at the
    // edge of a shallow clone, where the run may go on in commits this clone lacks.
    if let Some(edge) = oldest_read.filter(|oid| shallow_edges(&repo).contains(oid)) {
        for (service, _) in &open {
            if let Some(Some(since)) = found.get_mut(service.as_str()) {
                since.history_cut = since.commit == short(edge);
            }
        }
    }
    Ok(found)
}

/// The commits whose parents a shallow clone left out, as git lists them in `.git/shallow`.
fn shallow_edges(repo: &Repository) -> Vec<Oid> {
    if !repo.is_shallow() {
        return Vec::new();
    }
    std::fs::read_to_string(repo.path().join("shallow"))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| Oid::from_str(line.trim()).ok())
        .collect()
}

/// The cluster names `env` lists and the services of the spec at a commit (`tree`): the root
/// at `relative` and the files it includes; a service that no longer reads as one (an older
/// shape of the spec) is left out, which ends its run.
fn estate_at(
    repo: &Repository,
    tree: &git2::Tree<'_>,
    relative: &Path,
    env: &str,
) -> Option<(Vec<String>, IndexMap<String, Service>)> {
    #[derive(Deserialize)]
    struct Estate {
        #[serde(default)]
        environments: IndexMap<String, toml::Value>,
        #[serde(default)]
        services: IndexMap<String, toml::Value>,
    }
    let read = |path: &Path| -> Option<String> {
        let blob = tree
            .get_path(path)
            .ok()?
            .to_object(repo)
            .ok()?
            .peel_to_blob()
            .ok()?;
        String::from_utf8(blob.content().to_vec()).ok()
    };
    let root = read(relative)?;
    let mut texts = vec![root.clone()];
    let folder = relative.parent().unwrap_or(Path::new(""));
    for (pattern, _) in crate::source::includes::include_patterns(&root) {
        let Ok(glob) = glob::Pattern::new(&pattern) else {
            continue;
        };
        let mut matched = Vec::new();
        let below = if folder.as_os_str().is_empty() {
            Some(tree.clone())
        } else {
            tree.get_path(folder)
                .ok()
                .and_then(|entry| entry.to_object(repo).ok()?.into_tree().ok())
        };
        if let Some(below) = below {
            let _ = below.walk(git2::TreeWalkMode::PreOrder, |parent, entry| {
                let path = format!("{parent}{}", entry.name().unwrap_or_default());
                if entry.kind() == Some(git2::ObjectType::Blob)
                    && glob.matches_with(&path, crate::source::includes::MATCHING)
                {
                    matched.push(path);
                }
                git2::TreeWalkResult::Ok
            });
        }
        matched.sort();
        texts.extend(matched.iter().filter_map(|path| read(&folder.join(path))));
    }
    let mut clusters = Vec::new();
    let mut services = IndexMap::new();
    for text in texts {
        let parsed: Estate = toml::from_str(&text).ok()?;
        if let Some(listed) = parsed
            .environments
            .get(env)
            .and_then(|e| e.get("clusters"))
            .and_then(toml::Value::as_table)
        {
            clusters.extend(listed.keys().cloned());
        }
        services.extend(
            parsed
                .services
                .into_iter()
                .filter_map(|(name, value)| Some((name, Service::deserialize(value).ok()?))),
        );
    }
    Some((clusters, services))
}

/// The tag, without digest, live in every one of `clusters` of `env`.
fn live_tag(service: &Service, env: &str, clusters: &[Option<&str>]) -> Option<String> {
    if !service.deployed_to(env) {
        return None;
    }
    let version = service.live_in_every(env, clusters)?;
    Some(version_tag(&version).to_owned())
}

fn short(oid: Oid) -> String {
    oid.to_string()[..12].to_owned()
}

#[cfg(test)]
mod tests {
    use super::live_tag;
    use crate::spec::Service;

    fn users(deploy: &str) -> Service {
        toml::from_str(&format!(
            "team = \"t\"\nbase = \"b:1\"\nversion = \"1.0\"\n{deploy}"
        ))
        .unwrap()
    }

    const CANARY_BEHIND: &str = "[deploy.prod]\nblue = \"1.0\"\ngreen = \"1.1\"\nlive = \"green\"\n[deploy.prod.clusters.canary]\nblue = \"1.0\"\nlive = \"blue\"";

    #[test]
    fn a_clusters_own_state_keeps_a_version_from_being_live_in_its_environment() {
        let users = users(CANARY_BEHIND);
        let every = [Some("canary"), Some("eu")];
        assert_eq!(live_tag(&users, "prod", &every), None);
        assert_eq!(
            live_tag(&users, "prod", &[Some("eu")]).as_deref(),
            Some("1.1")
        );
        assert_eq!(
            live_tag(&users, "prod", &[Some("canary")]).as_deref(),
            Some("1.0")
        );
    }

    #[test]
    fn an_environment_without_clusters_reads_its_own_state() {
        let users = users("deploy.prod = { blue = \"1.0@sha256:ab\", live = \"blue\" }");
        assert_eq!(live_tag(&users, "prod", &[None]).as_deref(), Some("1.0"));
        let elsewhere = self::users("environments = [\"dev\"]");
        assert_eq!(live_tag(&elsewhere, "prod", &[None]), None);
    }
}
