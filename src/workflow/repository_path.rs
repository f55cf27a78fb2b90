use std::path::{Component, Path};

/// `path` as the workflow names it: relative to the repository root, where the workflow runs,
/// with `/` between folders. Only characters that neither the shell nor a GitHub path filter
/// reads specially are taken, so the path is written as it is, without quoting.
pub(crate) fn repository_path(path: &Path) -> Result<String, String> {
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str().unwrap_or("\u{fffd}")),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(
                    "a path inside the repository, relative to its root (where the workflow runs)"
                        .to_owned(),
                );
            }
        }
    }
    let joined = parts.join("/");
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/');
    if joined.is_empty() || joined.starts_with('-') || !joined.chars().all(plain) {
        return Err(
            "a path of letters, digits, `.`, `_`, `-` and `/` that does not start with `-`"
                .to_owned(),
        );
    }
    Ok(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_written_with_slashes_and_without_dot_folders() {
        assert_eq!(
            repository_path(Path::new("./spec//enterprise.toml")).unwrap(),
            "spec/enterprise.toml"
        );
        assert_eq!(
            repository_path(Path::new("generated/")).unwrap(),
            "generated"
        );
    }

    #[test]
    fn paths_outside_the_repository_or_needing_quotes_are_refused() {
        for path in [
            "/repo/spec/enterprise.toml",
            "../spec.toml",
            "spec/../../x",
            "my spec.toml",
            "spec/*.toml",
            "spec/$HOME.toml",
            "-spec.toml",
            ".",
            "",
        ] {
            assert!(repository_path(Path::new(path)).is_err(), "{path}");
        }
    }
}
