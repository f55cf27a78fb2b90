use toml_edit::{DocumentMut, TableLike};

use super::cluster_release::{ReleaseTarget, release_in_clusters};
use crate::edit::toml::toml_path::{deploy_entry, insert_before, remove, service_table, set_str};
use crate::edit::{EditError, Edited, declared};
use crate::spec::{DeployState, Service, Spec, Strategy, version_tag as tag};

/// The blue/green commands: each edits `services.<svc>.deploy.<env>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReleaseAction {
    /// Deploy a version on the idle colour; live traffic is unchanged.
    Release { version: String, skip_order: bool },
    /// Send live traffic to the idle colour.
    Promote,
    /// Send live traffic back to the colour that was live before the last promote.
    Rollback,
    /// Remove the idle colour.
    Retire,
}

pub fn apply_release_action(
    spec: &Spec,
    text: &str,
    service_name: &str,
    env: &str,
    action: &ReleaseAction,
) -> Result<Edited, EditError> {
    apply_release_action_at(
        spec,
        text,
        service_name,
        env,
        &ReleaseTarget::Environment,
        action,
    )
}

/// [`apply_release_action`] aimed at some clusters of the environment (`target`): one
/// cluster, one wave, or, for the environment as a whole, its own release state.
pub fn apply_release_action_at(
    spec: &Spec,
    text: &str,
    service_name: &str,
    env: &str,
    target: &ReleaseTarget,
    action: &ReleaseAction,
) -> Result<Edited, EditError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| EditError::invalid(format!("the spec does not parse: {e}")))?;
    let summary = match target {
        ReleaseTarget::Environment => release_in(spec, &mut doc, service_name, env, action),
        _ => release_in_clusters(spec, &mut doc, service_name, env, target, action),
    }
    // What a release command is refused for is the service's release state there, or the
    // nearest key written of it.
    .map_err(|error| error.or_at(&crate::edit::state_at(spec, service_name, env)))?;
    Ok(Edited {
        text: doc.to_string(),
        summary,
    })
}

/// One release action on a parsed spec, so that several (an `advance`) share one parse.
pub(in crate::edit) fn release_in(
    spec: &Spec,
    doc: &mut DocumentMut,
    service_name: &str,
    env: &str,
    action: &ReleaseAction,
) -> Result<String, EditError> {
    let service = colours_fleetc_switches(spec, service_name, env)?;
    super::cluster_states::refuse_while_clusters_differ(service, service_name, env)?;
    let state = service.state_in(env);
    let table = service_table(doc, service_name)
        .ok_or_else(|| EditError::invalid(format!("`services.{service_name}` is not a table")))?;
    let entry = deploy_entry(table, env);
    let at = Place {
        service_name,
        env,
        cluster: None,
        text: format!("`{service_name}` in `{env}`"),
    };
    let stopped = stopped_version(&state, action);
    let summary = match action {
        ReleaseAction::Release {
            version,
            skip_order,
        } => {
            refuse_if_live(&state, &at, version)?;
            if !skip_order {
                check_promotion_order(spec, service, service_name, env, version)?;
            }
            release(entry, &state, &at, version)
        }
        ReleaseAction::Promote => promote(entry, &state, &at)?,
        ReleaseAction::Rollback => rollback(entry, &state, &at)?,
        ReleaseAction::Retire => retire(entry, &state, &at)?,
    };
    if let Some(stopped) = stopped
        && !runs_after(spec, service, env, &state, action, stopped)
    {
        forget_base(table, stopped);
    }
    Ok(summary)
}

/// The service, when fleetc switches its colours in `env`: declared, deployed there, and
/// delivered by git-driven colours rather than Argo Rollouts.
pub(in crate::edit) fn colours_fleetc_switches<'a>(
    spec: &'a Spec,
    service_name: &str,
    env: &str,
) -> Result<&'a Service, EditError> {
    let service = declared::service(spec, service_name)?;
    declared::environment(spec, env)?;
    if !service.deployed_to(env) {
        return Err(
            EditError::invalid(format!("`{service_name}` is not deployed to `{env}`")).at(&[
                "services",
                service_name,
                "environments",
            ]),
        );
    }
    if service.strategy != Strategy::BlueGreen {
        return Err(EditError::invalid(format!(
            "`{service_name}` is delivered by Argo Rollouts (strategy `{}`); fleetc does not switch its colours",
            service.strategy.as_str()
        ))
        .help(format!(
            "change `version` (or `deploy.{env}`) and let the Rollout shift traffic; promote or abort with `kubectl argo rollouts`"
        )));
    }
    Ok(service)
}

