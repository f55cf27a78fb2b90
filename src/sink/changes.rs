use std::fs;
use std::io;
use std::path::Path;

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
    let mut found = Vec::new();
    for (path, bytes) in tree.iter() {
        match read_optional(&out.join(path))? {
            None => found.push(Change {
                path: path.to_owned(),
                kind: ChangeKind::Added,
                old: None,
                new: Some(bytes.to_vec()),
            }),
            Some(old) if old != bytes => found.push(Change {
                path: path.to_owned(),
                kind: ChangeKind::Modified,
                old: Some(old),
                new: Some(bytes.to_vec()),
            }),
            Some(_) => {}
        }
    }
    for path in owned_paths(out)? {
        if tree.get(&path).is_none()
            && let Some(old) = read_optional(&out.join(&path))?
        {
            found.push(Change {
                path,
                kind: ChangeKind::Removed,
                old: Some(old),
                new: None,
            });
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// What changes between two compiled trees: the plan of a spec edit.
pub fn between(old: &Tree, new: &Tree) -> Vec<Change> {
    let mut found = Vec::new();
    for (path, bytes) in new.iter() {
        match old.get(path) {
            None => found.push(Change {
                path: path.to_owned(),
                kind: ChangeKind::Added,
                old: None,
                new: Some(bytes.to_vec()),
            }),
            Some(before) if before != bytes => found.push(Change {
                path: path.to_owned(),
                kind: ChangeKind::Modified,
                old: Some(before.to_vec()),
                new: Some(bytes.to_vec()),
            }),
            Some(_) => {}
        }
    }
    for (path, bytes) in old.iter() {
        if new.get(path).is_none() {
            found.push(Change {
                path: path.to_owned(),
                kind: ChangeKind::Removed,
                old: Some(bytes.to_vec()),
                new: None,
            });
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// The files the manifest in `out` says an earlier build wrote (safe relative paths only).
pub fn owned_paths(out: &Path) -> io::Result<Vec<String>> {
    let Some(bytes) = read_optional(&out.join(MANIFEST))? else {
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

fn read_optional(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => Ok(None),
        Err(e) => Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
    }
}
