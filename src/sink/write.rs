use std::fs;
use std::io::{self, Write};
use std::path::Path;

use super::changes::{Change, ChangeKind};
use crate::tree::MANIFEST;

/// Applies changes to `out`: each file written to a temporary sibling and renamed into place,
/// stale files an earlier build wrote removed, then the emptied folders. The manifest goes
/// last, so an interrupted build still owns everything it may have written.
pub fn apply(out: &Path, changes: &[Change]) -> io::Result<()> {
    let (manifest, files): (Vec<&Change>, Vec<&Change>) =
        changes.iter().partition(|c| c.path == MANIFEST);
    for change in files.iter().chain(manifest.iter()) {
        let path = out.join(&change.path);
        match (&change.kind, &change.new) {
            (ChangeKind::Removed, _) => {
                remove_file(&path)?;
                remove_empty_parents(out, &path);
            }
            (_, Some(bytes)) => write_atomic(&path, bytes)?,
            (_, None) => {}
        }
    }
    Ok(())
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| annotate(parent, &e))?;
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temp = parent.join(format!(".{name}.fleetc-tmp"));
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