/// The service and environment an action applies to, as named in messages.
pub(in crate::edit) struct Place<'a> {
    pub service_name: &'a str,
    pub env: &'a str,
    /// The cluster, when the action is aimed at one.
    pub cluster: Option<&'a str>,
    pub text: String,
}

/// A release of the version already live would change nothing and is most likely a typo.
pub(in crate::edit) fn refuse_if_live(
    state: &DeployState,
    at: &Place<'_>,
    version: &str,
) -> Result<(), EditError> {
    if state.version(state.live).map(tag) == Some(tag(version)) {
        return Err(EditError::invalid(format!(
            "{} already runs {version} on {} (live)",
            at.text,
            state.live.as_str()
        )));
    }
    Ok(())
}

pub(in crate::edit) fn release(
    entry: &mut dyn TableLike,
    state: &DeployState,
    at: &Place<'_>,
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

pub(in crate::edit) fn promote(
    entry: &mut dyn TableLike,
    state: &DeployState,
    at: &Place<'_>,
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

pub(in crate::edit) fn rollback(
    entry: &mut dyn TableLike,
    state: &DeployState,
    at: &Place<'_>,
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

pub(in crate::edit) fn retire(
    entry: &mut dyn TableLike,
    state: &DeployState,
    at: &Place<'_>,
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

/// A version reaches an environment only after it has been live in the one declared before
/// it: running on that environment's idle colour is a preview, not a proof.
pub(in crate::edit) fn check_promotion_order(
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
    let at = crate::edit::state_at(spec, service_name, before);
    let live = state.version(state.live).unwrap_or_default();
    if tag(live) == tag(version) {
        if super::cluster_states::live_everywhere(spec, service, before).is_some() {
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

#[cfg(test)]
mod tests {
    use super::{ReleaseAction, apply_release_action};
    use crate::spec::Spec;

    const SPEC: &str = r#"
[enterprise]
name = "acme"
registry = "registry.example.com"
gitops_repo = "https://git.example.com/acme/gitops.git"
platform_team = "@acme/platform"

[environments.prod]
domain = "acme.example"

[environments.prod.clusters.eu]
server = "https://eu.example"

[environments.prod.clusters.us]
server = "https://us.example"

[teams.core]
owners = ["@acme/core"]

[base_images.python]
image = "base/python"
versions."3.11" = {}
versions."3.12" = {}

[services.users]
team = "core"
base = "python:3.12"
version = "1.1"
built_on = { "1.0" = "python:3.11" }

[services.users.deploy.prod]
blue = "1.0"
green = "1.1"
live = "green"

[services.users.deploy.prod.clusters.us]
blue = "1.0"
live = "blue"
"#;

    #[test]
    fn an_environment_whose_cluster_runs_its_own_state_is_not_edited_as_a_whole() {
        let spec: Spec = toml::from_str(SPEC).unwrap();
        for action in [
            ReleaseAction::Retire,
            ReleaseAction::Rollback,
            ReleaseAction::Promote,
            ReleaseAction::Release {
                version: "1.2".to_owned(),
                skip_order: true,
            },
        ] {
            let refused = apply_release_action(&spec, SPEC, "users", "prod", &action).unwrap_err();
            assert!(refused.refused, "{action:?}");
            assert!(
                refused.message.contains("in cluster `us` of `prod`"),
                "{}",
                refused.message
            );
            let at = ["services", "users", "deploy", "prod", "clusters", "us"].map(String::from);
            assert_eq!(refused.at.as_deref(), Some(&at[..]));
        }
    }
}
