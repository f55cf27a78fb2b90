use std::borrow::Cow;
use std::io;
use std::path::Path;

use super::links::{read_regular, refuse_links};
use crate::tree::{MANIFEST, Tree};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Added,
    Modified,
    Removed,
}

/// One file that differs between the compiled tree and the output directory. The bytes are
/// borrowed from the trees compared where they can be: a build of a whole estate would
/// otherwise hold every file twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change<'a> {
    pub path: String,
    pub kind: ChangeKind,
    pub old: Option<Cow<'a, [u8]>>,
    pub new: Option<Cow<'a, [u8]>>,
}

/// What `build` would do to `out`: files to add or rewrite, and files an earlier build wrote
/// that the tree no longer has. Files fleetc never wrote are not looked at.
pub fn changes<'a>(tree: &'a Tree, out: &Path) -> io::Result<Vec<Change<'a>>> {
    let disk = crate::sink::disk::read_tree(out)?;
    let owned = |bytes: Cow<'_, [u8]>| Cow::Owned(bytes.into_owned());
    compare(
        tree,
        |path| Ok(earlier(&disk, out, path)?.map(owned)),
        stale(tree, &disk).map(|(path, bytes)| (path, owned(bytes))),
    )
}

/// [`changes`] against `disk`, the owned files of `out` read earlier (see
/// [`read_tree`](crate::sink::disk::read_tree)); a path of `tree` that `out` does not own is
/// read from `out` itself, so a file someone else put there is never taken for absent.
pub(crate) fn changes_from<'a>(
    tree: &'a Tree,
    disk: &'a Tree,
    out: &Path,
) -> io::Result<Vec<Change<'a>>> {
    compare(tree, |path| earlier(disk, out, path), stale(tree, disk))
}

/// What `out` held at `path`: the file read with the tree on disk, or else the file itself.
fn earlier<'d>(disk: &'d Tree, out: &Path, path: &str) -> io::Result<Option<Cow<'d, [u8]>>> {
    if let Some(bytes) = disk.get(path) {
        return Ok(Some(Cow::Borrowed(bytes)));
    }
    refuse_links(out, path)?;
    Ok(read_regular(out, path)?.map(Cow::Owned))
}

/// The files of the tree on disk that `tree` no longer has.
fn stale<'d>(tree: &Tree, disk: &'d Tree) -> impl Iterator<Item = (String, Cow<'d, [u8]>)> {
    disk.iter()
        .filter(|(path, _)| tree.get(path).is_none())
        .map(|(path, bytes)| (path.to_owned(), Cow::Borrowed(bytes)))
}

/// The paths `tree` writes where `out` already holds something fleetc did not write (no
/// manifest of `out` lists it): someone's own file, which a build must not silently replace.
pub(crate) fn foreign_files(tree: &Tree, disk: &Tree, out: &Path) -> Vec<String> {
    tree.paths()
        .filter(|path| *path != MANIFEST && disk.get(path).is_none())
        .filter(|path| std::fs::symlink_metadata(out.join(path)).is_ok())
        .map(str::to_owned)
        .collect()
}

/// What changes between two compiled trees: the plan of a spec edit.
pub fn between<'a>(old: &'a Tree, new: &'a Tree) -> Vec<Change<'a>> {
    compare(
        new,
        |path| Ok(old.get(path).map(Cow::Borrowed)),
        stale(new, old),
    )
    .expect("reading a tree in memory cannot fail")
}

/// `new` against an earlier state read through `old`, plus the files that state had and
/// `new` drops.
fn compare<'a>(
    new: &'a Tree,
    old: impl Fn(&str) -> io::Result<Option<Cow<'a, [u8]>>>,
    stale: impl IntoIterator<Item = (String, Cow<'a, [u8]>)>,
) -> io::Result<Vec<Change<'a>>> {
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
            old: before,
            new: Some(Cow::Borrowed(bytes)),
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
