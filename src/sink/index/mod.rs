//! The index of what `build` read and wrote, as git keeps one of its working tree: the stamp
//! of each file the tree depends on and of each file and folder of the tree. A build whose
//! index still matches what is on disk has nothing to do, and says so after a `stat` of each
//! file instead of a compile and a read of every byte. Anything the index cannot vouch for
//! (a stamp changed, a file written within the tick the build read it, fleetc or an option
//! changed, a file added beside the tree's) sends the build down the whole way, which writes
//! the index again. `check` never reads it. It is kept in the repository's git folder, so
//! without a repository every build goes the whole way.

pub(crate) mod place;
pub(crate) mod stamp;
pub(crate) mod text;

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::Path;

use self::place::{Clock, index_path};
use self::stamp::Stamp;
use self::text::Index;
use super::owned::is_safe_relative;
use super::temporary::TEMPORARY_SUFFIX;
use crate::formats::fingerprint::fingerprint;
use crate::parallel::on_every_core;
use crate::source::includes::included_on_disk;

/// What the tree depends on besides the files: `fields` are fleetc's identity, its options and
/// the places it read and wrote, in a fixed order.
pub(crate) fn key(fields: &[String]) -> String {
    fingerprint(fields.iter().map(String::as_bytes))
}

/// The spec a build read: the root, where the files beside it lie, the files it read there,
/// and the root's include patterns with the files they matched.
pub(crate) struct Inputs<'a> {
    pub spec: &'a Path,
    pub folder: &'a Path,
    pub beside: Vec<String>,
    pub patterns: Vec<String>,
    pub included: Vec<String>,
}

/// What an up-to-date build says, as the build that wrote the index said it.
pub(crate) struct Said {
    pub files: usize,
    pub unowned: Vec<String>,
    pub warnings: String,
}

/// What the last build said, when its index shows that nothing it read or wrote has changed
/// since: same `key`, same spec at `spec`, same tree in `out` (which exists and is locked).
pub(crate) fn up_to_date(out: &Path, spec: &Path, key: &str) -> Option<Said> {
    let canonical = out.canonicalize().ok()?;
    let index = Index::parse(&fs::read_to_string(index_path(&canonical)?).ok()?)?;
    if index.key != key || Stamp::of(&fs::metadata(spec).ok()?) != index.spec? {
        return None;
    }
    let folder = spec_folder(spec);
    for (stamp, path) in &index.beside {
        if !is_safe_relative(path) || Stamp::of(&fs::metadata(folder.join(path)).ok()?) != *stamp {
            return None;
        }
    }
    if !index.patterns.is_empty() && included_on_disk(spec, &index.patterns)? != index.included {
        return None;
    }
    if temporaries_in(out)? {
        return None;
    }
    if !unchanged(out, &index.folders)? || !unchanged(out, &index.files)? {
        return None;
    }
    Some(Said {
        files: index.files.len(),
        unowned: index.unowned,
        warnings: index.warnings,
    })
}

/// Writes the index of a build that began at `clock` and found `files` in `out` as it
/// compiled them (each with its stamp as it was read); when any stamp cannot vouch for what
/// the build read, removes the index instead, so the next build goes the whole way.
pub(crate) fn record(
    clock: Clock,
    out: &Path,
    key: String,
    inputs: &Inputs,
    files: Vec<(Stamp, String)>,
    said: Said,
) {
    let written = index_of(&clock, out, key, inputs, files, said)
        .and_then(|index| index.to_text())
        .and_then(|text| {
            let mut file = clock.file;
            file.write_all(text.as_bytes()).ok()?;
            file.persist(&clock.index).ok()
        });
    if written.is_none() {
        let _ = place::forget(out);
    }
}

fn index_of(
    clock: &Clock,
    out: &Path,
    key: String,
    inputs: &Inputs,
    files: Vec<(Stamp, String)>,
    said: Said,
) -> Option<Index> {
    let vouches = |stamp: Stamp| (!stamp.is_racy(clock.start)).then_some(stamp);
    let spec = vouches(Stamp::of(&fs::metadata(inputs.spec).ok()?))?;
    let mut beside = Vec::with_capacity(inputs.beside.len());
    for path in &inputs.beside {
        let stamp = Stamp::of(&fs::metadata(inputs.folder.join(path)).ok()?);
        beside.push((vouches(stamp)?, path.clone()));
    }
    let folders: Vec<&str> = files
        .iter()
        .flat_map(|(_, path)| ancestors(path))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let folders: Vec<(Stamp, String)> = stamps(out, &folders)?
        .into_iter()
        .zip(folders)
        .map(|(stamp, path)| Some((vouches(stamp)?, path.to_owned())))
        .collect::<Option<_>>()?;
    if files.iter().any(|(stamp, _)| stamp.is_racy(clock.start)) {
        return None;
    }
    Some(Index {
        key,
        spec: Some(spec),
        beside,
        patterns: inputs.patterns.clone(),
        included: inputs.included.clone(),
        folders,
        files,
        unowned: said.unowned,
        warnings: said.warnings,
    })
}

/// The folders on the way to `path`, below the tree's root.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(at, _)| &path[..at])
}

fn spec_folder(spec: &Path) -> &Path {
    match spec.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Whether a killed run left temporaries at the tree's root (in its folders, they changed
/// the folder's stamp).
fn temporaries_in(out: &Path) -> Option<bool> {
    let entries = fs::read_dir(out).ok()?;
    Some(entries.flatten().any(|entry| {
        entry
            .file_name()
            .to_string_lossy()
            .ends_with(TEMPORARY_SUFFIX)
    }))
}

/// Whether every one of `stamped` below `out` still has its stamp.
fn unchanged(out: &Path, stamped: &[(Stamp, String)]) -> Option<bool> {
    if stamped.iter().any(|(_, path)| !is_safe_relative(path)) {
        return None;
    }
    let paths: Vec<&str> = stamped.iter().map(|(_, path)| path.as_str()).collect();
    let now = stamps(out, &paths)?;
    Some(now.iter().zip(stamped).all(|(now, (then, _))| now == then))
}

/// The stamps of `paths` below `out`, links not followed; `None` when one cannot be taken.
/// Thousands of `stat`s are syscall-bound, so they are spread over the cores.
fn stamps(out: &Path, paths: &[&str]) -> Option<Vec<Stamp>> {
    on_every_core(
        paths,
        256,
        || (),
        |(), path| {
            fs::symlink_metadata(out.join(path))
                .ok()
                .map(|meta| Stamp::of(&meta))
        },
    )
    .into_iter()
    .collect()
}
