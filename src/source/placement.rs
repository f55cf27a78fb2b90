//! Where the spec's files lie in the repository the tree is written into: the tree's folder
//! is `gitops_path` of the repository, so the repository's root is that folder less
//! `gitops_path`, and the spec's files are named from there (for CODEOWNERS). Paths are
//! taken lexically from the working folder, so the answer is the same wherever fleetc runs.

use std::path::{Component, Path, PathBuf};

use super::Source;

impl Source {
    /// The spec, whose tree is written to `out`.
    #[must_use]
    pub(crate) fn writing_tree_to(mut self, out: &Path) -> Self {
        self.tree_dir = Some(absolute(out));
        self
    }

    /// The spec's folder as the repository names it (`spec`, or empty at its root), when the
    /// tree is written at `gitops_path` of the repository and the spec lies inside it.
    pub(crate) fn folder_in_repository(&self, gitops_path: &str) -> Option<String> {
        let mut root = self.tree_dir.clone()?;
        let below: Vec<&str> = gitops_path
            .split('/')
            .filter(|part| !part.is_empty() && *part != ".")
            .collect();
        for part in below.iter().rev() {
            if root.file_name().is_none_or(|name| name != *part) {
                return None;
            }
            root.pop();
        }
        let spec = absolute(&self.path);
        let folder = spec.parent()?.strip_prefix(&root).ok()?;
        let parts: Vec<String> = folder
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }
}

/// `path` from the root, with `.` and `..` resolved by their spelling.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other.as_os_str()),
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(spec: &str, out: &str, gitops_path: &str) -> Option<String> {
        Source::new(spec, "")
            .writing_tree_to(Path::new(out))
            .folder_in_repository(gitops_path)
    }

    #[test]
    fn the_spec_is_named_from_the_repository_root_the_tree_s_folder_implies() {
        assert_eq!(
            placed("/r/spec/enterprise.toml", "/r/generated", "generated").as_deref(),
            Some("spec")
        );
        assert_eq!(
            placed("/r/enterprise.toml", "/r/generated", "generated").as_deref(),
            Some("")
        );
        assert_eq!(
            placed("/r/spec/a.toml", "/r/deploy/tree", "deploy/tree").as_deref(),
            Some("spec")
        );
        assert_eq!(placed("/r/spec/a.toml", "/r", ".").as_deref(), Some("spec"));
        assert_eq!(
            placed("/r/x/../spec/a.toml", "/r/./generated", "generated").as_deref(),
            Some("spec")
        );
    }

    #[test]
    fn a_tree_elsewhere_than_gitops_path_or_a_spec_outside_places_nothing() {
        assert_eq!(placed("/r/spec/a.toml", "/r/out", "generated"), None);
        assert_eq!(
            placed("/elsewhere/a.toml", "/r/generated", "generated"),
            None
        );
        assert_eq!(
            Source::new("/r/spec/a.toml", "").folder_in_repository("generated"),
            None
        );
    }
}
