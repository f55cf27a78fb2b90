use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{FromLine, parse_from_lines};

/// A `FROM` line of a Dockerfile that names a given image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DockerfileMatch {
    pub path: PathBuf,
    pub from: FromLine,
}

/// The Dockerfiles below `dir` (see [`is_dockerfile_name`]), in path order; hidden folders
/// and symlinks are not followed.
pub(crate) fn find_dockerfiles(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| is_dockerfile_name(&e.file_name().to_string_lossy()))
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    files
}

/// Whether a file of this name is a build file Docker or Podman reads: `Dockerfile`,
/// `Dockerfile.<x>`, `<x>.Dockerfile`, and the same with `Containerfile`.
pub(crate) fn is_dockerfile_name(name: &str) -> bool {
    ["Dockerfile", "Containerfile"].iter().any(|kind| {
        name == *kind
            || name
                .strip_prefix(kind)
                .is_some_and(|rest| rest.len() > 1 && rest.starts_with('.'))
            || name
                .strip_suffix(kind)
                .is_some_and(|rest| rest.len() > 1 && rest.ends_with('.'))
    })
}

/// The `FROM` lines in `text` that name `image` (a repository path), at `version` if given.
pub(crate) fn matches_in(
    path: &Path,
    text: &str,
    image: &str,
    version: Option<&str>,
) -> Vec<DockerfileMatch> {
    parse_from_lines(text)
        .into_iter()
        .filter(|from| from.image.is_image(image))
        .filter(|from| version.is_none_or(|v| from.image.tag.as_deref() == Some(v)))
        .map(|from| DockerfileMatch {
            path: path.to_owned(),
            from,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::is_dockerfile_name;

    #[test]
    fn dockerfiles_and_containerfiles_are_recognised_by_name() {
        for name in [
            "Dockerfile",
            "Dockerfile.prod",
            "build.Dockerfile",
            "Containerfile",
            "Containerfile.dev",
            "tools.Containerfile",
        ] {
            assert!(is_dockerfile_name(name), "{name}");
        }
        for name in [
            "Dockerfile.",
            ".Dockerfile",
            "Dockerfiles",
            "MyContainerfile",
            "README",
        ] {
            assert!(!is_dockerfile_name(name), "{name}");
        }
    }
}
