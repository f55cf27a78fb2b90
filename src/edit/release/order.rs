//! Environments promote in declared order: a version reaches an environment only after it
//! has been live in the one before.

use super::cluster_states::live_everywhere;
use super::state_at::state_at;
use crate::edit::EditError;
use crate::spec::{Service, Spec, version_tag as tag};

/// A version reaches an environment only after it has been live in the one declared before
/// it: running on that environment's idle colour is a preview, not a proof.
pub(super) fn check_promotion_order(
    spec: &Spec,
    service: &Service,
    service_name: &str,
    env: &str,
    version: &str,
) -> Result<(), EditError> {
    let before = spec
        .environments
        .keys()
        .take_while(|e| e.as_str() != env)
        .filter(|e| service.deployed_to(e))
        .last();
    let Some(before) = before else {
        return Ok(());
    };
    let state = service.state_in(before);
    let at = state_at(spec, service_name, before);
    let live = state.version(state.live).unwrap_or_default();
    if tag(live) == tag(version) {
        if live_everywhere(spec, service, before).is_some() {
            return Ok(());
        }
        return Err(EditError::refused(format!(
            "{version} is live in `{before}`, but not yet in every cluster of it, so it cannot be released to `{env}`"
        ))
        .help(format!(
            "let the release of `{service_name}` reach every cluster of `{before}` first (its `deploy.{before}.clusters`), or pass --skip-order"
        ))
        .at(&at));
    }
    let idle = state.live.other();
    if state.version(idle).is_some_and(|v| tag(v) == tag(version)) {
        return Err(EditError::refused(format!(
            "{version} runs in `{before}` only on the idle colour ({}, the preview), so it cannot be released to `{env}`: `{service_name}` serves {live} there",
            idle.as_str()
        ))
        .help(format!(
            "promote it in `{before}` first (`fleetc promote {service_name} --env {before}`), or pass --skip-order"
        ))
        .at(&at));
    }
    Err(EditError::refused(format!(
        "{version} is not live in `{before}` yet, so it cannot be released to `{env}`: `{service_name}` serves {live} there"
    ))
    .help(format!(
        "release and promote it in `{before}` first (environments promote in declared order), or pass --skip-order"
    ))
    .at(&at))
}
