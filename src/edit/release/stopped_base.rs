//! A version a release action takes off an environment may run nowhere any more; what it was
//! built on (`built_on`) then goes with it.

use toml_edit::{DocumentMut, TableLike};

use super::action::ReleaseAction;
use crate::edit::toml::toml_path::{remove, service_table};
use crate::spec::{DeployState, Service, Spec, version_tag as tag};

/// After `action` on the environment's own state of `env`: forgets the base of the version it
/// stopped there, unless that version still runs somewhere.
pub(super) fn forget_stopped_base(
    spec: &Spec,
    doc: &mut DocumentMut,
    (service, service_name): (&Service, &str),
    env: &str,
    action: &ReleaseAction,
) {
    let state = service.state_in(env);
    let Some(stopped) = stopped_version(&state, action) else {
        return;
    };
    if runs_after(spec, service, env, &state, action, stopped) {
        return;
    }
    if let Some(table) = service_table(doc, service_name) {
        forget_base(table, stopped);
    }
}

/// The version an action takes off a colour of the environment: the idle one it replaces or
/// retires.
fn stopped_version<'a>(state: &'a DeployState, action: &ReleaseAction) -> Option<&'a str> {
    let idle = state.version(state.live.other())?;
    match action {
        ReleaseAction::Release { version, .. } if tag(version) != tag(idle) => Some(idle),
        ReleaseAction::Retire => Some(idle),
        _ => None,
    }
}

/// Whether `version` still runs anywhere once `action` is done in `env`.
fn runs_after(
    spec: &Spec,
    service: &Service,
    env: &str,
    state: &DeployState,
    action: &ReleaseAction,
    version: &str,
) -> bool {
    let elsewhere = service.running_tags(
        spec.environments
            .keys()
            .map(String::as_str)
            .filter(|e| *e != env),
    );
    let live_here = state.version(state.live);
    let released = match action {
        ReleaseAction::Release { version, .. } => Some(version.as_str()),
        _ => None,
    };
    elsewhere.iter().any(|t| t == tag(version))
        || [live_here, released]
            .into_iter()
            .flatten()
            .any(|v| tag(v) == tag(version))
}

/// Drops what a version that runs nowhere any more was built on; an emptied `built_on` goes.
fn forget_base(service: &mut dyn TableLike, version: &str) {
    let Some(built_on) = service
        .get_mut("built_on")
        .and_then(|i| i.as_table_like_mut())
    else {
        return;
    };
    remove(built_on, tag(version));
    if built_on.is_empty() {
        service.remove("built_on");
    }
}
