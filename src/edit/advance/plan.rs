//! `advance`: the versions live in one environment, released into the next in one edit. Each
//! moves as `release` would move it (blue/green services on their idle colour, Rollouts by
//! their live version); the order guard holds by construction, since a version is taken only
//! from the environment right before. Aimed at a wave or a cluster of the next environment
//! (`--wave`, `--cluster`), it moves each version as `release --wave` would
//! (`advance_clusters`).

use std::collections::BTreeMap;

use toml_edit::DocumentMut;

use super::advance_clusters::{Aim, aim, judge_in_clusters, move_into_clusters};
use crate::edit::release::action::{ReleaseAction, release_in};
use crate::edit::release::cluster_release::ReleaseTarget;
use crate::edit::toml::toml_path::{deploy_entry, service_table, set_str};
use crate::edit::{EditError, Edited, declared};
use crate::spec::{Colour, Service, Spec, Strategy, version_tag as tag};

/// A version that moves into the next environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub service: String,
    /// As it will be written: with the digest the destination requires.
    pub version: String,
    /// What the destination serves live today.
    pub replaces: Option<String>,
    /// The clusters of the destination it moves into; empty: the environment's own state.
    pub clusters: Vec<String>,
}

/// A service that stays as it is, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stay {
    pub service: String,
    pub reason: String,
    /// It already serves the version live: nothing a reader needs to look at.
    pub settled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advance {
    pub from: String,
    pub to: String,
    /// The clusters of `to` aimed at (`--wave`, `--cluster`); empty: the environment as a
    /// whole.
    pub clusters: Vec<String>,
    /// The clusters of the waves of `to` before the aimed ones: a version reaches the aimed
    /// clusters once it is live in these, so they, not `from`, are where it soaks. Empty
    /// for the first wave and the environment as a whole.
    pub earlier_waves: Vec<String>,
    pub moves: Vec<Move>,
    pub stays: Vec<Stay>,
}

impl Advance {
    /// Where the versions go, as messages name it: `` `prod` `` or `` `prod/eu`, `prod/us` ``.
    pub fn destination(&self) -> String {
        places(&self.to, &self.clusters)
    }

    /// Where the versions must have soaked: every cluster of `from`, or the clusters of the
    /// earlier waves of `to` (an environment and its clusters; none: all of them).
    pub fn soaks_in(&self) -> (&str, &[String]) {
        if self.earlier_waves.is_empty() {
            (&self.from, &[])
        } else {
            (&self.to, &self.earlier_waves)
        }
    }

    /// [`Self::soaks_in`], as messages name it.
    pub fn soaked_in(&self) -> String {
        let (env, clusters) = self.soaks_in();
        places(env, clusters)
    }
}

