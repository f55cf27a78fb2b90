//! The owners a change must ask to review: those GitHub asks and branch protection waits for.

use std::collections::BTreeSet;

use crate::emit::{Codeowners, read_codeowners};
use crate::tree::Tree;
use crate::tree::layout::CODEOWNERS;

/// Everyone the CODEOWNERS of `before` gives a file of `touched` (the files of the tree the
/// change adds, changes or deletes). GitHub reads CODEOWNERS from the pull request's base
/// branch, so the rules are those of the tree before the change, for every file: one the
/// change adds is owned as the base's rules say, and a change to the rules themselves applies
/// from the next pull request on. With no CODEOWNERS before, GitHub asks no one.
pub(super) fn owners_to_request(before: &Tree, touched: &[String]) -> Vec<String> {
    let codeowners = base_codeowners(before);
    let owners: BTreeSet<&String> = touched
        .iter()
        .flat_map(|path| codeowners.owners_in_tree(path))
        .collect();
    owners.into_iter().cloned().collect()
}

/// The owners of a file of the repository outside the tree (the spec), by the CODEOWNERS of
/// `before`: someone only when the tree is the repository's root.
pub(super) fn repository_file_owners(before: &Tree, path: &str) -> Vec<String> {
    base_codeowners(before).owners_in_repository(path).to_vec()
}

fn base_codeowners(before: &Tree) -> Codeowners {
    before
        .get(CODEOWNERS)
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .map(read_codeowners)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::Impact;

    const CODEOWNERS: &str = "/generated/ @p @sre\n/generated/apps/users/ @identity\n\
                              /generated/apps/users/overlays/prod/ @p @sre\n";

    fn paths(paths: &[&str]) -> Vec<String> {
        paths.iter().map(|p| (*p).to_owned()).collect()
    }

    fn before(codeowners: &str) -> Tree {
        let mut tree = Tree::new();
        tree.insert("CODEOWNERS", codeowners);
        tree
    }

    #[test]
    fn every_touched_file_asks_its_owners_by_the_rules_before_the_change() {
        let before = before(CODEOWNERS);
        assert_eq!(
            owners_to_request(
                &before,
                &paths(&["apps/users/overlays/prod/kustomization.yaml"])
            ),
            ["@p", "@sre"]
        );
        assert_eq!(
            owners_to_request(
                &before,
                &paths(&[
                    "apps/users/overlays/prod/kustomization.yaml",
                    "apps/users/colours/green/deployment.yaml",
                ])
            ),
            ["@identity", "@p", "@sre"]
        );
    }

    #[test]
    fn no_codeowners_before_asks_no_one() {
        assert!(owners_to_request(&Tree::new(), &paths(&["CODEOWNERS"])).is_empty());
    }

    #[test]
    fn a_file_outside_the_tree_is_owned_only_where_the_tree_is_the_root() {
        let mut impact = Impact {
            owners: vec!["@identity".to_owned()],
            ..Impact::default()
        };
        impact.ask_owners_of_repository_file(&before(CODEOWNERS), "spec/enterprise.toml");
        assert_eq!(impact.owners, ["@identity"]);
        impact.ask_owners_of_repository_file(&before("* @p @sre\n"), "spec/enterprise.toml");
        assert_eq!(impact.owners, ["@identity", "@p", "@sre"]);
    }
}
