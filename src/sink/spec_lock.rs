//! One edit of a spec at a time. Two commands that each read the spec, change it and write it
//! back would otherwise both report success while the second write silently drops the first
//! one's change. An edit holds an exclusive lock on the spec file from the moment it reads it
//! until its new text is in place; a second editor waits briefly for it, and a file that
//! changed anyway (another program wrote it) is never overwritten.

use std::fs::{self, File};
use std::io::{self, Read};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::links::annotate;
use super::user_file::edited_file;
use crate::source::MAX_SPEC_BYTES;

/// How long an edit waits for another edit of the same spec before giving up. An edit of a
/// 1,000-service spec takes a few seconds; a longer wait means something is stuck.
pub(crate) const EDIT_WAIT: Duration = Duration::from_secs(20);

/// An exclusive lock on a file an edit is about to rewrite, with the bytes it held when locked.
pub(crate) struct EditLock {
    /// The file itself (the end of a link chain): the one the edit replaces.
    target: PathBuf,
    /// Kept open: the lock lives as long as this handle, and dies with the process however
    /// it dies, so a killed edit never leaves the spec locked.
    file: File,
    bytes: Vec<u8>,
}

impl EditLock {
    /// Locks `path` for an edit, waiting up to `wait` for another editor to finish.
    pub(crate) fn acquire(path: &Path, wait: Duration) -> io::Result<Self> {
        let deadline = Instant::now() + wait;
        loop {
            let target = edited_file(path)?;
            let file = File::open(&target).map_err(|e| annotate(&target, &e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(25));
                    continue;
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(busy(path, &file, wait));
                }
                Err(fs::TryLockError::Error(error)) => return Err(annotate(&target, &error)),
            }
            // The editor we waited for replaced the file by renaming a new one over it: the
            // lock we now hold is on the old file, which nobody reads any more.
            if !same_file(&file, &target)? {
                continue;
            }
            let mut bytes = Vec::new();
            (&file)
                .take(MAX_SPEC_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| annotate(&target, &e))?;
            return Ok(Self {
                target,
                file,
                bytes,
            });
        }
    }

    /// The bytes the file held when it was locked.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Refuses when the file is no longer the one that was read: replaced, or written in
    /// place by a program that does not take the lock. Checked just before the new text is
    /// renamed over it.
    pub(crate) fn check_unchanged(&self, shown: &str) -> io::Result<()> {
        let now = fs::read(&self.target).map_err(|e| annotate(&self.target, &e))?;
        if !same_file(&self.file, &self.target)? || now != self.bytes {
            return Err(io::Error::other(format!(
                "{shown} changed while this edit was being made (another program wrote it); \
                 run the command again on the new text"
            )));
        }
        Ok(())
    }
}

/// Refuses to write `path` unless it still holds `read`: for the files an edit changes beside
/// the spec (Dockerfiles), which other editors do not lock.
pub(crate) fn check_still(path: &Path, read: &str, shown: &str) -> io::Result<()> {
    let now = fs::read(path).map_err(|e| annotate(path, &e))?;
    if now != read.as_bytes() {
        return Err(io::Error::other(format!(
            "{shown} changed while this edit was being made; run the command again on the new text"
        )));
    }
    Ok(())
}

