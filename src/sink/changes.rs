use std::borrow::Cow;
use std::io;
use std::path::Path;

use super::links::{read_regular, refuse_links};
use crate::tree::{MANIFEST, Tree, manifest_paths};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Added,
    Modified,
    Removed,
}

/// One file that differs between the compiled tree and the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub kind: ChangeKind,
    pub old: Option<Vec<u8>>,
    pub new: Option<Vec<u8>>,
}

/// What `build` would do to `out`: files to add or rewrite, and files an earlier build wrote
/// that the tree no longer has. Files fleetc never wrote are not looked at.
pub fn changes(tree: &Tree, out: &Path) -> io::Result<Vec<Change>> {
    changes_from(tree, &crate::sink::disk::read_tree(out)?, out)
}

/// [`changes`] against `disk`, the owned files of `out` read earlier (see
/// [`read_tree`](crate::sink::disk::read_tree)); a path of `tree` that `out` does not own is
/// read from `out` itself, so a file someone else put there is never taken for absent.
pub fn changes_from(tree: &Tree, disk: &Tree, out: &Path) -> io::Result<Vec<Change>> {
    let stale = disk
        .iter()
        .filter(|(path, _)| tree.get(path).is_none())
        .map(|(path, bytes)| (path.to_owned(), bytes.to_vec()));
    compare(
        tree,
        |path| {
            if let Some(bytes) = disk.get(path) {
                return Ok(Some(Cow::Borrowed(bytes)));
            }
            refuse_links(out, path)?;
            Ok(read_regular(out, path)?.map(Cow::Owned))
        },
        stale,
    )
}

/// The paths `tree` writes where `out` already holds something fleetc did not write (no
/// manifest of `out` lists it): someone's own file, which a build must not silently replace.
pub fn foreign_files(tree: &Tree, disk: &Tree, out: &Path) -> Vec<String> {
    tree.paths()
        .filter(|path| *path != MANIFEST && disk.get(path).is_none())
        .filter(|path| std::fs::symlink_metadata(out.join(path)).is_ok())
        .map(str::to_owned)
        .collect()
}

/// What changes between two compiled trees: the plan of a spec edit.
pub fn between(old: &Tree, new: &Tree) -> Vec<Change> {
    let stale = old
        .iter()
        .filter(|(path, _)| new.get(path).is_none())
        .map(|(path, bytes)| (path.to_owned(), bytes.to_vec()));
    compare(new, |path| Ok(old.get(path).map(Cow::Borrowed)), stale)
        .expect("reading a tree in memory cannot fail")
}

/// `new` against an earlier state read through `old`, plus the files that state had and
/// `new` drops.
fn compare<'a>(
    new: &Tree,
    old: impl Fn(&str) -> io::Result<Option<Cow<'a, [u8]>>>,
    stale: impl IntoIterator<Item = (String, Vec<u8>)>,
) -> io::Result<Vec<Change>> {
    let mut found = Vec::new();
    for (path, bytes) in new.iter() {
        let before = old(path)?;
        let kind = match &before {
            None => ChangeKind::Added,
            Some(before) if **before != *bytes => ChangeKind::Modified,
            Some(_) => continue,
        };
        found.push(Change {
            path: path.to_owned(),
            kind,
            old: before.map(Cow::into_owned),
            new: Some(bytes.to_vec()),
        });
    }
    found.extend(stale.into_iter().map(|(path, bytes)| Change {
        path,
        kind: ChangeKind::Removed,
        old: Some(bytes),
        new: None,
    }));
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// The files the manifest in `out` says an earlier build wrote (safe relative paths only).
pub fn owned_paths(out: &Path) -> io::Result<Vec<String>> {
    let Some(bytes) = read_regular(out, MANIFEST)? else {
        return Ok(Vec::new());
    };
    let text = String::from_utf8_lossy(&bytes);
    Ok(manifest_paths(&text)
        .into_iter()
        .filter(|path| is_safe_relative(path))
        .collect())
}

/// A path that stays inside the output directory.
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path.split('/').all(|part| {
            !part.is_empty() && part != "." && part != ".." && !part.chars().any(char::is_control)
        })
}
