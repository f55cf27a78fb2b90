//! Every workload of every golden tree, and of the bundled spec's `generated/`, passes the
//! Kyverno policies of the place it runs (judged by `kyverno`): an environment folder
//! (`envs/<env>[/<cluster>]`) holds the policies of its cluster, which judge that folder and
//! every service overlay of the same place (`apps/<service>/overlays/<env>[/<cluster>]`), as
//! Argo CD applies them (`argocd`).

mod argocd;
mod broken;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use fleetc::{Renderer, Tree, overlays};
use serde_json::Value;

use crate::kyverno;
use argocd::ArgoCd;

/// Violations standing until the policies learn of them, as (tree, object, rule).
const KNOWN_VIOLATIONS: &[(&str, &str, &str)] = &[];

/// `generated/` and every `golden/<case>/expected`, whichever cases there are.
fn trees() -> Vec<(String, Tree)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut cases: Vec<String> = fs::read_dir(root.join("golden"))
        .expect("golden/ exists")
        .map(|entry| {
            entry
                .expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|case| root.join("golden").join(case).join("expected").is_dir())
        .map(|case| format!("golden/{case}/expected"))
        .collect();
    cases.sort();
    let dirs = std::iter::once("generated".to_owned()).chain(cases);
    dirs.map(|dir| (dir.clone(), load(&root.join(dir))))
        .collect()
}

fn load(dir: &Path) -> Tree {
    let mut tree = Tree::new();
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            let path = entry.path().strip_prefix(dir).unwrap();
            tree.insert(path.to_string_lossy(), fs::read(entry.path()).unwrap());
        }
    }
    tree
}

/// The ClusterPolicies an environment folder holds.
fn policies(renderer: &mut Renderer<'_>, environment: &str) -> Vec<Value> {
    let documents = renderer
        .render(environment)
        .unwrap_or_else(|e| panic!("{e}"));
    documents
        .into_iter()
        .filter(|d| d["kind"] == "ClusterPolicy")
        .collect()
}

/// Whether `folder` is a service overlay of `place` (`<env>` or `<env>/<cluster>`).
fn overlay_of(folder: &str, place: &str) -> bool {
    folder
        .strip_prefix("apps/")
        .and_then(|rest| rest.split_once("/overlays/"))
        .is_some_and(|(_, at)| at == place)
}

/// What a tree's policies find against its own workloads: every workload judged through its
/// pods by a rule of its place, each violation as (object, rule, what), and the workloads seen.
pub(crate) struct TreeJudgement {
    pub failures: Vec<String>,
    pub violations: Vec<(String, String, String)>,
    pub workloads: usize,
}

/// Judges every folder of `tree` by the policies of the place it runs, as Argo CD applies it.
pub(crate) fn judge_tree(tree: &Tree) -> TreeJudgement {
    let mut found = TreeJudgement {
        failures: Vec::new(),
        violations: Vec::new(),
        workloads: 0,
    };
    let argocd = ArgoCd::of(tree);
    let folders = overlays(tree);
    let mut renderer = Renderer::new(tree);
    let mut judged_folders = BTreeSet::new();
    for environment in folders.iter().filter(|f| f.starts_with("envs/")) {
        let place = &environment["envs/".len()..];
        let policies = policies(&mut renderer, environment);
        if policies.is_empty() {
            found
                .failures
                .push(format!("{environment} holds no policies"));
        }
        let of_place = |f: &&String| *f == environment || overlay_of(f, place);
        for folder in folders.iter().filter(of_place) {
            judged_folders.insert(folder.clone());
            let objects = argocd.applied(&mut renderer, folder);
            let judgement = kyverno::judge(&policies, &objects);
            for workload in objects.iter().filter(|o| kyverno::pod_of(o).is_some()) {
                found.workloads += 1;
                let object = kyverno::identity(workload);
                let judged = |j: &kyverno::Judged| j.object == object && j.through_pod;
                if !judgement.judged.iter().any(judged) {
                    found.failures.push(format!(
                        "{folder}: no rule of {environment} judges {object}'s pods"
                    ));
                }
            }
            for violation in judgement.violations {
                found.violations.push((
                    violation.object.clone(),
                    violation.rule.clone(),
                    format!("{folder}: {violation}"),
                ));
            }
        }
    }
    for folder in folders.iter().filter(|f| !judged_folders.contains(*f)) {
        found
            .failures
            .push(format!("{folder}: no environment's policies judge it"));
    }
    found
}

#[test]
fn every_workload_of_every_golden_tree_passes_its_environments_policies() {
    let mut failures = Vec::new();
    let mut workloads = 0;
    let mut seen = Vec::new();
    for (tree_name, tree) in trees() {
        let judgement = judge_tree(&tree);
        workloads += judgement.workloads;
        failures.extend(
            judgement
                .failures
                .into_iter()
                .map(|failure| format!("{tree_name}/{failure}")),
        );
        for (object, rule, told) in judgement.violations {
            let found = (tree_name.as_str(), object.as_str(), rule.as_str());
            match KNOWN_VIOLATIONS.iter().find(|known| **known == found) {
                Some(known) => seen.push(*known),
                None => failures.push(format!("{tree_name}/{told}")),
            }
        }
    }
    for known in KNOWN_VIOLATIONS
        .iter()
        .filter(|known| !seen.contains(known))
    {
        failures.push(format!("{known:?} is a known violation no longer found"));
    }
    assert!(
        workloads > 40,
        "every tree's workloads are found: {workloads}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