/// `` `prod` `` for the environment as a whole, `` `prod/eu`, `prod/us` `` for some clusters.
fn places(env: &str, clusters: &[String]) -> String {
    if clusters.is_empty() {
        return format!("`{env}`");
    }
    clusters
        .iter()
        .map(|c| format!("`{env}/{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What `advance` from `from` would move into `target` of the next environment: every
/// service deployed to both environments, or exactly those `named` (each of which must be
/// able to move, or the whole advance is refused). `digests` gives the digest of a version
/// no environment pins yet.
pub fn plan_advance(
    spec: &Spec,
    from: &str,
    target: &ReleaseTarget,
    named: &[String],
    digests: &BTreeMap<String, String>,
) -> Result<Advance, EditError> {
    let to = next_environment(spec, from)?;
    let aim = aim(spec, to, target)?;
    check_declared(spec, named.iter().chain(digests.keys()))?;
    let require_digest = spec.environments[to].require_digest;
    let chosen: Vec<&String> = if named.is_empty() {
        spec.services.keys().collect()
    } else {
        named.iter().collect()
    };
    let mut advance = Advance {
        from: from.to_owned(),
        to: to.to_owned(),
        clusters: aim.as_ref().map(|a| a.clusters.clone()).unwrap_or_default(),
        earlier_waves: aim.as_ref().map(|a| a.earlier.clone()).unwrap_or_default(),
        moves: Vec::new(),
        stays: Vec::new(),
    };
    let mut refusals = Vec::new();
    let mut missing_digests = Vec::new();
    for name in chosen {
        let service = &spec.services[name];
        let verdict = judge(spec, service, (from, to), aim.as_ref());
        let stay = |reason: String| Stay {
            service: name.clone(),
            settled: false,
            reason,
        };
        let (version, replaces, clusters) = match verdict {
            Verdict::Moves {
                version,
                replaces,
                clusters,
            } => (version, replaces, clusters),
            Verdict::Settled(reason) => {
                advance.stays.push(Stay {
                    settled: true,
                    ..stay(reason)
                });
                continue;
            }
            Verdict::Stays(reason) => {
                advance.stays.push(stay(reason));
                continue;
            }
            Verdict::Blocked(reason) if named.is_empty() => {
                advance.stays.push(stay(reason));
                continue;
            }
            Verdict::Blocked(reason) => {
                refusals.push((name, format!("`{name}`: {reason}")));
                continue;
            }
        };
        let version = match (version.split_once('@'), digests.get(name)) {
            (Some((_, pinned)), Some(given)) if pinned != given => {
                return Err(EditError::invalid(format!(
                    "--digest {name}={given} differs from the digest `{from}` runs ({version})"
                )));
            }
            (Some(_), _) => version,
            (None, Some(given)) => format!("{version}@{given}"),
            (None, None) => match known_digest(service, &version) {
                Some(digest) => format!("{version}@{digest}"),
                None if require_digest => {
                    missing_digests.push(format!("`{name}` {version}"));
                    continue;
                }
                None => version,
            },
        };
        advance.moves.push(Move {
            service: name.clone(),
            version,
            replaces,
            clusters,
        });
    }
    if let Some((first, _)) = refusals.first() {
        let lines: Vec<&str> = refusals.iter().map(|(_, line)| line.as_str()).collect();
        return Err(EditError::refused(format!(
            "cannot advance from `{from}` to {}:\n  {}",
            advance.destination(),
            lines.join("\n  ")
        ))
        .help("leave those services out, or settle their releases first")
        .at(&["services", first, "deploy", to]));
    }
    if !missing_digests.is_empty() {
        return Err(EditError::invalid(format!(
            "`{to}` requires digests, and no environment pins one for {}",
            missing_digests.join(", ")
        ))
        .help("give each with `--digest SERVICE=sha256:…` (the digest CI pushed)")
        .at(&["environments", to, "require_digest"]));
    }
    Ok(advance)
}

/// The environment declared right after `from`.
fn next_environment<'a>(spec: &'a Spec, from: &str) -> Result<&'a str, EditError> {
    let envs: Vec<&str> = spec.environments.keys().map(String::as_str).collect();
    declared::environment(spec, from)?;
    let at = envs.iter().position(|e| *e == from).unwrap_or_default();
    envs.get(at + 1).copied().ok_or_else(|| {
        EditError::invalid(format!(
            "`{from}` is the last environment; no environment comes after it"
        ))
        .help(format!(
            "environments promote in declared order: {}",
            envs.join(" → ")
        ))
        .at(&["environments", from])
    })
}

fn check_declared<'a>(
    spec: &Spec,
    names: impl Iterator<Item = &'a String>,
) -> Result<(), EditError> {
    for name in names {
        declared::service(spec, name)?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::edit) enum Verdict {
    Moves {
        version: String,
        replaces: Option<String>,
        /// The aimed clusters that take it; empty: the environment's own state.
        clusters: Vec<String>,
    },
    /// It already serves the version live.
    Settled(String),
    /// Nothing to do for it now.
    Stays(String),
    /// It cannot move now: skipped when advancing everything, refused when named.
    Blocked(String),
}

fn judge(spec: &Spec, service: &Service, (from, to): (&str, &str), aim: Option<&Aim>) -> Verdict {
    if !service.deployed_to(from) || !service.deployed_to(to) {
        let missing = if service.deployed_to(from) { to } else { from };
        return Verdict::Blocked(format!("not deployed to `{missing}`"));
    }
    let source = service.state_in(from);
    let Some(version) = source.version(source.live) else {
        return Verdict::Blocked(format!("serves nothing live in `{from}`"));
    };
    let lagging: Vec<&str> = service
        .deploy
        .get(from)
        .into_iter()
        .flat_map(|d| &d.clusters)
        .filter(|(_, own)| own.state().version(own.live).map(tag) != Some(tag(version)))
        .map(|(cluster, _)| cluster.as_str())
        .collect();
    if !lagging.is_empty() {
        return Verdict::Blocked(format!(
            "{} is not live yet in every cluster of `{from}` ({})",
            tag(version),
            lagging.join(", ")
        ));
    }
    if let Some(aim) = aim {
        return judge_in_clusters(service, (to, &spec.environments[to]), aim, version);
    }
    let own: Vec<String> = service
        .deploy
        .get(to)
        .into_iter()
        .flat_map(|d| d.clusters.keys())
        .map(|c| format!("`{to}/{c}`"))
        .collect();
    if !own.is_empty() {
        return Verdict::Blocked(format!(
            "{} {} a release state of {}; advance it wave by wave with --wave N or --cluster C",
            own.join(", "),
            if own.len() == 1 { "runs" } else { "run" },
            if own.len() == 1 {
                "its own"
            } else {
                "their own"
            },
        ));
    }
    let target = service.state_in(to);
    let live = target.version(target.live);
    if live.map(tag) == Some(tag(version)) {
        return Verdict::Settled(format!("already live in `{to}` ({})", tag(version)));
    }
    if service.strategy == Strategy::BlueGreen
        && let Some(idle) = target.version(target.live.other())
    {
        if tag(idle) == tag(version) {
            return Verdict::Stays(format!(
                "{} already runs on the idle colour in `{to}`; promote it there",
                tag(version)
            ));
        }
        return Verdict::Blocked(format!("a release of {} is in flight in `{to}`", tag(idle)));
    }
    Verdict::Moves {
        version: tag(version).to_owned(),
        replaces: live.map(str::to_owned),
        clusters: Vec::new(),
    }
}

/// A digest some environment already pins for the same tag of this service.
fn known_digest<'a>(service: &'a Service, version: &str) -> Option<&'a str> {
    let mut pins = service
        .deploy
        .values()
        .flat_map(|state| Colour::ALL.map(|c| state.version(c)))
        .flatten()
        .chain(std::iter::once(service.version.as_str()));
    pins.find_map(|pin| {
        let (pinned, digest) = pin.split_once('@')?;
        (pinned == version).then_some(digest)
    })
}

