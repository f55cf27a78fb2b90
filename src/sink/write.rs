use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

use tempfile::TempPath;

use super::changes::{Change, ChangeKind};
use super::links::{annotate, check_output_dir, refuse_links};
use super::temporary::{TEMPORARY_SUFFIX, temporary_beside};
use crate::tree::{MANIFEST, is_any_record, manifest_paths, record_header};

/// Applies changes to `out`. Every file is written to an exclusive temporary sibling and
/// renamed into place, so no reader ever sees half a file; the data reaches the disk before
/// the renames and the renames before the manifest (one filesystem sync each, not one per
/// file: a tree has thousands of files). Before any new file appears, the manifest is
/// widened to list it, so a run killed at any point owns every file it may have written and
/// the next build repairs the tree. Stale files an earlier build wrote are removed, then the
/// emptied folders; the manifest of the new tree goes last.
pub fn apply(out: &Path, changes: &[Change]) -> io::Result<()> {
    check_output_dir(out)?;
    for change in changes {
        refuse_links(out, &change.path)?;
    }
    let (mut records, files): (Vec<&Change>, Vec<&Change>) =
        changes.iter().partition(|c| is_any_record(&c.path));
    // The root's record sorts first by path; it goes last among the records written.
    records.sort_by_key(|c| (c.path == MANIFEST, c.path.as_str()));
    for record in records.iter().rev() {
        if let Some(widened) = widened_manifest(record) {
            write_atomic(&out.join(&record.path), widened.as_bytes())?;
        }
    }
    let targets: Vec<_> = files.iter().map(|c| (c, out.join(&c.path))).collect();
    let mut staged: Vec<(TempPath, &Path)> = Vec::new();
    for (change, path) in &targets {
        if let (ChangeKind::Added | ChangeKind::Modified, Some(bytes)) = (&change.kind, &change.new)
        {
            // On an error, the temporaries staged so far are removed as `staged` drops.
            let parent = path.parent().unwrap_or(Path::new("."));
            fs::create_dir_all(parent).map_err(|e| annotate(parent, &e))?;
            let temp = temporary_beside(path, bytes, false).map_err(|e| annotate(path, &e))?;
            staged.push((temp, path));
        }
    }
    sync_filesystem(out)?;
    for (temp, path) in staged {
        temp.persist(path).map_err(|e| annotate(path, &e.error))?;
    }
    for (change, path) in &targets {
        if change.kind == ChangeKind::Removed {
            remove_file(path)?;
            remove_empty_parents(out, path);
        }
    }
    sync_filesystem(out)?;
    for record in records {
        if let Some(bytes) = &record.new {
            write_atomic(&out.join(&record.path), bytes)?;
        } else {
            let path = out.join(&record.path);
            remove_file(&path)?;
            remove_empty_parents(out, &path);
        }
    }
    remove_leftover_temporaries(out);
    Ok(())
}

/// The record listing the files of both the tree on disk and the new one, when the new one
/// adds files; `None` when the old record already covers every file to be written.
fn widened_manifest(change: &Change) -> Option<String> {
    let text = |bytes: &Option<std::borrow::Cow<'_, [u8]>>| {
        String::from_utf8_lossy(bytes.as_deref().unwrap_or(&[])).into_owned()
    };
    let old: BTreeSet<String> = manifest_paths(&text(&change.old)).into_iter().collect();
    let new = manifest_paths(&text(&change.new));
    if new.iter().all(|path| old.contains(path)) {
        return None;
    }
    let mut widened = String::from(record_header(&change.path));
    for path in old.into_iter().chain(new).collect::<BTreeSet<_>>() {
        widened.push_str(&path);
        widened.push('\n');
    }
    Some(widened)
}

/// A run killed between writing and renaming leaves temporary files; they are fleetc's own
/// (nothing else names files `.<name>.<random>.fleetc-tmp`), so the next run clears them. A
/// link planted under such a name is removed too (the link, never what it points to).
fn remove_leftover_temporaries(out: &Path) {
    let leftovers = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            !e.file_type().is_dir() && e.file_name().to_string_lossy().ends_with(TEMPORARY_SUFFIX)
        });
    for entry in leftovers {
        let _ = fs::remove_file(entry.path());
    }
}

/// Removes the temporaries a killed run left, found by [`crate::sink::disk::folders`].
pub(crate) fn remove_temporaries(out: &Path, temporaries: &[String]) -> io::Result<()> {
    for path in temporaries {
        let parent = path.rsplit_once('/').map_or("", |(folder, _)| folder);
        if !parent.is_empty() {
            refuse_links(out, parent)?;
        }
        remove_file(&out.join(path))?;
    }
    Ok(())
}

/// One file, durably: an exclusive temporary beside it, synced, renamed onto it.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| annotate(parent, &e))?;
    let temp = temporary_beside(path, bytes, true).map_err(|e| annotate(path, &e))?;
    temp.persist(path).map_err(|e| annotate(path, &e.error))
}

/// Flushes everything written so far on the filesystem holding `out` to disk.
#[cfg(target_os = "linux")]
fn sync_filesystem(out: &Path) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    if !out.exists() {
        return Ok(());
    }
    let dir = fs::File::open(out).map_err(|e| annotate(out, &e))?;
    // SAFETY: syncfs only reads the descriptor, which `dir` keeps open for the call.
    if unsafe { libc::syncfs(dir.as_raw_fd()) } == 0 {
        Ok(())
    } else {
        Err(annotate(out, &io::Error::last_os_error()))
    }
}

#[cfg(not(target_os = "linux"))]
fn sync_filesystem(_out: &Path) -> io::Result<()> {
    // SAFETY: sync takes no arguments and cannot fail.
    unsafe { libc::sync() };
    Ok(())
}

fn remove_file(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(annotate(path, &e)),
        _ => Ok(()),
    }
}

/// Removes folders left empty below `out`; a folder holding anything else stays.
fn remove_empty_parents(out: &Path, path: &Path) {
    let mut dir = path.parent();
    while let Some(current) = dir {
        if current == out || !current.starts_with(out) || fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}
