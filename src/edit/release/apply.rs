//! A release command applied to the spec's text: the state machine's step on each release
//! state it is aimed at, for an environment with or without clusters.

use toml_edit::DocumentMut;

use super::action::ReleaseAction;
use super::aimed::{Aimed, ReleaseTarget};
use super::edit_states::edit_states;
use super::order::check_promotion_order;
use super::state_at::state_at;
use super::stopped_base::forget_stopped_bases;
use super::transitions::{
    StatePlace, promote, refuse_if_live, release, release_in_place, retire, rollback,
};
use super::waves::check_wave_order;
use crate::edit::toml::document::document;
use crate::edit::{EditError, Edited, declared};
use crate::spec::{Service, Spec, Strategy};

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
pub(crate) fn apply_release_action_at(
    spec: &Spec,
    text: &str,
    service_name: &str,
    env: &str,
    target: &ReleaseTarget,
    action: &ReleaseAction,
) -> Result<Edited, EditError> {
    let mut doc = document(text)?;
    let summary = release_at(spec, &mut doc, service_name, (env, target), action)
        // What a release command is refused for is the service's release state there, or the
        // nearest key written of it.
        .map_err(|error| error.or_at(&state_at(spec, service_name, env)))?;
    Ok(Edited {
        text: doc.to_string(),
        summary,
    })
}

fn release_at(
    spec: &Spec,
    doc: &mut DocumentMut,
    service_name: &str,
    (env, target): (&str, &ReleaseTarget),
    action: &ReleaseAction,
) -> Result<String, EditError> {
    // Checked before the clusters are looked up: it says which names are declared.
    let service = colours_fleetc_switches(spec, service_name, env)?;
    let aimed = Aimed::of(&spec.environments[env], env, target)?;
    release_in(spec, doc, (service, service_name), (env, &aimed), action)
}

/// One release action on the states `aimed` names in `env`, on a parsed spec, so that several
/// (an `advance`) share one parse. Each state is checked as `release` checks it.
pub(crate) fn release_in(
    spec: &Spec,
    doc: &mut DocumentMut,
    (service, service_name): (&Service, &str),
    (env, aimed): (&str, &Aimed),
    action: &ReleaseAction,
) -> Result<String, EditError> {
    let environment = &spec.environments[env];
    let summary = edit_states(
        doc,
        (service, service_name),
        (env, environment),
        aimed,
        |entry, state, at| {
            if let ReleaseAction::Release {
                version,
                skip_order,
            } = action
            {
                refuse_if_live(state, at, version)?;
                if !skip_order {
                    check_promotion_order(spec, service, service_name, env, version)?;
                    check_wave_order(environment, service, (env, at.cluster), version)?;
                }
            }
            if service.kind.rolls_in_place() {
                return match action {
                    ReleaseAction::Release { version, .. } => {
                        Ok(release_in_place(entry, state, at, version, service.kind))
                    }
                    other => Err(no_colours(service, at, other)),
                };
            }
            match action {
                ReleaseAction::Release { version, .. } => Ok(release(entry, state, at, version)),
                ReleaseAction::Promote => promote(entry, state, at),
                ReleaseAction::Rollback => rollback(entry, state, at),
                ReleaseAction::Retire => retire(entry, state, at),
            }
        },
    )?;
    forget_stopped_bases(spec, doc, (service, service_name));
    Ok(summary)
}

/// Why `action` means nothing for a kind without colours, and what to do instead.
fn no_colours(service: &Service, at: &StatePlace<'_>, action: &ReleaseAction) -> EditError {
    let (verb, instead) = match action {
        ReleaseAction::Promote => (
            "promote",
            "`release` already made the version current".to_owned(),
        ),
        ReleaseAction::Rollback => (
            "rollback",
            format!(
                "release the version to return to: `fleetc release {} VERSION --env {}`",
                at.service_name, at.env
            ),
        ),
        _ => ("retire", "no second version runs beside it".to_owned()),
    };
    EditError::invalid(format!(
        "{} is a {}, which rolls in place and has no colours to {verb}",
        at.text,
        service.kind.as_str()
    ))
    .help(instead)
}

/// The service, when fleetc switches its colours in `env`: declared, deployed there, and
/// delivered by git-driven colours rather than Argo Rollouts.
pub(super) fn colours_fleetc_switches<'a>(
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

#[cfg(test)]
mod tests {
    use super::{ReleaseAction, ReleaseTarget, apply_release_action, apply_release_action_at};
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

    /// What a version was built on goes when an action aimed at one cluster (or one wave)
    /// stops it in the last place it ran, as when the environment's own state is edited.
    #[test]
    fn a_version_stopped_in_its_last_cluster_takes_its_base_with_it() {
        let spec_text = SPEC
            .replace(
                "server = \"https://us.example\"",
                "server = \"https://us.example\"\nwave = 1",
            )
            .replace(
                "[services.users.deploy.prod]\nblue = \"1.0\"\ngreen = \"1.1\"\nlive = \"green\"",
                "[services.users.deploy.prod]\ngreen = \"1.1\"\nlive = \"green\"",
            )
            .replace(
                "[services.users.deploy.prod.clusters.us]\nblue = \"1.0\"\nlive = \"blue\"",
                "[services.users.deploy.prod.clusters.us]\nblue = \"1.0\"\ngreen = \"1.1\"\nlive = \"green\"",
            );
        let spec: Spec = toml::from_str(&spec_text).unwrap();
        for target in [
            ReleaseTarget::Cluster("us".to_owned()),
            ReleaseTarget::Wave(1),
        ] {
            let edited = apply_release_action_at(
                &spec,
                &spec_text,
                "users",
                "prod",
                &target,
                &ReleaseAction::Retire,
            )
            .unwrap();
            let after: Spec = toml::from_str(&edited.text).unwrap();
            let users = &after.services["users"];
            assert!(users.built_on.is_empty(), "{target:?}:\n{}", edited.text);
            assert!(!edited.text.contains("built_on"), "{}", edited.text);
        }
        // Still running in the environment's own state, the version keeps its base.
        let running = spec_text.replace(
            "[services.users.deploy.prod]\ngreen = \"1.1\"",
            "[services.users.deploy.prod]\nblue = \"1.0\"\ngreen = \"1.1\"",
        );
        let spec: Spec = toml::from_str(&running).unwrap();
        let edited = apply_release_action_at(
            &spec,
            &running,
            "users",
            "prod",
            &ReleaseTarget::Cluster("us".to_owned()),
            &ReleaseAction::Retire,
        )
        .unwrap();
        assert!(edited.text.contains("built_on"), "{}", edited.text);
    }
}
