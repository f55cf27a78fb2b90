use std::collections::BTreeMap;
use std::fmt::Write;

use super::changes::{Change, ChangeKind};

/// The part of the estate a generated path belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Owner {
    /// A service, or `(environment)`, `(argocd)`, `(repository)` for shared files.
    pub scope: String,
    /// An environment, or `base` / `all`.
    pub environment: String,
}

pub fn owner_of(path: &str) -> Owner {
    let parts: Vec<&str> = path.split('/').collect();
    let (scope, environment) = match parts.as_slice() {
        ["apps", service, "base", ..] => ((*service).to_owned(), "base".to_owned()),
        ["apps", service, "overlays", env, ..] => ((*service).to_owned(), (*env).to_owned()),
        ["envs", env, ..] => ("(environment)".to_owned(), (*env).to_owned()),
        ["argocd", kind, file] if *kind != "root.yaml" => (
            "(argocd)".to_owned(),
            file.trim_end_matches(".yaml").to_owned(),
        ),
        ["argocd", ..] => ("(argocd)".to_owned(), "all".to_owned()),
        _ => ("(repository)".to_owned(), "all".to_owned()),
    };
    Owner { scope, environment }
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    added: usize,
    modified: usize,
    removed: usize,
}

/// Files added / changed / removed, in total and per service and environment.
pub fn summary(changes: &[Change]) -> String {
    let mut per_owner: BTreeMap<Owner, Counts> = BTreeMap::new();
    let mut total = Counts::default();
    for change in changes {
        let counts = per_owner.entry(owner_of(&change.path)).or_default();
        for c in [counts, &mut total] {
            match change.kind {
                ChangeKind::Added => c.added += 1,
                ChangeKind::Modified => c.modified += 1,
                ChangeKind::Removed => c.removed += 1,
            }
        }
    }
    let mut out = String::new();
    if changes.is_empty() {
        out.push_str("No changes: the output directory is up to date.\n");
        return out;
    }
    let width = per_owner
        .keys()
        .map(|o| o.scope.len())
        .max()
        .unwrap_or(0)
        .max(7);
    let _ = writeln!(
        out,
        "{:<width$}  {:<12} {:>5} {:>8} {:>7}",
        "service", "environment", "added", "changed", "removed"
    );
    for (owner, c) in &per_owner {
        let _ = writeln!(
            out,
            "{:<width$}  {:<12} {:>5} {:>8} {:>7}",
            owner.scope, owner.environment, c.added, c.modified, c.removed
        );
    }
    let _ = writeln!(
        out,
        "\n{} files: {} added, {} changed, {} removed",
        changes.len(),
        total.added,
        total.modified,
        total.removed
    );
    out
}
