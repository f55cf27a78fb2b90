//! Files the user owns and fleetc edits in place: the spec, and Dockerfiles. An edit changes
//! the text and nothing else about the file.

use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::links::annotate;
use super::temporary::temporary_beside;

/// Replaces the text of `path` atomically, keeping its mode and (where allowed) its owner.
/// A symbolic link stays a link: the file it points to is edited. A file the user cannot
/// write is refused rather than replaced, since replacing only needs the folder writable.
pub(crate) fn replace_user_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (target, existing) = editable(path)?;
    if existing.is_none()
        && let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty())
    {
        // `fleetc init` on a fresh checkout writes `spec/enterprise.toml` into a new folder.
        fs::create_dir_all(parent).map_err(|e| annotate(parent, &e))?;
    }
    let temp = temporary_beside(&target, bytes, true).map_err(|e| annotate(&target, &e))?;
    if let Some(meta) = &existing {
        // Only root may give a file away; for anyone else the new file is theirs already.
        let _ = std::os::unix::fs::chown(&temp, Some(meta.uid()), Some(meta.gid()));
    }
    temp.persist(&target)
        .map_err(|e| annotate(&target, &e.error))
}

/// Refuses, before anything is written, a file an edit could not replace as the user expects:
/// not a regular file, or one the user cannot write. An edit touching several files checks
/// them all first, so it never stops half done.
pub(crate) fn check_editable(path: &Path) -> io::Result<()> {
    editable(path).map(|_| ())
}

/// The file an edit of `path` changes, and its metadata when it exists.
fn editable(path: &Path) -> io::Result<(PathBuf, Option<fs::Metadata>)> {
    let target = edited_file(path)?;
    let existing = match fs::metadata(&target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(annotate(&target, &e)),
    };
    if let Some(meta) = &existing {
        if !meta.is_file() {
            return Err(io::Error::other(format!(
                "{} is not a regular file",
                target.display()
            )));
        }
        if meta.permissions().readonly() || !writable(&target) {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "{} is read-only; fleetc edits only files you can write (make it writable \
                     first, e.g. `chmod u+w {}`)",
                    target.display(),
                    target.display()
                ),
            ));
        }
    }
    Ok((target, existing))
}

/// The file an edit of `path` changes: `path` itself, or the file its link chain ends at.
pub(crate) fn edited_file(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            fs::canonicalize(path).map_err(|e| annotate(path, &e))
        }
        _ => Ok(path.to_path_buf()),
    }
}

fn writable(path: &Path) -> bool {
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    // SAFETY: a valid NUL-terminated path; access only inspects it.
    unsafe { libc::access(c_path.as_ptr(), libc::W_OK) == 0 }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::{PermissionsExt, symlink};

    use super::*;

    #[test]
    fn an_edit_keeps_the_mode_of_the_spec() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("enterprise.toml");
        fs::write(&spec, "old").unwrap();
        fs::set_permissions(&spec, fs::Permissions::from_mode(0o600)).unwrap();
        replace_user_file(&spec, b"new").unwrap();
        assert_eq!(
            fs::metadata(&spec).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(fs::read_to_string(&spec).unwrap(), "new");
    }

    #[test]
    fn an_edit_of_a_linked_spec_edits_the_target_and_keeps_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        let link = dir.path().join("enterprise.toml");
        fs::write(&real, "old").unwrap();
        symlink("real.toml", &link).unwrap();
        replace_user_file(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn a_new_spec_gets_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("spec/enterprise.toml");
        replace_user_file(&spec, b"new").unwrap();
        assert_eq!(fs::read_to_string(&spec).unwrap(), "new");
    }

    #[test]
    fn a_read_only_spec_is_refused_and_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("enterprise.toml");
        fs::write(&spec, "old").unwrap();
        fs::set_permissions(&spec, fs::Permissions::from_mode(0o444)).unwrap();
        let error = replace_user_file(&spec, b"new").unwrap_err();
        assert!(error.to_string().contains("read-only"), "{error}");
        assert_eq!(fs::read_to_string(&spec).unwrap(), "old");
        assert_eq!(
            fs::metadata(&spec).unwrap().permissions().mode() & 0o777,
            0o444
        );
    }
}
