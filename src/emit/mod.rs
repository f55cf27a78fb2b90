//! Emitters: each a pure function of the Model that adds its family of files to the Tree.
//! None reads files, the clock or the environment.

mod argocd;
mod ci;
mod codeowners;
mod hcl;
mod ingress;
mod kustomize;
mod policies;
mod terraform;
pub(crate) mod yaml;

pub use kustomize::overlay_dir;

use crate::model::Model;
use crate::tree::Tree;

pub fn emit(model: &Model) -> Tree {
    emit_with(model, Tree::new)
}

/// [`emit`] into a tree that keeps each YAML file's documents, for rendering.
pub fn emit_keeping_documents(model: &Model) -> Tree {
    emit_with(model, Tree::keeping_documents)
}

/// Each service's files depend on the model alone, so services are emitted on every core,
/// while the calling thread writes the files shared by all services; the tree orders them by
/// path, whatever thread wrote them.
fn emit_with(model: &Model, new_tree: fn() -> Tree) -> Tree {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(8);
    let chunk = model.services.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = model
            .services
            .chunks(chunk)
            .map(|services| {
                scope.spawn(move || {
                    let mut tree = new_tree();
                    for service in services {
                        kustomize::emit_service(model, service, &mut tree);
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
pub fn documents(documents: &[serde_json::Value]) -> String {
    let mut out = String::new();
    for document in documents {
        out.push_str("---\n");
        out.push_str(&yaml::to_yaml(document));
    }
    out
}
