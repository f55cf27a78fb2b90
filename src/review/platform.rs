//! Changes to files that no Application deploys: the CI caller workflows (`ci/<svc>.yml`)
//! and the Terraform of each environment (`terraform/<env>/main.tf`), read from the changed
//! paths of the two trees.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::listing::{SCREENFUL, at_most};
use super::terraform_pins::{PinnedModule, module_pins};
use crate::render::parse_documents;
use crate::tree::Tree;
use crate::tree::layout::{Location, locate_file};

/// CI workflows moving from one template version to another (`None`: the workflow is new, or
/// goes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CiChange {
    pub from: Option<String>,
    pub to: Option<String>,
    /// The `with:` inputs that change, where the version does not.
    pub inputs: Vec<String>,
    pub services: Vec<String>,
    pub files: Vec<String>,
    pub description: String,
}

/// One module of one environment's Terraform that changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TerraformChange {
    pub environment: String,
    pub file: String,
    pub module: String,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Inputs that change, each with what it becomes.
    pub inputs: Vec<String>,
    pub description: String,
}

/// Workflows change together when they move between the same template versions, or change
/// the same inputs.
type CiGroup = (Option<String>, Option<String>, Vec<String>);

/// The CI workflows that change, grouped by what changes in them.
pub(super) fn ci_changes(before: &Tree, after: &Tree, paths: &[String]) -> Vec<CiChange> {
    let mut groups: BTreeMap<CiGroup, Vec<(String, String)>> = BTreeMap::new();
    for path in paths {
        let Some((Location::Ci { service }, _)) = locate_file(path) else {
            continue;
        };
        let (old, new) = (workflow(before, path), workflow(after, path));
        let version = |w: &Option<Workflow>| w.as_ref().map(|w| w.version.clone());
        let (from, to) = (version(&old), version(&new));
        let inputs = match (&old, &new) {
            (Some(old), Some(new)) if from == to => {
                let keys = old.inputs.keys().chain(new.inputs.keys());
                let mut changed: Vec<String> = keys
                    .filter(|k| old.inputs.get(*k) != new.inputs.get(*k))
                    .cloned()
                    .collect();
                changed.dedup();
                changed
            }
            _ => Vec::new(),
        };
        groups
            .entry((from, to, inputs))
            .or_default()
            .push((service.to_owned(), path.clone()));
    }
    groups
        .into_iter()
        .map(|((from, to, inputs), members)| {
            let (services, files): (Vec<String>, Vec<String>) = members.into_iter().unzip();
            let what = match (&from, &to) {
                (Some(from), Some(to)) if from != to => format!("CI template {from} → {to}"),
                (None, Some(to)) => format!("CI workflow added (template {to})"),
                (Some(from), None) => format!("CI workflow removed (template {from})"),
                _ if inputs.is_empty() => "CI workflow".to_owned(),
                _ => format!("CI workflow inputs {}", inputs.join(", ")),
            };
            CiChange {
                description: format!(
                    "{what}: {} ({})",
                    at_most(&services, SCREENFUL),
                    at_most(&files, SCREENFUL)
                ),
                from,
                to,
                inputs,
                services,
                files,
            }
        })
        .collect()
}

struct Workflow {
    version: String,
    inputs: BTreeMap<String, Value>,
}

/// The template version a caller workflow runs and the inputs it passes.
fn workflow(tree: &Tree, path: &str) -> Option<Workflow> {
    let text = std::str::from_utf8(tree.get(path)?).ok()?;
    let document = parse_documents(text).ok()?.into_iter().next()?;
    let job = document["jobs"]
        .as_object()?
        .values()
        .find(|job| job["uses"].is_string())?;
    let uses = job["uses"].as_str().unwrap_or("");
    let version = uses.rsplit_once('@').map_or(uses, |(_, v)| v).to_owned();
    let inputs = job["with"].as_object().cloned().unwrap_or_default();
    Some(Workflow {
        version,
        inputs: inputs.into_iter().collect(),
    })
}

/// Every module of every environment whose Terraform changes.
pub(super) fn terraform_changes(
    before: &Tree,
    after: &Tree,
    paths: &[String],
) -> Vec<TerraformChange> {
    let mut found = Vec::new();
    for path in paths {
        let Some((Location::Terraform { env, cluster }, "main.tf")) = locate_file(path) else {
            continue;
        };
        let environment = &cluster.map_or_else(|| env.to_owned(), |c| format!("{env}/{c}"));
        let pins = |tree: &Tree| {
            tree.get(path)
                .and_then(|b| std::str::from_utf8(b).ok())
                .map(module_pins)
                .unwrap_or_default()
        };
        let (old, new) = (pins(before), pins(after));
        let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
        names.sort();
        names.dedup();
        for module in names {
            let (was, is) = (old.get(module), new.get(module));
            if was == is {
                continue;
            }
            found.push(module_change(environment, path, module, was, is));
        }
    }
    found
}

