//! The output directory is read and written only through real folders and regular files: a
//! symbolic link anywhere in it could send a read, a write or a removal anywhere on the
//! machine, and make `check` vouch for a file that lies outside the tree.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::index::stamp::Stamp;

/// Refuses an output directory that is a symbolic link or not a directory; `Ok(false)` when
/// it does not exist yet.
pub(crate) fn check_output_dir(out: &Path) -> io::Result<bool> {
    match fs::symlink_metadata(out) {
        Ok(meta) if meta.file_type().is_symlink() => Err(io::Error::other(format!(
            "{} is a symbolic link; give the directory it points to as --out",
            out.display()
        ))),
        Ok(meta) if !meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::NotADirectory,
            format!(
                "{} is not a directory; --out names the folder the tree is written to",
                out.display()
            ),
        )),
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(annotate(out, &e)),
    }
}

/// Refuses `relative` below `out` when it, or a folder on the way to it, is a symbolic link.
pub(crate) fn refuse_links(out: &Path, relative: &str) -> io::Result<()> {
    match first_link(out, relative) {
        Some(link) => Err(link_error(out, &link)),
        None => Ok(()),
    }
}

/// The first symbolic link on the way from `root` to `relative` below it, the file itself
/// included.
pub(crate) fn first_link(root: &Path, relative: &str) -> Option<PathBuf> {
    let mut current = root.to_path_buf();
    for part in relative.split('/') {
        current.push(part);
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => return Some(current),
            Ok(meta) if meta.is_dir() => {}
            _ => break,
        }
    }
    None
}

/// Refuses the folders on the way to any of `paths` when one is a symbolic link. Each folder
/// is looked at once however many files it holds.
pub(crate) fn refuse_linked_folders<'a>(
    out: &Path,
    paths: impl IntoIterator<Item = &'a str>,
) -> io::Result<()> {
    let mut folders = BTreeSet::new();
    for path in paths {
        let mut end = 0;
        while let Some(slash) = path[end..].find('/') {
            end += slash;
            folders.insert(&path[..end]);
            end += 1;
        }
    }
    for folder in folders {
        let full = out.join(folder);
        if let Ok(meta) = fs::symlink_metadata(&full)
            && meta.file_type().is_symlink()
        {
            return Err(link_error(out, &full));
        }
    }
    Ok(())
}

/// The bytes of the regular file `relative` below `out`, or `None` when nothing is there.
/// The file itself is opened without following a link, and anything but a regular file (a
/// link, a FIFO or a device, which could block or never end) is refused. The folders on the
/// way are the caller's to check ([`refuse_linked_folders`]).
pub(crate) fn read_regular(out: &Path, relative: &str) -> io::Result<Option<Vec<u8>>> {
    Ok(read_stamped(out, relative)?.map(|(bytes, _)| bytes))
}

/// [`read_regular`], with the stamp of the file read: what `stat` said of it when it was
/// opened.
pub(crate) fn read_stamped(out: &Path, relative: &str) -> io::Result<Option<(Vec<u8>, Stamp)>> {
    let path = out.join(relative);
    let opened = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(&path);
    let mut file = match opened {
        Ok(file) => file,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Err(link_error(out, &path)),
        Err(e) => return Err(annotate(&path, &e)),
    };
    let meta = file.metadata().map_err(|e| annotate(&path, &e))?;
    let kind = meta.file_type();
    if !kind.is_file() {
        let what = if kind.is_dir() {
            "a directory"
        } else if kind.is_fifo() {
            "a FIFO"
        } else {
            "not a regular file"
        };
        return Err(io::Error::other(format!(
            "{} is {what} where fleetc keeps a file",
            path.display()
        )));
    }
    let expected = usize::try_from(meta.len()).unwrap_or(0);
    read_sized(&mut file, expected)
        .map(|bytes| Some((bytes, Stamp::of(&meta))))
        .map_err(|e| annotate(&path, &e))
}

/// The whole of `file`, whose size was just read: `read_to_end` would ask the kernel for the
/// size and position again, two system calls more for each of the thousands of files a tree
/// has.
fn read_sized(file: &mut fs::File, expected: usize) -> io::Result<Vec<u8>> {
    // One byte more than expected, so a file that grew is noticed and read on.
    let mut bytes = vec![0; expected + 1];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            bytes.resize(bytes.len() * 2, 0);
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

fn link_error(out: &Path, link: &Path) -> io::Error {
    io::Error::other(format!(
        "{} is a symbolic link; fleetc reads and writes only inside {} and will not follow it \
         (remove the link and run `fleetc build` again)",
        link.display(),
        out.display()
    ))
}

pub(crate) fn annotate(path: &Path, error: &io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::symlink;

    use super::*;

    #[test]
    fn a_linked_file_is_refused_not_read() {
        let out = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("victim"), "secret").unwrap();
        symlink(outside.path().join("victim"), out.path().join("CODEOWNERS")).unwrap();
        let error = read_regular(out.path(), "CODEOWNERS").unwrap_err();
        assert!(error.to_string().contains("symbolic link"), "{error}");
    }

    #[test]
    fn a_linked_folder_on_the_way_is_refused() {
        let out = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::create_dir_all(outside.path().join("base")).unwrap();
        fs::create_dir_all(out.path().join("apps")).unwrap();
        symlink(outside.path(), out.path().join("apps/users")).unwrap();
        let paths = ["apps/users/base/kustomization.yaml", "CODEOWNERS"];
        let error = refuse_linked_folders(out.path(), paths).unwrap_err();
        assert!(error.to_string().contains("apps/users"), "{error}");
        assert!(refuse_links(out.path(), paths[0]).is_err());
    }

    #[test]
    fn a_fifo_is_refused_rather_than_read_forever() {
        let out = tempfile::tempdir().unwrap();
        let fifo = out.path().join("CODEOWNERS");
        let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a node.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let error = read_regular(out.path(), "CODEOWNERS").unwrap_err();
        assert!(error.to_string().contains("FIFO"), "{error}");
    }

    #[test]
    fn a_file_is_read_whole_whatever_its_size() {
        let out = tempfile::tempdir().unwrap();
        for size in [0, 1, 4095, 4096, 100_000] {
            let bytes: Vec<u8> = (0..size).map(|i| u8::try_from(i % 251).unwrap()).collect();
            fs::write(out.path().join("f"), &bytes).unwrap();
            assert_eq!(read_regular(out.path(), "f").unwrap(), Some(bytes));
        }
    }

    #[test]
    fn absent_files_and_files_under_a_file_read_as_none() {
        let out = tempfile::tempdir().unwrap();
        fs::write(out.path().join("apps"), "").unwrap();
        assert_eq!(read_regular(out.path(), "missing").unwrap(), None);
        assert_eq!(read_regular(out.path(), "apps/x.yaml").unwrap(), None);
    }

    #[test]
    fn an_output_dir_that_is_a_file_or_a_link_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        fs::write(&file, "").unwrap();
        let error = check_output_dir(&file).unwrap_err();
        assert!(error.to_string().contains("not a directory"), "{error}");
        symlink(dir.path(), dir.path().join("link")).unwrap();
        assert!(check_output_dir(&dir.path().join("link")).is_err());
        assert!(!check_output_dir(&dir.path().join("absent")).unwrap());
        assert!(check_output_dir(dir.path()).unwrap());
    }
}
