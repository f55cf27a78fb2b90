use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{FromLine, parse_from_lines};

/// A `FROM` line of a Dockerfile that names a given image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerfileMatch {
    pub path: PathBuf,
    pub from: FromLine,
}

/// `Dockerfile`, `Dockerfile.<x>` and `<x>.Dockerfile` files below `dir`, in path order;
/// hidden folders and symlinks are not followed.
pub fn find_dockerfiles(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            name == "Dockerfile" || name.starts_with("Dockerfile.") || name.ends_with(".Dockerfile")
        })
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    files
}

/// The `FROM` lines in `text` that name `image` (a repository path), at `version` if given.
pub fn matches_in(
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
