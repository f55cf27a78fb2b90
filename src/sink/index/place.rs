//! Where the index of a tree is kept, and the clock its stamps are judged against.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::stamp::Moment;
use crate::formats::fingerprint::fingerprint;

/// The index of the tree in `out` (a canonical path): in the git folder of the repository
/// holding `out`, where nothing is committed, one per tree. Without a repository there is
/// none: nothing but the tree is ever written in `out`.
pub(crate) fn index_path(out: &Path) -> Option<PathBuf> {
    let git = git_dir(out)?;
    let name = fingerprint([out.as_os_str().as_encoded_bytes()]);
    Some(
        git.join("fleetc")
            .join(format!("tree-index-{}", &name[..16])),
    )
}

/// The git folder of the repository holding `folder`: the first `.git` on the way up, a
/// folder, or a file naming one (a linked worktree or a submodule).
fn git_dir(folder: &Path) -> Option<PathBuf> {
    for at in folder.ancestors() {
        let dot_git = at.join(".git");
        let Ok(meta) = fs::metadata(&dot_git) else {
            continue;
        };
        if meta.is_dir() {
            return Some(dot_git);
        }
        let text = fs::read_to_string(&dot_git).ok()?;
        let named = text.strip_prefix("gitdir:")?.trim();
        return Some(at.join(named)).filter(|dir| dir.is_dir());
    }
    None
}

/// The file system's time when a build began reading, taken from a new file beside the
/// index: the index is written into that file once the build is done.
pub(crate) struct Clock {
    pub start: Moment,
    pub file: NamedTempFile,
    pub index: PathBuf,
}

impl Clock {
    /// Started before a build reads anything, with `out` (which exists) locked, so no other
    /// build writes this index meanwhile; `None` when there is nowhere to keep one.
    pub(crate) fn start(out: &Path) -> Option<Self> {
        let out = out.canonicalize().ok()?;
        let index = index_path(&out)?;
        let folder = index.parent()?;
        fs::create_dir_all(folder).ok()?;
        let prefix = probe_prefix(&index)?;
        remove_left_behind(folder, &prefix);
        let file = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".new")
            .rand_bytes(8)
            .tempfile_in(folder)
            .ok()?;
        let start = Moment::modified(&file.as_file().metadata().ok()?);
        Some(Self { start, file, index })
    }
}

fn probe_prefix(index: &Path) -> Option<String> {
    Some(format!(".{}.", index.file_name()?.to_string_lossy()))
}

/// What a build killed before writing its index left: only this tree's, whose builds the
/// lock on `out` keeps one at a time.
fn remove_left_behind(folder: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(prefix) && name.ends_with(".new") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Removes the index of `out`, if there is one.
pub(crate) fn forget(out: &Path) -> io::Result<()> {
    let out = out.canonicalize()?;
    let Some(index) = index_path(&out) else {
        return Ok(());
    };
    match fs::remove_file(index) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_lives_in_the_git_folder_of_the_repository_holding_the_tree() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let out = root.join("repo/generated");
        fs::create_dir_all(&out).unwrap();
        assert_eq!(index_path(&out), None, "no repository, no index");
        fs::create_dir_all(root.join("repo/.git")).unwrap();
        let other = root.join("repo/other");
        let index = index_path(&out).unwrap();
        assert!(index.starts_with(root.join("repo/.git/fleetc")));
        assert_ne!(Some(index), index_path(&other), "one index per tree");
    }

    #[test]
    fn a_linked_worktree_keeps_its_index_in_its_own_git_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::create_dir_all(root.join("main/.git/worktrees/b")).unwrap();
        fs::create_dir_all(root.join("b/generated")).unwrap();
        fs::write(root.join("b/.git"), "gitdir: ../main/.git/worktrees/b\n").unwrap();
        let index = index_path(&root.join("b/generated")).unwrap();
        assert!(index.starts_with(root.join("b/../main/.git/worktrees/b/fleetc")));
    }

    #[test]
    fn a_clock_starts_no_later_than_a_file_written_after_it() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            Clock::start(dir.path()).is_none(),
            "no repository, no index"
        );
        fs::create_dir_all(dir.path().join(".git")).unwrap();
        let clock = Clock::start(dir.path()).unwrap();
        let later = dir.path().join("later");
        fs::write(&later, "x").unwrap();
        assert!(Moment::modified(&fs::metadata(&later).unwrap()) >= clock.start);
        assert!(
            clock
                .file
                .path()
                .starts_with(dir.path().canonicalize().unwrap())
        );
        let left = clock.file.path().to_path_buf();
        std::mem::forget(clock.file);
        assert!(left.exists());
        drop(Clock::start(dir.path()).unwrap());
        assert!(!left.exists(), "what a killed build left is removed");
    }
}