fn same_file(file: &File, path: &Path) -> io::Result<bool> {
    let open = file.metadata().map_err(|e| annotate(path, &e))?;
    match fs::metadata(path) {
        Ok(named) => Ok(open.dev() == named.dev() && open.ino() == named.ino()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(annotate(path, &e)),
    }
}

fn busy(path: &Path, file: &File, waited: Duration) -> io::Error {
    let holder = file
        .metadata()
        .ok()
        .and_then(|meta| lock_holder(meta.dev(), meta.ino()));
    let by = holder.map_or_else(
        || "another program".to_owned(),
        |(pid, command)| format!("`{command}` (process {pid})"),
    );
    io::Error::new(
        io::ErrorKind::WouldBlock,
        format!(
            "{} is being edited by {by}; waited {} s for it to finish. Run the command again \
             once it has",
            crate::source::display_path(path),
            waited.as_secs()
        ),
    )
}

/// The process holding a lock on the file with this device and inode, and its command line,
/// as the kernel lists them in /proc/locks.
fn lock_holder(dev: u64, ino: u64) -> Option<(u32, String)> {
    let locks = fs::read_to_string("/proc/locks").ok()?;
    let wanted = format!("{:02x}:{:02x}:{ino}", libc::major(dev), libc::minor(dev));
    let pid = holder_in(&locks, &wanted)?;
    let command = fs::read(format!("/proc/{pid}/cmdline"))
        .ok()
        .map(|raw| {
            raw.split(|b| *b == 0)
                .filter(|arg| !arg.is_empty())
                .map(String::from_utf8_lossy)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|command| !command.is_empty())
        .unwrap_or_else(|| "?".to_owned());
    Some((pid, command))
}

/// The pid of the first lock in a /proc/locks listing on the file `device` names
/// (`major:minor:inode`, as that listing writes it). Lines read
/// `1: FLOCK  ADVISORY  WRITE 4242 08:02:1311 0 EOF`; a waiting lock's line has `->` after its
/// number and is not a holder.
fn holder_in(locks: &str, device: &str) -> Option<u32> {
    locks.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.get(1) == Some(&"->") {
            return None;
        }
        let at = fields.iter().position(|f| *f == device)?;
        fields.get(at.checked_sub(1)?)?.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_is_read_from_the_kernel_s_lock_list() {
        let listing = "1: POSIX  ADVISORY  WRITE 77 fd:01:99 0 EOF\n\
                       2: FLOCK  ADVISORY  WRITE 4242 08:02:1311 0 EOF\n\
                       2: -> FLOCK  ADVISORY  WRITE 5151 08:02:1311 0 EOF\n";
        assert_eq!(holder_in(listing, "08:02:1311"), Some(4242));
        assert_eq!(holder_in(listing, "08:02:1312"), None);
    }

    #[test]
    fn a_second_editor_waits_and_is_then_refused_naming_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("enterprise.toml");
        fs::write(&spec, "a = 1\n").unwrap();
        let first = EditLock::acquire(&spec, EDIT_WAIT).unwrap();
        let started = Instant::now();
        let Err(error) = EditLock::acquire(&spec, Duration::from_millis(200)) else {
            panic!("a second lock was granted while the first was held");
        };
        assert!(started.elapsed() >= Duration::from_millis(200));
        assert_eq!(error.kind(), io::ErrorKind::WouldBlock);
        let message = error.to_string();
        assert!(
            message.contains(&format!("(process {})", std::process::id())),
            "{message}"
        );
        drop(first);
        assert!(EditLock::acquire(&spec, Duration::ZERO).is_ok());
    }

    #[test]
    fn a_lock_taken_on_a_file_since_replaced_is_taken_again_on_the_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("enterprise.toml");
        fs::write(&spec, "old\n").unwrap();
        let first = EditLock::acquire(&spec, EDIT_WAIT).unwrap();
        let waiter = {
            let spec = spec.clone();
            std::thread::spawn(move || EditLock::acquire(&spec, EDIT_WAIT).unwrap().bytes)
        };
        std::thread::sleep(Duration::from_millis(100));
        let replacement = dir.path().join("new");
        fs::write(&replacement, "new\n").unwrap();
        fs::rename(&replacement, &spec).unwrap();
        drop(first);
        assert_eq!(waiter.join().unwrap(), b"new\n");
    }

    #[test]
    fn a_file_written_by_another_program_after_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("enterprise.toml");
        fs::write(&spec, "old\n").unwrap();
        let lock = EditLock::acquire(&spec, EDIT_WAIT).unwrap();
        lock.check_unchanged("enterprise.toml").unwrap();
        fs::write(&spec, "changed in place\n").unwrap();
        let error = lock.check_unchanged("enterprise.toml").unwrap_err();
        assert!(error.to_string().contains("changed while"), "{error}");
    }

    #[test]
    fn a_file_beside_the_spec_is_written_only_while_it_holds_what_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let dockerfile = dir.path().join("Dockerfile");
        fs::write(&dockerfile, "FROM base:1\n").unwrap();
        check_still(&dockerfile, "FROM base:1\n", "Dockerfile").unwrap();
        fs::write(&dockerfile, "FROM base:2\n").unwrap();
        let error = check_still(&dockerfile, "FROM base:1\n", "Dockerfile").unwrap_err();
        assert!(
            error.to_string().starts_with("Dockerfile changed while"),
            "{error}"
        );
    }
}
