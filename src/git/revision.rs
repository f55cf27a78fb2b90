use std::path::{Path, PathBuf};

use git2::Repository;

use crate::source::reader::Unreadable;

/// The text of the spec at a git revision, read from the object database: no checkout, no
/// change to the working tree or index.
pub(crate) fn spec_at_revision(spec: &Path, revision: &str) -> Result<String, String> {
    let (repo, relative) = repository_of(spec)?;
    let commit = repo
        .revparse_single(revision)
        .and_then(|object| object.peel_to_commit())
        .map_err(|e| format!("revision `{revision}`: {}", e.message()))?;
    let entry = commit
        .tree()
        .and_then(|tree| tree.get_path(&relative))
        .map_err(|_| format!("`{}` does not exist at `{revision}`", relative.display()))?;
    let blob = entry
        .to_object(&repo)
        .and_then(|object| object.peel_to_blob())
        .map_err(|e| e.message().to_owned())?;
    let shown = format!("{}@{revision}", relative.display());
    crate::source::check_size(&shown, blob.size())?;
    String::from_utf8(blob.content().to_vec())
        .map_err(|_| format!("`{}` at `{revision}` is not UTF-8", relative.display()))
}

/// The repository holding the spec, and the spec's path inside it.
pub(crate) fn repository_of(spec: &Path) -> Result<(Repository, PathBuf), String> {
    let absolute = spec
        .canonicalize()
        .map_err(|e| format!("cannot find `{}`: {e}", spec.display()))?;
    let start = absolute.parent().unwrap_or(Path::new("."));
    let repo = Repository::discover(start).map_err(|e| {
        format!(
            "`{}` is not in a git repository: {}",
            spec.display(),
            e.message()
        )
    })?;
    let workdir = repo
        .workdir()
        .ok_or("the repository has no working tree")?
        .canonicalize()
        .map_err(|e| e.to_string())?;
    let relative = absolute
        .strip_prefix(&workdir)
        .map_err(|_| format!("`{}` is outside the repository", spec.display()))?
        .to_path_buf();
    Ok((repo, relative))
}

/// How many links a file beside the spec may go through at a revision before it is taken
/// for a loop.
const MAX_LINKS: usize = 8;

/// The bytes of `relative` (inside the spec's folder) at git `revision`, following a link
/// only to a file that stays inside the folder.
pub(crate) fn file_at_revision(
    spec: &Path,
    relative: &str,
    revision: &str,
) -> Result<Vec<u8>, Unreadable> {
    let failed = Unreadable::Failed;
    let (repo, spec_path) = repository_of(spec).map_err(failed)?;
    let folder = spec_path.parent().unwrap_or(Path::new("")).to_path_buf();
    let tree = repo
        .revparse_single(revision)
        .and_then(|object| object.peel_to_commit())
        .and_then(|commit| commit.tree())
        .map_err(|e| Unreadable::Failed(e.message().to_owned()))?;
    let mut wanted = relative.to_owned();
    for _ in 0..MAX_LINKS {
        let path = folder.join(&wanted);
        let entry = tree
            .get_path(&path)
            .map_err(|_| Unreadable::Missing(format!("{}@{revision}", path.display())))?;
        let object = entry
            .to_object(&repo)
            .map_err(|e| Unreadable::Failed(e.message().to_owned()))?;
        let Some(blob) = object.as_blob() else {
            return Err(Unreadable::NotAFile);
        };
        if entry.filemode() != LINK_MODE {
            return Ok(blob.content().to_vec());
        }
        let target = String::from_utf8_lossy(blob.content()).into_owned();
        let beside = Path::new(&wanted)
            .parent()
            .map_or_else(|| PathBuf::from(&target), |p| p.join(&target));
        wanted = crate::formats::spec_file_path::contained(&beside.to_string_lossy())
            .map_err(|_| Unreadable::Outside(target.clone()))?;
    }
    Err(Unreadable::Failed("too many links".into()))
}

/// The mode git records a symbolic link with.
const LINK_MODE: i32 = 0o120_000;

/// The files below `prefix` (a folder relative to the spec's folder) at git `revision`, at most
/// `depth` folders deep, by their paths relative to the spec's folder. Links are listed as the
/// files they are; reading one follows it only inside the folder.
pub(crate) fn files_at_revision(
    spec: &Path,
    prefix: &str,
    depth: usize,
    revision: &str,
) -> Result<Vec<String>, String> {
    let (repo, spec_path) = repository_of(spec)?;
    let folder = spec_path.parent().unwrap_or(Path::new("")).to_path_buf();
    let tree = repo
        .revparse_single(revision)
        .and_then(|object| object.peel_to_commit())
        .and_then(|commit| commit.tree())
        .map_err(|e| e.message().to_owned())?;
    let start = folder.join(prefix);
    let below = if start.as_os_str().is_empty() {
        tree
    } else {
        let Ok(entry) = tree.get_path(&start) else {
            return Ok(Vec::new());
        };
        match entry.to_object(&repo).ok().and_then(|o| o.into_tree().ok()) {
            Some(below) => below,
            None => return Ok(Vec::new()),
        }
    };
    let mut found = Vec::new();
    below
        .walk(git2::TreeWalkMode::PreOrder, |parent, entry| {
            let depth_here = parent.matches('/').count() + 1;
            if entry.kind() == Some(git2::ObjectType::Tree) {
                return if depth_here >= depth {
                    git2::TreeWalkResult::Skip
                } else {
                    git2::TreeWalkResult::Ok
                };
            }
            let name = entry.name().unwrap_or_default();
            let inside = if prefix.is_empty() {
                format!("{parent}{name}")
            } else {
                format!("{prefix}/{parent}{name}")
            };
            found.push(inside);
            git2::TreeWalkResult::Ok
        })
        .map_err(|e| e.message().to_owned())?;
    Ok(found)
}

/// How the files beside the spec (and those it includes) are read at git `revision`: each
/// file and each folder's listing from the revision's tree.
pub(crate) fn reader_at_revision(spec: &Path, revision: &str) -> crate::source::reader::Reader {
    let (read_spec, list_spec) = (spec.to_path_buf(), spec.to_path_buf());
    let (read_at, list_at) = (revision.to_owned(), revision.to_owned());
    crate::source::reader::Reader::new(move |relative| {
        file_at_revision(&read_spec, relative, &read_at)
    })
    .listing(move |folder, depth| files_at_revision(&list_spec, folder, depth, &list_at))
}
