//! The tree a merge should hold: the spec merged from the three commits git merges (its files
//! by key, the files beside it by lines), compiled. It is made once per merge, on the first
//! generated file git asks about, and kept in the repository's git folder for the others.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use git2::{Oid, Repository};

use super::spec_merge::merge_versions;
use crate::compile::{CompileOptions, compile};
use crate::git::{file_at_revision, files_at_revision, reader_at_revision, spec_at_revision};
use crate::source::Source;
use crate::source::reader::{Reader, Unreadable};

/// The commits of a merge: the base, ours (HEAD) and theirs (named by git in the driver's
/// environment, `GITHEAD_<commit>`).
pub(crate) struct MergeCommits {
    pub base: String,
    pub ours: String,
    pub theirs: String,
}

impl MergeCommits {
    /// The commits of the merge git is making in the repository holding the working folder.
    pub(crate) fn of_running_merge(repo: &Repository) -> Result<Self, String> {
        let ours = repo
            .head()
            .and_then(|head| head.peel_to_commit())
            .map_err(|e| format!("no commit to merge into: {}", e.message()))?
            .id();
        let theirs = std::env::vars()
            .filter_map(|(name, _)| name.strip_prefix("GITHEAD_").map(str::to_owned))
            .filter_map(|sha| Oid::from_str(&sha).ok())
            .find(|oid| *oid != ours)
            .ok_or(
                "git names no commit being merged (the driver regenerates the tree in `git merge`)",
            )?;
        let base = repo
            .merge_base(ours, theirs)
            .map_err(|e| format!("no common ancestor: {}", e.message()))?;
        Ok(Self {
            base: base.to_string(),
            ours: ours.to_string(),
            theirs: theirs.to_string(),
        })
    }

    fn key(&self) -> String {
        format!(
            "{}-{}-{}",
            &self.base[..12],
            &self.ours[..12],
            &self.theirs[..12]
        )
    }
}

/// Why the merged tree cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unmerged {
    /// Both sides change one key of the spec: git reports the conflict in the spec's file.
    SpecConflict(String),
    /// Anything else: the merged spec does not compile, a file cannot be read.
    Failed(String),
}

