//! How long a version has been live in an environment, read from the spec's git history: the
//! commit that made it live is the oldest of the unbroken run of first-parent commits, ending
//! at HEAD, whose spec has it live there. Its commit time is the start of the soak, so the
//! answer depends on the history alone, never on when the command runs or what the tree holds.

use std::collections::BTreeMap;
use std::path::Path;

use git2::{Oid, Repository, Sort};
use indexmap::IndexMap;
use jiff::Timestamp;
use serde::Deserialize;

use crate::review::repository_of;
use crate::spec::{Service, version_tag};

/// The commit that made a version live, and when it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSince {
    pub commit: String,
    pub time: Timestamp,
}

/// For each `(service, tag)` asked about, since when `tag` has been live in `env` by the
/// committed history of the spec (`None`: not live at HEAD, so not yet committed).
pub fn live_since(
    spec: &Path,
    env: &str,
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
    let mut last_blob: Option<Oid> = None;
    for oid in walk {
        if open.is_empty() {
            break;
        }
        let oid = oid.map_err(|e| e.message().to_owned())?;
        let commit = repo.find_commit(oid).map_err(|e| e.message().to_owned())?;
        let blob = commit
            .tree()
            .ok()
            .and_then(|tree| tree.get_path(&relative).ok())
            .map(|entry| entry.id());
        let Some(blob) = blob else { break };
        // Every version still asked about was live in the last spec read, so only a new spec
        // can end a run.
        if last_blob != Some(blob) {
            let services = services_at(&repo, blob);
            open.retain(|(service, tag)| {
                services
                    .as_ref()
                    .and_then(|s| s.get(service))
                    .is_some_and(|s| live_tag(s, env).as_deref() == Some(tag.as_str()))
            });
            last_blob = Some(blob);
        }
        let time = Timestamp::from_second(commit.time().seconds()).map_err(|e| e.to_string())?;
        for (service, _) in &open {
            let since = LiveSince {
                commit: short(oid),
                time,
            };
            found.insert(service.clone(), Some(since));
        }
    }
    Ok(found)
}

/// The services of the spec in one blob; a service that no longer reads as one (an older
/// shape of the spec) is left out, which ends its run.
fn services_at(repo: &Repository, blob: Oid) -> Option<IndexMap<String, Service>> {
    #[derive(Deserialize)]
    struct Services {
        #[serde(default)]
        services: IndexMap<String, toml::Value>,
    }
    let blob = repo.find_blob(blob).ok()?;
    let text = std::str::from_utf8(blob.content()).ok()?;
    let parsed: Services = toml::from_str(text).ok()?;
    Some(
        parsed
            .services
            .into_iter()
            .filter_map(|(name, value)| Some((name, Service::deserialize(value).ok()?)))
            .collect(),
    )
}

/// The tag live in `env`, without digest.
fn live_tag(service: &Service, env: &str) -> Option<String> {
    if !service.deployed_to(env) {
        return None;
    }
    let state = service.state_in(env);
    let version = state.version(state.live)?;
    Some(version_tag(version).to_owned())
}

fn short(oid: Oid) -> String {
    oid.to_string()[..12].to_owned()
}
