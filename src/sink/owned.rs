//! The files an output directory's manifest says fleetc wrote: the only files a build may
//! ever remove.

use std::io;
use std::path::Path;

use super::links::read_regular;
use crate::tree::{MANIFEST, manifest_paths};

/// The files the manifest in `out` says an earlier build wrote (safe relative paths only).
pub(crate) fn owned_paths(out: &Path) -> io::Result<Vec<String>> {
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
pub(crate) fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path.split('/').all(|part| {
            !part.is_empty() && part != "." && part != ".." && !part.chars().any(char::is_control)
        })
}