/// The bytes of `relative` (a path of the tree) in the merged tree; `None` when the merged
/// spec no longer generates it.
pub(crate) fn merged_file(
    repo: &Repository,
    commits: &MergeCommits,
    (spec, out): (&Path, &Path),
    options: CompileOptions,
    relative: &str,
) -> Result<Option<Vec<u8>>, Unmerged> {
    let dir = repo.path().join("fleetc-merge").join(commits.key());
    if let Ok(text) = std::fs::read_to_string(dir.join(FAILED)) {
        return Err(match text.strip_prefix(CONFLICT) {
            Some(why) => Unmerged::SpecConflict(why.to_owned()),
            None => Unmerged::Failed(text),
        });
    }
    if !dir.join(DONE).is_file() {
        let made = merged_tree(commits, spec, out, options);
        store(&dir, made.as_ref()).map_err(Unmerged::Failed)?;
        made?;
    }
    let path = dir.join("tree").join(relative);
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Unmerged::Failed(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

const DONE: &str = "complete";
/// Kept in place of the tree when it cannot be made, so the files that follow are answered
/// at once.
const FAILED: &str = "failed";
const CONFLICT: &str = "conflict: ";

/// Writes the merged tree below `dir` whole (or why there is none), or nothing: an earlier
/// merge's are removed.
fn store(dir: &Path, made: Result<&crate::tree::Tree, &Unmerged>) -> Result<(), String> {
    let parent = dir
        .parent()
        .expect("the store is a folder of the git folder");
    let _ = std::fs::remove_dir_all(parent);
    std::fs::create_dir_all(parent)
        .map_err(|e| format!("cannot write {}: {e}", parent.display()))?;
    let scratch = tempfile::tempdir_in(parent)
        .map_err(|e| format!("cannot write {}: {e}", parent.display()))?;
    match made {
        Ok(tree) => {
            for (path, bytes) in tree.iter() {
                let to = scratch.path().join("tree").join(path);
                let folder = to.parent().expect("a file has a folder");
                std::fs::create_dir_all(folder).map_err(|e| e.to_string())?;
                std::fs::write(&to, bytes).map_err(|e| e.to_string())?;
            }
            std::fs::write(scratch.path().join(DONE), "").map_err(|e| e.to_string())?;
        }
        Err(Unmerged::SpecConflict(why)) => {
            std::fs::write(scratch.path().join(FAILED), format!("{CONFLICT}{why}"))
                .map_err(|e| e.to_string())?;
        }
        Err(Unmerged::Failed(why)) => {
            std::fs::write(scratch.path().join(FAILED), why).map_err(|e| e.to_string())?;
        }
    }
    let kept = scratch.keep();
    std::fs::rename(&kept, dir).map_err(|e| format!("cannot write {}: {e}", dir.display()))
}

/// The files beside the spec (its own included) as the merge has them.
struct Merged {
    spec: PathBuf,
    commits: [String; 3],
    /// The spec's files, merged, by their paths relative to its folder.
    spec_files: BTreeMap<String, String>,
    /// The spec's files the merge removes.
    gone: BTreeSet<String>,
}

impl Merged {
    fn read(&self, relative: &str) -> Result<Vec<u8>, Unreadable> {
        if let Some(text) = self.spec_files.get(relative) {
            return Ok(text.clone().into_bytes());
        }
        let at = |commit: &str| match file_at_revision(&self.spec, relative, commit) {
            Ok(bytes) => Ok(Some(
                String::from_utf8(bytes).map_err(|_| Unreadable::NotUtf8)?,
            )),
            Err(Unreadable::Missing(_)) => Ok(None),
            Err(other) => Err(other),
        };
        let [base, ours, theirs] = [
            at(&self.commits[0])?,
            at(&self.commits[1])?,
            at(&self.commits[2])?,
        ];
        match merge_versions(
            relative,
            base.as_deref(),
            ours.as_deref(),
            theirs.as_deref(),
        ) {
            Ok(Some(text)) => Ok(text.into_bytes()),
            Ok(None) => Err(Unreadable::Missing(relative.to_owned())),
            Err(why) => Err(Unreadable::Failed(why)),
        }
    }

    fn list(&self, folder: &str, depth: usize) -> Result<Vec<String>, String> {
        let mut found: BTreeSet<String> = BTreeSet::new();
        for commit in &self.commits[1..] {
            found.extend(files_at_revision(&self.spec, folder, depth, commit)?);
        }
        // A spec file removed on one side and not changed on the other is gone from the merge.
        found.retain(|path| !self.gone.contains(path));
        found.extend(self.spec_files.keys().cloned());
        Ok(found.into_iter().collect())
    }
}

/// The spec merged from the three commits, compiled.
fn merged_tree(
    commits: &MergeCommits,
    spec: &Path,
    out: &Path,
    options: CompileOptions,
) -> Result<crate::tree::Tree, Unmerged> {
    let ids = [
        commits.base.clone(),
        commits.ours.clone(),
        commits.theirs.clone(),
    ];
    let mut versions: BTreeMap<String, [Option<String>; 3]> = BTreeMap::new();
    for (side, commit) in ids.iter().enumerate() {
        let Ok(source) = source_at(spec, out, commit) else {
            continue;
        };
        for file in source.files() {
            let text = source.text[file.range.clone()].to_owned();
            versions.entry(file.relative.clone()).or_default()[side] = Some(text);
        }
    }
    let mut spec_files = BTreeMap::new();
    for (relative, [base, ours, theirs]) in &versions {
        let shown = if relative.is_empty() {
            spec.display().to_string()
        } else {
            relative.clone()
        };
        let merged = merge_versions(&shown, base.as_deref(), ours.as_deref(), theirs.as_deref())
            .map_err(Unmerged::SpecConflict)?;
        if let Some(text) = merged {
            spec_files.insert(relative.clone(), text);
        }
    }
    let gone = versions
        .keys()
        .filter(|relative| !spec_files.contains_key(*relative))
        .cloned()
        .collect();
    let root = spec_files
        .remove("")
        .ok_or_else(|| Unmerged::Failed("the merge removes the spec".to_owned()))?;
    let merged = Arc::new(Merged {
        spec: spec.to_path_buf(),
        commits: ids,
        spec_files,
        gone,
    });
    let (reading, listing) = (Arc::clone(&merged), merged);
    let reader = Reader::new(move |relative| reading.read(relative))
        .listing(move |folder, depth| listing.list(folder, depth));
    let source = Source::new(spec, root)
        .reading_beside(reader)
        .writing_tree_to(out)
        .with_includes()
        .map_err(|error| Unmerged::Failed(error.diagnostic.message.clone()))?;
    match compile(&source, options) {
        Ok(compiled) => Ok(compiled.tree),
        Err(diagnostics) => {
            let first = diagnostics
                .iter()
                .find(|d| d.is_error())
                .or(diagnostics.first());
            Err(Unmerged::Failed(format!(
                "the merged spec does not compile: {}",
                first.map_or_else(String::new, |d| d.render(&source, false))
            )))
        }
    }
}

/// The spec at `commit`, with the files it included then.
fn source_at(spec: &Path, out: &Path, commit: &str) -> Result<Source, String> {
    let text = spec_at_revision(spec, commit)?;
    Source::at_revision(spec, text, commit)
        .reading_beside(reader_at_revision(spec, commit))
        .writing_tree_to(out)
        .with_includes()
        .map_err(|error| error.diagnostic.message.clone())
}
