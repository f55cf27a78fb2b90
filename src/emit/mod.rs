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
    let mut tree = Tree::new();
    kustomize::emit(model, &mut tree);
    ingress::emit(model, &mut tree);
    argocd::emit(model, &mut tree);
    codeowners::emit(model, &mut tree);
    ci::emit(model, &mut tree);
    terraform::emit(model, &mut tree);
    tree.seal()
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
