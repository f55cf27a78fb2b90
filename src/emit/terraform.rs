//! Per cluster `terraform/<env>/main.tf` (`terraform/<env>/<cluster>/main.tf` in an environment
//! that lists clusters): every module pinned by tag (or commit), with the cluster's node image
//! and the GitHub OIDC subjects of its services.

use super::hcl::{Block, Value, render};
use crate::emit::header::header;
use crate::model::{Model, ModuleInput};
use crate::tree::Tree;

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
        tree.insert(format!("{}/main.tf", env.dir()), render(&head, &blocks));
    }
}
