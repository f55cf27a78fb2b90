use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::OnceLock;

use tempfile::TempPath;

/// The ending every temporary fleetc creates has, so a run killed before its renames leaves
/// files the next run recognises as its own.
pub(crate) const TEMPORARY_SUFFIX: &str = ".fleetc-tmp";

/// Writes `bytes` to a new temporary file beside `path`, to be renamed onto it. The name is
/// unpredictable and the file is created exclusively, so nothing planted in the folder (a
/// symbolic or hard link at a guessable name) can make the write land elsewhere. The file gets
/// the mode `path` has now, or the mode a new file gets under the process umask.
pub(crate) fn temporary_beside(path: &Path, bytes: &[u8], durable: bool) -> io::Result<TempPath> {
    let parent = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(TEMPORARY_SUFFIX)
        .rand_bytes(8)
        .tempfile_in(parent)?;
    let mode = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() => meta.permissions().mode() & 0o7777,
        _ => new_file_mode(),
    };
    file.as_file()
        .set_permissions(fs::Permissions::from_mode(mode))?;
    file.write_all(bytes)?;
    if durable {
        file.as_file().sync_all()?;
    }
    Ok(file.into_temp_path())
}

/// The mode `open(…, 0o666)` would give a new file: what a user expects of files fleetc
/// creates, where a temporary file is created private.
pub(crate) fn new_file_mode() -> u32 {
    0o666 & !umask()
}

/// The process umask, read without changing it (setting it to read it back would race with
/// other threads creating files).
fn umask() -> u32 {
    static UMASK: OnceLock<u32> = OnceLock::new();
    *UMASK.get_or_init(|| {
        fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find_map(|line| line.strip_prefix("Umask:"))
                    .and_then(|value| u32::from_str_radix(value.trim(), 8).ok())
            })
            .unwrap_or(0o022)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_unpredictable_and_end_in_the_suffix() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("CODEOWNERS");
        let first = temporary_beside(&target, b"a", false).unwrap();
        let second = temporary_beside(&target, b"b", false).unwrap();
        assert_ne!(first.to_path_buf(), second.to_path_buf());
        for temp in [&first, &second] {
            let name = temp.file_name().unwrap().to_string_lossy().into_owned();
            assert!(name.starts_with(".CODEOWNERS."), "{name}");
            assert!(name.ends_with(TEMPORARY_SUFFIX), "{name}");
        }
    }

    #[test]
    fn a_replaced_file_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("spec.toml");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o600)).unwrap();
        let temp = temporary_beside(&target, b"new", false).unwrap();
        temp.persist(&target).unwrap();
        let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn a_new_file_gets_the_umask_mode_not_the_private_temporary_mode() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("new.yaml");
        temporary_beside(&target, b"x", false)
            .unwrap()
            .persist(&target)
            .unwrap();
        let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, new_file_mode());
        assert_ne!(
            mode, 0o600,
            "a umask of 077 would make this test meaningless"
        );
    }
}
