use std::path::{Path, PathBuf};

use git2::Repository;

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
