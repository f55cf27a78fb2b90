//! Pins: a semantic version, a commit.

/// A git commit hash, abbreviated or not: 7 to 40 hex digits.
pub(crate) fn is_commit(commit: &str) -> bool {
    (7..=40).contains(&commit.len()) && commit.chars().all(|c| c.is_ascii_hexdigit())
}

/// `v1.2.3` or `1.2.3`, with an optional `-prerelease`.
pub(crate) fn is_semver(version: &str) -> bool {
    let core = version.strip_prefix('v').unwrap_or(version);
    let core = core
        .split_once('-')
        .map_or(core, |(core, pre)| if pre.is_empty() { "" } else { core });
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars().all(|c| c.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        })
}

#[cfg(test)]
mod tests {
    use super::is_semver;

    #[test]
    fn semantic_versions() {
        for good in ["v1.2.3", "1.2.3", "v10.0.0", "v1.2.3-rc.1"] {
            assert!(is_semver(good), "{good}");
        }
        for bad in ["v1.2", "latest", "v1.02.3", "main", "v1.2.3-", ""] {
            assert!(!is_semver(bad), "{bad}");
        }
    }
}
