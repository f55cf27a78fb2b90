//! `advance`: the versions live in one environment, released into the next in one edit. Each
//! moves as `release` would move it (blue/green services on their idle colour, Rollouts by
//! their live version); the order guard holds by construction, since a version is taken only
//! from the environment right before. Aimed at a wave or a cluster of the next environment
//! (`--wave`, `--cluster`), it moves each version as `release --wave` would.

use std::collections::BTreeMap;

use super::verdict::{Verdict, judge};
use crate::edit::release::{Aimed, ReleaseTarget, earlier_waves, places};
use crate::edit::{EditError, declared};
use crate::spec::{Colour, Service, Spec};

/// A version that moves into the next environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub service: String,
    /// As it will be written: with the digest the destination requires.
    pub version: String,
    /// What the destination serves live today.
    pub replaces: Option<String>,
    /// The release states of the destination it moves into.
    pub into: Aimed,
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
    /// The release states of `to` aimed at (`--wave`, `--cluster`, or the environment's own).
    pub aimed: Aimed,
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
        self.aimed.places(&self.to)
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
        // No cluster named is every cluster of `env`, which messages name as the environment.
        places(
            env,
            &Service::cluster_slots(clusters.iter().map(String::as_str)),
        )
    }
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
    let environment = &spec.environments[to];
    let aimed = Aimed::of(environment, to, target)?;
    check_declared(spec, named.iter().chain(digests.keys()))?;
    let require_digest = environment.require_digest;
    let chosen: Vec<&String> = if named.is_empty() {
        spec.services.keys().collect()
    } else {
        named.iter().collect()
    };
    let mut advance = Advance {
        from: from.to_owned(),
        to: to.to_owned(),
        earlier_waves: earlier_waves(environment, aimed.first_wave(environment)),
        aimed,
        moves: Vec::new(),
        stays: Vec::new(),
    };
    let mut refusals = Vec::new();
    let mut missing_digests = Vec::new();
    for name in chosen {
        let service = &spec.services[name];
        let verdict = judge(spec, service, (from, to), &advance.aimed);
        let stay = |reason: String| Stay {
            service: name.clone(),
            settled: false,
            reason,
        };
        let (version, replaces, into) = match verdict {
            Verdict::Moves {
                version,
                replaces,
                into,
            } => (version, replaces, into),
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
            into,
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