/// Writes every move into the spec in one edit.
pub fn apply_advance(spec: &Spec, text: &str, advance: &Advance) -> Result<Edited, EditError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| EditError::invalid(format!("the spec does not parse: {e}")))?;
    let mut lines = vec![format!(
        "advance `{}` → {}: {} service{} move{}",
        advance.from,
        advance.destination(),
        advance.moves.len(),
        if advance.moves.len() == 1 { "" } else { "s" },
        if advance.moves.len() == 1 { "s" } else { "" },
    )];
    for step in &advance.moves {
        let service = &spec.services[&step.service];
        let said = if !step.clusters.is_empty() {
            let into = (advance.to.as_str(), step.clusters.as_slice());
            move_into_clusters(spec, &mut doc, &step.service, into, &step.version)?
        } else if service.strategy == Strategy::BlueGreen {
            let action = ReleaseAction::Release {
                version: step.version.clone(),
                skip_order: true,
            };
            release_in(spec, &mut doc, &step.service, &advance.to, &action)?
        } else {
            roll_out(service, &mut doc, &step.service, &advance.to, &step.version)?
        };
        // A move into several clusters says a line for each.
        lines.extend(said.lines().map(|line| format!("  {line}")));
    }
    lines.extend(stays_summary(advance));
    Ok(Edited {
        text: doc.to_string(),
        summary: lines.join("\n"),
    })
}

/// A Rollout's live version changes; Argo Rollouts shifts the traffic.
fn roll_out(
    service: &Service,
    doc: &mut DocumentMut,
    name: &str,
    env: &str,
    version: &str,
) -> Result<String, EditError> {
    crate::edit::release::cluster_states::refuse_while_clusters_differ(service, name, env)?;
    let live = service.state_in(env).live;
    let table = service_table(doc, name)
        .ok_or_else(|| EditError::invalid(format!("`services.{name}` is not a table")))?;
    let entry = deploy_entry(table, env);
    set_str(entry, live.as_str(), version);
    if entry.get("live").is_none() {
        set_str(entry, "live", live.as_str());
    }
    Ok(format!(
        "`{name}` in `{env}`: the Rollout moves to {} ({})",
        tag(version),
        service.strategy.as_str()
    ))
}

/// The services that stay, one line each where there is a reason to look, and those already
/// live in one line: an advance of a large estate stays short.
pub fn stays_summary(advance: &Advance) -> Vec<String> {
    const NAMED: usize = 5;
    let (stays, to) = (&advance.stays, advance.destination());
    let mut lines: Vec<String> = stays
        .iter()
        .filter(|s| !s.settled)
        .map(|s| format!("  `{}` stays: {}", s.service, s.reason))
        .collect();
    let settled: Vec<&str> = stays
        .iter()
        .filter(|s| s.settled)
        .map(|s| s.service.as_str())
        .collect();
    match settled.len() {
        0 => {}
        n if n <= NAMED => lines.push(format!("  already live in {to}: {}", settled.join(", "))),
        n => lines.push(format!(
            "  already live in {to}: {} and {} more",
            settled[..NAMED].join(", "),
            n - NAMED
        )),
    }
    lines
}
