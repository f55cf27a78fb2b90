use std::fs::{self, File};
use std::io;
use std::path::Path;

/// Held while a command writes an output directory; released when dropped or when the
/// process dies, however it dies, so a killed run never leaves the directory locked.
pub struct OutputLock {
    _file: File,
}

impl OutputLock {
    /// Locks the directory itself, so no lock file appears among the user's files.
    pub fn acquire(out: &Path) -> io::Result<Self> {
        fs::create_dir_all(out)?;
        let file = File::open(out)?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(io::Error::new(
                io::ErrorKind::WouldBlock,
                format!(
                    "another fleetc run is writing {}; wait for it to finish",
                    out.display()
                ),
            )),
            Err(fs::TryLockError::Error(error)) => Err(error),
        }
    }
}
