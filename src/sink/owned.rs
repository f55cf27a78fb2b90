//! The files an output directory's records say fleetc wrote: the only files a build may
//! ever remove. The root's record lists the platform's files and each service's record; a
//! service's record lists the files of its folder, relative to it.

use std::io;
use std::path::Path;

use super::links::{read_regular, refuse_links};
use crate::tree::{MANIFEST, is_record, manifest_paths, record_folder};

/// The files the records in `out` say an earlier build wrote (safe relative paths only, each
/// service's inside its own folder), the records among them.
pub(crate) fn owned_paths(out: &Path) -> io::Result<Vec<String>> {
    let Some(bytes) = read_regular(out, MANIFEST)? else {
        return Ok(Vec::new());
    };
    let listed: Vec<String> = manifest_paths(&String::from_utf8_lossy(&bytes))
        .into_iter()
        .filter(|path| is_safe_relative(path))
        .collect();
    let mut owned = Vec::with_capacity(listed.len() + 1);
    owned.push(MANIFEST.to_owned());
    for path in listed {
        if is_record(&path) {
            owned.extend(record_paths(out, &path)?);
        }
        owned.push(path);
    }
    owned.sort();
    owned.dedup();
    Ok(owned)
}

/// The files a service's record lists, below the record's folder.
fn record_paths(out: &Path, record: &str) -> io::Result<Vec<String>> {
    refuse_links(out, record)?;
    let Some(bytes) = read_regular(out, record)? else {
        return Ok(Vec::new());
    };
    let folder = record_folder(record).expect("a record lies in a service's folder");
    Ok(manifest_paths(&String::from_utf8_lossy(&bytes))
        .into_iter()
        .filter(|path| is_safe_relative(path))
        .map(|path| format!("{folder}/{path}"))
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
