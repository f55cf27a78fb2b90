//! `[terraform]` → per cluster of every environment, every module with its pinned source and
//! inputs.

use crate::model::{
    ClusterModel, EnvironmentModel, ModuleInput, ModuleUse, ServiceModel, TerraformEnv, unique,
};
use crate::spec::{ModulePin, Terraform};

pub(crate) fn resolve_terraform(
    terraform: &Terraform,
    environments: &[EnvironmentModel],
    services: &[ServiceModel],
) -> Vec<TerraformEnv> {
    let source = terraform.source.trim_end_matches('/');
    environments
        .iter()
        .flat_map(|env| env.clusters.iter().map(move |cluster| (env, cluster)))
        .map(|(env, cluster)| TerraformEnv {
            environment: env.name.clone(),
            cluster: cluster.name.clone(),
            modules: terraform
                .modules
                .iter()
                .map(|(name, pin)| {
                    let (tag, commit) = match pin {
                        ModulePin::Tag(tag) => (tag.clone(), None),
                        ModulePin::Detailed(fields) => match fields.get(&env.name) {
                            // An environment's own pin (`tag` or `tag@commit`) wins over the default.
                            Some(pin) => match pin.split_once('@') {
                                Some((tag, commit)) => (tag.to_owned(), Some(commit.to_owned())),
                                None => (pin.clone(), None),
                            },
                            None => (
                                fields.get("version").cloned().unwrap_or_default(),
                                fields.get("commit").cloned(),
                            ),
                        },
                    };
                    let reference = commit.as_deref().unwrap_or(&tag);
                    let mut inputs = place_inputs(env, cluster);
                    let node_image = cluster
                        .node_image
                        .as_ref()
                        .or_else(|| terraform.node_image.as_ref().and_then(|n| n.get(&env.name)));
                    if *name == terraform.node_image_module
                        && let Some(image) = node_image
                    {
                        inputs.push(("node_image".to_owned(), ModuleInput::Text(image.clone())));
                    }
                    if *name == terraform.identity_module {
                        inputs.extend(crate::resolve::identity::trust_inputs(
                            env, cluster, services,
                        ));
                    }
                    if *name == terraform.oidc_module {
                        inputs.push((
                            "subjects".to_owned(),
                            ModuleInput::List(oidc_subjects(terraform, env, services)),
                        ));
                    }
                    ModuleUse {
                        name: name.clone(),
                        source: format!("{source}//modules/{name}?ref={reference}"),
                        tag,
                        commit,
                        inputs,
                    }
                })
                .collect(),
        })
        .collect()
}

/// Where the modules run: the environment, and the cluster and its region when the
/// environment lists clusters.
fn place_inputs(env: &EnvironmentModel, cluster: &ClusterModel) -> Vec<(String, ModuleInput)> {
    let mut inputs = vec![(
        "environment".to_owned(),
        ModuleInput::Text(env.name.clone()),
    )];
    if let Some(name) = &cluster.name {
        inputs.push(("cluster".to_owned(), ModuleInput::Text(name.clone())));
    }
    if let Some(region) = &cluster.region {
        inputs.push(("region".to_owned(), ModuleInput::Text(region.clone())));
    }
    inputs
}

/// `repo:<org>/<service>:ref:refs/heads/<branch>` for every service in the environment.
fn oidc_subjects(
    terraform: &Terraform,
    env: &EnvironmentModel,
    services: &[ServiceModel],
) -> Vec<String> {
    // Services built from one repository share its subjects.
    unique(
        services
            .iter()
            .filter(|s| s.deployment(&env.name).is_some())
            .flat_map(|s| {
                terraform.oidc_branches.iter().map(move |branch| {
                    format!("repo:{}:ref:refs/heads/{branch}", s.repository_slug)
                })
            }),
    )
}
