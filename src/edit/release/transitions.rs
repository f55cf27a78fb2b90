//! The release state machine on one release state (an environment's own, or a cluster's):
//! `release` deploys on the idle colour, `promote` sends live traffic there, `rollback` sends
//! it back, `retire` removes the idle colour.

use toml_edit::TableLike;

use crate::edit::EditError;
use crate::edit::toml::toml_path::{insert_before, remove, set_str};
use crate::spec::{DeployState, WorkloadKind, version_tag as tag};

/// The service and the release state an action applies to, as named in messages.
pub(crate) struct StatePlace<'a> {
    pub service_name: &'a str,
    pub env: &'a str,
    /// The cluster whose state it is; `None`: the environment's own.
    pub cluster: Option<&'a str>,
    pub text: String,
}

/// A release of the version already live would change nothing and is most likely a typo.
pub(super) fn refuse_if_live(
    state: &DeployState,
    at: &StatePlace<'_>,
    version: &str,
) -> Result<(), EditError> {
    if let Some(running) = &state.version
        && tag(running) == tag(version)
    {
        return Err(EditError::invalid(format!(
            "{} already runs {version}",
            at.text
        )));
    }
    if state.version(state.live).map(tag) == Some(tag(version)) {
        return Err(EditError::invalid(format!(
            "{} already runs {version} on {} (live)",
            at.text,
            state.live.as_str()
        )));
    }
    Ok(())
}

pub(super) fn release(
    entry: &mut dyn TableLike,
    state: &DeployState,
    at: &StatePlace<'_>,
    version: &str,
) -> String {
    let (live, idle) = (state.live, state.live.other());
    if let Some(blue) = &state.blue
        && entry.get("blue").is_none()
    {
        // The entry was created just now: pin what the environment runs today.
        set_str(entry, "blue", blue);
    }
    insert_before(entry, idle.as_str(), version, &["live", "previous"]);
    if entry.get("live").is_none() {
        set_str(entry, "live", live.as_str());
    }
    remove(entry, "previous");
    format!(
        "{}: {} now runs {version} (idle, on the preview host); {} stays live",
        at.text,
        idle.as_str(),
        live.as_str()
    )
}

/// A kind without colours: the new version replaces the running one where it runs.
pub(super) fn release_in_place(
    entry: &mut dyn TableLike,
    state: &DeployState,
    at: &StatePlace<'_>,
    version: &str,
    kind: WorkloadKind,
) -> String {
    for key in ["blue", "green", "live", "previous"] {
        remove(entry, key);
    }
    set_str(entry, "version", version);
    let was = state
        .version
        .as_deref()
        .map(|old| format!(" (was {old})"))
        .unwrap_or_default();
    let how = match kind {
        WorkloadKind::CronJob => "from its next run",
        WorkloadKind::Job => "in a new run",
        WorkloadKind::StatefulSet => "pod by pod, highest ordinal first",
        _ => "pod by pod",
    };
    format!(
        "{}: runs {version}{was} {how}; a {} rolls in place",
        at.text,
        kind.as_str()
    )
}

pub(super) fn promote(
    entry: &mut dyn TableLike,
    state: &DeployState,
    at: &StatePlace<'_>,
) -> Result<String, EditError> {
    let (live, idle) = (state.live, state.live.other());
    let Some(version) = state.version(idle) else {
        return Err(
            EditError::invalid(format!("{} has no release in flight", at.text)).help(format!(
                "start one with `fleetc release {} VERSION --env {}`",
                at.service_name, at.env
            )),
        );
    };
    set_str(entry, "live", idle.as_str());
    insert_before(entry, "previous", live.as_str(), &[]);
    Ok(format!(
        "{}: live traffic moves to {} ({version}); {} stays up for a rollback",
        at.text,
        idle.as_str(),
        live.as_str()
    ))
}

pub(super) fn rollback(
    entry: &mut dyn TableLike,
    state: &DeployState,
    at: &StatePlace<'_>,
) -> Result<String, EditError> {
    let Some(previous) = state.previous else {
        return Err(EditError::invalid(format!(
            "{} has nothing to roll back: no promote since the last release",
            at.text
        ))
        .help("`fleetc retire` abandons a release that was never promoted"));
    };
    let Some(version) = state.version(previous) else {
        return Err(EditError::invalid(format!(
            "{} cannot roll back: colour {} is gone",
            at.text,
            previous.as_str()
        ))
        .help(format!(
            "release the old version again with `fleetc release {} VERSION --env {}`",
            at.service_name, at.env
        )));
    };
    set_str(entry, "live", previous.as_str());
    remove(entry, "previous");
    Ok(format!(
        "{}: live traffic goes back to {} ({version})",
        at.text,
        previous.as_str()
    ))
}

pub(super) fn retire(
    entry: &mut dyn TableLike,
    state: &DeployState,
    at: &StatePlace<'_>,
) -> Result<String, EditError> {
    let (live, idle) = (state.live, state.live.other());
    let Some(version) = state.version(idle) else {
        return Err(EditError::invalid(format!(
            "{} has no idle colour to retire",
            at.text
        )));
    };
    remove(entry, idle.as_str());
    remove(entry, "previous");
    Ok(format!(
        "{}: {} ({version}) is removed; {} runs alone",
        at.text,
        idle.as_str(),
        live.as_str()
    ))
}
