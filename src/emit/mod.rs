//! Emitters: each a pure function of the Model that adds its family of files to the Tree.
//! None reads files, the clock or the environment.

mod argocd;
mod certificates;
mod ci;
mod codeowners;
mod environment_origins;
mod grafana;
mod hcl;
pub(crate) mod header;
mod identity_origins;
mod ingress;
mod kustomize;
mod namespace;
mod overview;
mod policies;
pub(crate) mod promql;

mod secret_store;
pub(crate) mod source_line;
mod terraform;

pub(crate) use argocd::application_set::application_name;
pub(crate) use codeowners::{Codeowners, read as read_codeowners};
pub(crate) use kustomize::ServiceScope;

use std::collections::{HashMap, HashSet};

use crate::model::{Model, ServiceModel};
use crate::tree::Tree;

pub(crate) fn emit(model: &Model) -> Tree {
    emit_with(model, &Tree::new, &|_| true)
}

/// [`emit`] into a tree that keeps each YAML file's documents, for rendering.
pub(crate) fn emit_keeping_documents(model: &Model) -> Tree {
    emit_with(model, &Tree::keeping_documents, &|_| true)
}

/// [`emit`] into a tree that records what each part of file `only` (of every file, when
/// `None`) was written from and keeps its documents, for `why`.
pub(crate) fn emit_explaining(model: &Model, only: Option<&str>) -> Tree {
    emit_with(model, &|| Tree::explaining(only), &|_| true)
}

/// The two trees a review compares, each with every shared file but only the services whose
/// files can differ: a service's files are a function of the service's model and
/// [`ServiceScope`] alone, so when the scopes are equal an equal service model means equal
/// files. A one-service change to a large estate emits one service twice, not all of them.
pub fn emit_for_review(before: &Model, after: &Model) -> (Tree, Tree) {
    let everything = ServiceScope::of(before) != ServiceScope::of(after);
    let (old, new) = (services_by_name(before), services_by_name(after));
    let changed: HashSet<&str> = old
        .iter()
        .filter(|(name, service)| new.get(*name) != Some(*service))
        .chain(new.iter().filter(|(name, _)| !old.contains_key(*name)))
        .map(|(name, _)| *name)
        .collect();
    let differs = |service: &ServiceModel| everything || changed.contains(service.name.as_str());
    (
        emit_with(before, &Tree::keeping_documents, &differs),
        emit_with(after, &Tree::keeping_documents, &differs),
    )
}

/// The files of one service alone, keeping their documents, for rendering its overlays.
pub(crate) fn service_files(scope: &ServiceScope<'_>, service: &ServiceModel) -> Tree {
    let mut tree = Tree::keeping_documents();
    kustomize::emit_service(scope, service, &mut tree);
    tree
}

fn services_by_name(model: &Model) -> HashMap<&str, &ServiceModel> {
    model
        .services
        .iter()
        .map(|s| (s.name.as_str(), s))
        .collect()
}

/// Each service's files depend on the service and its scope alone, so services are emitted on
/// every core, while the calling thread writes the files shared by all services; the tree
/// orders them by path, whatever thread wrote them.
fn emit_with(
    model: &Model,
    new_tree: &(dyn Fn() -> Tree + Sync),
    keep: &(dyn Fn(&ServiceModel) -> bool + Sync),
) -> Tree {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(8);
    let services: Vec<&ServiceModel> = model.services.iter().filter(|s| keep(s)).collect();
    let chunk = services.len().div_ceil(threads).max(1);
    let service_scope = ServiceScope::of(model);
    let service_scope = &service_scope;
    std::thread::scope(|scope| {
        let workers: Vec<_> = services
            .chunks(chunk)
            .map(|services| {
                scope.spawn(move || {
                    let mut tree = new_tree();
                    for service in services {
                        kustomize::emit_service(service_scope, service, &mut tree);
                    }
                    tree
                })
            })
            .collect();
        let mut tree = new_tree();
        ingress::emit(model, &mut tree);
        argocd::emit(model, &mut tree);
        codeowners::emit(model, &mut tree);
        ci::emit(model, &mut tree);
        terraform::emit(model, &mut tree);
        for worker in workers {
            tree.merge(worker.join().expect("emitting a service does not panic"));
        }
        tree.seal()
    })
}

/// A YAML stream of documents, each started by `---`, as `kubectl kustomize` prints them.
pub(crate) fn documents(documents: &[serde_json::Value]) -> String {
    let mut out = String::new();
    for document in documents {
        out.push_str("---\n");
        out.push_str(&crate::tree::yaml::to_yaml(document));
    }
    out
}
