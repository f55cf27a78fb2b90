use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::changes::{Change, ChangeKind};
use crate::tree::MANIFEST;

/// Applies changes to `out`. Every file is written to a temporary sibling and renamed into
/// place, so no reader ever sees half a file; the data reaches the disk before the renames and
/// the renames before the manifest (one filesystem sync each, not one per file: a tree has
/// thousands of files). Stale files an earlier build wrote are removed, then the emptied
/// folders. The manifest goes last, so an interrupted build still owns everything it may have
/// written, and the next build repairs the tree.
pub fn apply(out: &Path, changes: &[Change]) -> io::Result<()> {
    for change in changes {
        refuse_symlinks(out, &change.path)?;
    }
    let (manifest, files): (Vec<&Change>, Vec<&Change>) =
        changes.iter().partition(|c| c.path == MANIFEST);
    let mut staged = Vec::new();
    for change in &files {
        if let (ChangeKind::Added | ChangeKind::Modified, Some(bytes)) = (&change.kind, &change.new)
        {
            match stage(&out.join(&change.path), bytes) {
                Ok(pair) => staged.push(pair),
                Err(error) => {
                    for (temp, _) in &staged {
                        let _ = fs::remove_file(temp);
                    }
                    return Err(error);
                }
            }
        }
    }
    sync_filesystem(out, &staged)?;
    for (temp, path) in &staged {
        fs::rename(temp, path).map_err(|e| annotate(path, &e))?;
    }
    for change in files.iter().filter(|c| c.kind == ChangeKind::Removed) {
        let path = out.join(&change.path);
        remove_file(&path)?;
        remove_empty_parents(out, &path);
    }
    sync_filesystem(out, &[])?;
    for change in manifest {
        if let Some(bytes) = &change.new {
            write_atomic(&out.join(&change.path), bytes)?;
        }
    }
    remove_leftover_temporaries(out);
    Ok(())
}

/// A run killed between writing and renaming leaves temporary files; they are fleetc's own
/// (nothing else names files `.<name>.fleetc-tmp`), so the next run clears them.
fn remove_leftover_temporaries(out: &Path) {
    let leftovers = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(".fleetc-tmp")
        });
    for entry in leftovers {
        let _ = fs::remove_file(entry.path());
    }
}

/// Removes the temporaries a killed run left, found by [`crate::sink::disk::folders`].
pub fn remove_temporaries(out: &Path, temporaries: &[String]) -> io::Result<()> {
    for path in temporaries {
        refuse_symlinks(out, path)?;
        remove_file(&out.join(path))?;
    }
    Ok(())
}

/// A symlink below `out` could send a write or a removal anywhere on the machine; fleetc
/// writes only inside its output directory.
fn refuse_symlinks(out: &Path, relative: &str) -> io::Result<()> {
    let mut current = out.to_path_buf();
    for part in relative.split('/') {
        current.push(part);
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(io::Error::other(format!(
                    "{} is a symbolic link; fleetc writes only inside {} and will not follow it",
                    current.display(),
                    out.display()
                )));
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(())
}

/// Writes `bytes` next to `path` under a temporary name; returns (temporary, final) paths.
fn stage(path: &Path, bytes: &[u8]) -> io::Result<(PathBuf, PathBuf)> {
    let parent = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| annotate(parent, &e))?;
    let temp = temp_name(path);
    let result = fs::File::create(&temp).and_then(|mut file| file.write_all(bytes));
    if let Err(error) = result {
        let _ = fs::remove_file(&temp);
        return Err(annotate(path, &error));
    }
    Ok((temp, path.to_path_buf()))
}

fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.fleetc-tmp"))
}

/// One file, durably: temporary file, fsync, rename (spec edits and the manifest).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| annotate(parent, &e))?;
    let temp = temp_name(path);
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map_err(|e| annotate(path, &e))
}

/// Flushes everything written so far on the filesystem holding `out` to disk.
#[cfg(target_os = "linux")]
fn sync_filesystem(out: &Path, _staged: &[(PathBuf, PathBuf)]) -> io::Result<()> {
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
fn sync_filesystem(_out: &Path, staged: &[(PathBuf, PathBuf)]) -> io::Result<()> {
    for (temp, _) in staged {
        fs::File::open(temp)?.sync_all()?;
    }
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

fn annotate(path: &Path, error: &io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}