fn module_change(
    environment: &str,
    file: &str,
    module: &str,
    was: Option<&PinnedModule>,
    is: Option<&PinnedModule>,
) -> TerraformChange {
    let (from, to) = (
        was.map(PinnedModule::version),
        is.map(PinnedModule::version),
    );
    let mut inputs = Vec::new();
    if let (Some(was), Some(is)) = (was, is) {
        let mut keys: Vec<&String> = was.inputs.keys().chain(is.inputs.keys()).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            let (old, new) = (was.inputs.get(key), is.inputs.get(key));
            match (old, new) {
                (Some(old), Some(new)) if old == new => {}
                (Some(old), Some(new)) if old.len() == 1 && new.len() == 1 => {
                    inputs.push(format!("{key} {} → {}", old[0], new[0]));
                }
                _ => {
                    let (old, new) = (
                        old.cloned().unwrap_or_default(),
                        new.cloned().unwrap_or_default(),
                    );
                    let added = new.iter().filter(|i| !old.contains(i)).count();
                    let removed = old.iter().filter(|i| !new.contains(i)).count();
                    inputs.push(format!("{key} +{added} −{removed}"));
                }
            }
        }
    }
    let what = match (&from, &to) {
        (None, Some(to)) => format!("module {module} added ({to})"),
        (Some(from), None) => format!("module {module} removed ({from})"),
        (Some(_), Some(_)) if from != to => {
            let (was, is) = (was.expect("pinned before"), is.expect("pinned after"));
            let mut text = if was.tag == is.tag {
                format!(
                    "module {module} {} commit {} → {}",
                    is.tag,
                    short(was.commit.as_deref()),
                    short(is.commit.as_deref())
                )
            } else {
                format!("module {module} {} → {}", was.tag, is.tag)
            };
            if !inputs.is_empty() {
                text.push_str(&format!("; {}", inputs.join(", ")));
            }
            text
        }
        _ => format!("module {module} {}", inputs.join(", ")),
    };
    TerraformChange {
        description: format!("Terraform {environment}: {what}"),
        environment: environment.to_owned(),
        file: file.to_owned(),
        module: module.to_owned(),
        from,
        to,
        inputs,
    }
}

/// A commit's first seven characters, or `none` for a pin by tag alone.
fn short(commit: Option<&str>) -> &str {
    commit.map_or("none", |c| &c[..c.len().min(7)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ci(version: &str, base: &str) -> String {
        format!(
            "name: x\njobs:\n  pipeline:\n    uses: \"o/t/.github/workflows/s.yml@{version}\"\n    with:\n      base-image: \"{base}\"\n"
        )
    }

    fn tree(files: &[(&str, String)]) -> Tree {
        let mut tree = Tree::new();
        for (path, text) in files {
            tree.insert(*path, text.clone());
        }
        tree
    }

    #[test]
    fn ci_workflows_are_grouped_by_template_version() {
        let before = tree(&[
            ("ci/users.yml", ci("v2.3.0", "py:1")),
            ("ci/orders.yml", ci("v2.3.0", "py:1")),
            ("ci/auth.yml", ci("v2.3.0", "py:1")),
        ]);
        let after = tree(&[
            ("ci/users.yml", ci("v3.0.0", "py:1")),
            ("ci/orders.yml", ci("v3.0.0", "py:1")),
            ("ci/auth.yml", ci("v2.3.0", "py:2")),
        ]);
        let paths: Vec<String> = ["ci/auth.yml", "ci/orders.yml", "ci/users.yml"]
            .map(str::to_owned)
            .to_vec();
        let descriptions: Vec<String> = ci_changes(&before, &after, &paths)
            .into_iter()
            .map(|c| c.description)
            .collect();
        assert_eq!(
            descriptions,
            [
                "CI workflow inputs base-image: auth (ci/auth.yml)",
                "CI template v2.3.0 → v3.0.0: orders, users (ci/orders.yml, ci/users.yml)"
            ]
        );
    }

    #[test]
    fn terraform_modules_name_their_versions_and_inputs() {
        let main = |eks: &str, image: &str| {
            format!(
                "module \"eks\" {{\n  source = \"git::x//modules/eks?ref={eks}\"\n\n  node_image = \"{image}\"\n}}\n"
            )
        };
        let path = "terraform/prod/main.tf";
        let before = tree(&[(path, main("v1.3.2", "br-1.23"))]);
        let after = tree(&[(path, main("v1.4.0", "br-1.24"))]);
        let changes = terraform_changes(&before, &after, &[path.to_owned()]);
        assert_eq!(
            changes[0].description,
            "Terraform prod: module eks v1.3.2 → v1.4.0; node_image br-1.23 → br-1.24"
        );
    }
}
