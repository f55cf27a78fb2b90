use std::path::{Path, PathBuf};

use git2::{Repository, RepositoryState, Signature};

use crate::sink::changes::{Change, ChangeKind};

/// Where the spec and the tree sit in their repository.
pub(crate) struct CommitTarget {
    repo: Repository,
    spec: PathBuf,
    out: PathBuf,
    /// The files beside the spec the tree is compiled from as well: a commit without them
    /// could not be compiled again.
    beside: Vec<PathBuf>,
}

impl CommitTarget {
    /// Refuses a repository in the middle of a merge, rebase or similar, and an index that
    /// holds staged changes other than the spec's, the tree's and those of `beside` (files
    /// beside the spec the tree is compiled from too, relative to the spec's folder).
    pub(crate) fn open(spec: &Path, out: &Path, beside: &[String]) -> Result<Self, String> {
        let absolute =
            |p: &Path| std::path::absolute(p).map_err(|e| format!("{}: {e}", p.display()));
        let (spec_abs, out_abs) = (absolute(spec)?, absolute(out)?);
        let repo =
            Repository::discover(spec_abs.parent().unwrap_or(Path::new("."))).map_err(|e| {
                format!(
                    "`{}` is not in a git repository: {}",
                    spec.display(),
                    e.message()
                )
            })?;
        if repo.state() != RepositoryState::Clean {
            return Err(format!(
                "the repository is in the middle of a {:?}; finish or abort it first",
                repo.state()
            ));
        }
        let workdir = repo
            .workdir()
            .ok_or("the repository has no working tree")?
            .to_path_buf();
        let relative = |p: &Path| -> Result<PathBuf, String> {
            let canonical_root = workdir.canonicalize().map_err(|e| e.to_string())?;
            let parent = p.parent().unwrap_or(Path::new("."));
            let parent = parent
                .canonicalize()
                .unwrap_or_else(|_| parent.to_path_buf());
            let joined = parent.join(p.file_name().unwrap_or_default());
            joined
                .strip_prefix(&canonical_root)
                .map(Path::to_path_buf)
                .map_err(|_| format!("`{}` is outside the repository", p.display()))
        };
        let spec = relative(&spec_abs)?;
        let folder = spec.parent().unwrap_or(Path::new("")).to_path_buf();
        let target = Self {
            beside: beside.iter().map(|file| folder.join(file)).collect(),
            spec,
            out: relative(&out_abs)?,
            repo,
        };
        target.check_index()?;
        Ok(target)
    }

    fn check_index(&self) -> Result<(), String> {
        let head = self.repo.head().ok().and_then(|h| h.peel_to_tree().ok());
        let diff = self
            .repo
            .diff_tree_to_index(head.as_ref(), None, None)
            .map_err(|e| e.message().to_owned())?;
        let unrelated: Vec<String> = diff
            .deltas()
            .filter_map(|d| {
                d.new_file()
                    .path()
                    .or_else(|| d.old_file().path())
                    .map(Path::to_path_buf)
            })
            .filter(|p| *p != self.spec && !p.starts_with(&self.out) && !self.beside.contains(p))
            .map(|p| p.display().to_string())
            .collect();
        if unrelated.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "the index holds staged changes fleetc would not make: {}; commit or unstage them first",
                unrelated.join(", ")
            ))
        }
    }

    /// Stages the spec and the tree's changes, and commits them as the configured user.
    /// Returns the new commit's id, or `None` when there was nothing to commit.
    pub(crate) fn commit(
        &self,
        changes: &[Change],
        message: &str,
    ) -> Result<Option<String>, String> {
        let error = |e: git2::Error| e.message().to_owned();
        let mut index = self.repo.index().map_err(error)?;
        index.add_path(&self.spec).map_err(error)?;
        for file in &self.beside {
            index.add_path(file).map_err(error)?;
        }
        for change in changes {
            let path = self.out.join(&change.path);
            match change.kind {
                ChangeKind::Removed => index.remove_path(&path).map_err(error)?,
                _ => index.add_path(&path).map_err(error)?,
            }
        }
        index.write().map_err(error)?;
        let tree_id = index.write_tree().map_err(error)?;
        let parent = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        if parent.as_ref().is_some_and(|p| p.tree_id() == tree_id) {
            return Ok(None);
        }
        let config = self.repo.config().map_err(error)?;
        let name = config.get_string("user.name");
        let email = config.get_string("user.email");
        let (Ok(name), Ok(email)) = (name, email) else {
            return Err("set `git config user.name` and `user.email` to commit".into());
        };
        let signature = Signature::now(&name, &email).map_err(error)?;
        let tree = self.repo.find_tree(tree_id).map_err(error)?;
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let id = self
            .repo
            .commit(
                Some("HEAD"),
                &signature,
                &signature,
                message,
                &tree,
                &parents,
            )
            .map_err(error)?;
        Ok(Some(id.to_string()))
    }
}
