use std::fs::{self, File};
use std::io;
use std::path::Path;

/// Held while a command writes an output directory; released when dropped or when the
/// process dies, however it dies, so a killed run never leaves the directory locked.
pub(crate) struct OutputLock {
    _file: File,
}

impl OutputLock {
    /// Locks the directory itself, so no lock file appears among the user's files.
    pub(crate) fn acquire(out: &Path) -> io::Result<Self> {
        super::links::check_output_dir(out)?;
        fs::create_dir_all(out).map_err(|e| super::links::annotate(out, &e))?;
        let file = File::open(out).map_err(|e| super::links::annotate(out, &e))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(io::Error::new(
                io::ErrorKind::WouldBlock,
                format!(
                    "another fleetc run is writing {}; wait for it to finish",
                    out.display()
                ),
            )),
            Err(fs::TryLockError::Error(error)) => Err(super::links::annotate(out, &error)),
        }
    }
}
