//! What the lines of an environment's Argo CD files come from: its sync settings, its
//! windows, its clusters, and for each Application of the set the service deployed there.

use crate::model::{EnvironmentModel, Model};
use crate::tree::origin::{Gathered, Origin, key};

fn environment(env: &str, rest: &[&str]) -> Origin {
    key(&[&["environments", env], rest].concat())
}

fn cluster(env: &str, name: &str, rest: &[&str]) -> Origin {
    key(&[&["environments", env, "clusters", name], rest].concat())
}

/// What every Argo CD file of the environment comes from, after anything more specific.
fn file(env: &str, origins: &mut Gathered) {
    origins.file(|| vec![environment(env, &[]), key(&["enterprise"])]);
}

pub(super) fn project(env: &EnvironmentModel, origins: &mut Gathered) {
    origins.node(0, &["spec", "syncWindows"], || {
        vec![environment(&env.name, &["sync_windows"])]
    });
    for (index, listed) in env.clusters.iter().enumerate() {
        if let Some(name) = &listed.name {
            let index = index.to_string();
            origins.node(0, &["spec", "destinations", &index], || {
                vec![
                    cluster(&env.name, name, &["server"]),
                    cluster(&env.name, name, &[]),
                ]
            });
        }
    }
    file(&env.name, origins);
}

pub(super) fn environment_application(
    env: &EnvironmentModel,
    name: Option<&str>,
    origins: &mut Gathered,
) {
    origins.node(0, &["spec", "syncPolicy"], || {
        vec![environment(&env.name, &["sync"])]
    });
    if let Some(name) = name {
        origins.node(0, &["spec", "destination", "server"], || {
            vec![cluster(&env.name, name, &["server"])]
        });
        origins.file(|| vec![cluster(&env.name, name, &[])]);
    }
    file(&env.name, origins);
}

pub(super) fn application_set(model: &Model, env: &EnvironmentModel, origins: &mut Gathered) {
    let deployed = model.services.iter().flat_map(|service| {
        service
            .deployments
            .iter()
            .filter(|d| d.environment == env.name)
            .map(move |deployment| (service, deployment))
    });
    for (index, (service, deployment)) in deployed.enumerate() {
        let element = index.to_string();
        let at = [
            "spec",
            "generators",
            "0",
            "list",
            "elements",
            element.as_str(),
        ];
        if let Some(name) = &deployment.cluster {
            origins.node(0, &[&at[..], &["cluster"]].concat(), || {
                vec![cluster(&env.name, name, &[])]
            });
            origins.node(0, &[&at[..], &["server"]].concat(), || {
                vec![cluster(&env.name, name, &["server"])]
            });
            origins.node(0, &[&at[..], &["wave"]].concat(), || {
                vec![cluster(&env.name, name, &["wave"])]
            });
        }
        origins.node(0, &at, || {
            let state = ["services", service.name.as_str(), "deploy", &env.name];
            let mut found = Vec::new();
            if let Some(name) = &deployment.cluster {
                found.push(key(&[&state[..], &["clusters", name]].concat()));
            }
            found.push(key(&state));
            found.push(key(&["services", &service.name]));
            found
        });
    }
    origins.node(0, &["spec", "template", "spec", "syncPolicy"], || {
        vec![environment(&env.name, &["sync"])]
    });
    origins.node(0, &["spec", "strategy"], || {
        vec![
            environment(&env.name, &["sync"]),
            environment(&env.name, &["clusters"]),
        ]
    });
    file(&env.name, origins);
}
