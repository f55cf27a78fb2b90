//! Per cluster `terraform/<env>/main.tf` (`terraform/<env>/<cluster>/main.tf` in an environment
//! that lists clusters): every module pinned by tag (or commit), with the cluster's node image,
//! the GitHub OIDC subjects of its services and the trust of the cloud identities they act as.

use super::hcl::{Block, Value, Written, render};
use super::identity_origins::identity_keys;
use crate::emit::header::header;
use crate::model::{Model, ModuleInput, TerraformEnv};
use crate::tree::Tree;
use crate::tree::origin::{Anchor, Origin, key};

pub(super) fn emit(model: &Model, tree: &mut Tree) {
    for env in &model.terraform {
        let blocks: Vec<Block> = env
            .modules
            .iter()
            .map(|module| {
                let comment = module
                    .commit
                    .as_ref()
                    .map(|_| format!("{} pinned by commit", module.tag));
                let mut simple = Vec::new();
                let mut lists = Vec::new();
                for (key, input) in &module.inputs {
                    match input {
                        ModuleInput::Text(text) => {
                            simple.push((key.clone(), Value::Text(text.clone()), None));
                        }
                        ModuleInput::List(items) => {
                            lists.push(vec![(key.clone(), Value::List(items.clone()), None)]);
                        }
                        ModuleInput::Map(entries) => {
                            lists.push(vec![(key.clone(), Value::Map(entries.clone()), None)]);
                        }
                    }
                }
                let mut groups = vec![vec![(
                    "source".to_owned(),
                    Value::Text(module.source.clone()),
                    comment,
                )]];
                groups.push(simple);
                groups.extend(lists);
                Block {
                    kind: "module",
                    labels: vec![module.name.replace('-', "_")],
                    groups,
                }
            })
            .collect();
        let place = match &env.cluster {
            Some(cluster) => format!("environment {}, cluster {cluster}", env.environment),
            None => format!("environment {}", env.environment),
        };
        let head = header(model, &format!("terraform, {place}"));
        let (text, written) = render(&head, &blocks);
        let path = format!("{}/main.tf", env.dir());
        let mut origins = tree.gather();
        for part in written {
            origins.add(|| {
                (
                    Anchor::Lines(part.lines.clone()),
                    origins_of(model, env, &part),
                )
            });
        }
        origins.file(|| vec![key(&["terraform"])]);
        tree.record(&path, origins);
        tree.insert(path, text);
    }
}

/// What a module block of an environment's (or cluster's) Terraform, or one of its inputs,
/// comes from: the cluster's own setting first, then the estate's pin.
fn origins_of(model: &Model, env: &TerraformEnv, part: &Written) -> Vec<Origin> {
    let at = |rest: &[&str]| -> Option<Origin> {
        let cluster = env.cluster.as_deref()?;
        Some(key(&[
            &["environments", &env.environment, "clusters", cluster],
            rest,
        ]
        .concat()))
    };
    let module = &env.modules[part.block].name;
    let mut found = Vec::new();
    match part.key.as_deref() {
        Some("node_image") => {
            found.extend(at(&["node_image"]));
            found.extend([
                key(&["terraform", "node_image", &env.environment]),
                key(&["terraform", "node_image"]),
            ]);
        }
        Some("region") => found.extend(at(&["region"])),
        Some("cluster") => found.extend(at(&[])),
        Some("subjects") => found.push(key(&["terraform", "oidc_module"])),
        Some(_) if part.entry.is_some() => {
            found.extend(identity_origins(model, env, part.entry.as_deref()));
        }
        _ => {}
    }
    found.extend([
        key(&["terraform", "modules", module, &env.environment]),
        key(&["terraform", "modules", module]),
    ]);
    found
}

/// The keys of the identities of the services that act as cloud identity `id` in `env`'s
/// place, in the order of the services.
fn identity_origins(model: &Model, env: &TerraformEnv, id: Option<&str>) -> Vec<Origin> {
    model
        .services
        .iter()
        .filter_map(|service| {
            let deployment = service.deployment_at(&env.environment, env.cluster.as_deref())?;
            let acts_as = deployment.identity.as_ref()?.id.as_str();
            (Some(acts_as) == id).then(|| identity_keys(&service.name, deployment))
        })
        .flatten()
        .collect()
}
