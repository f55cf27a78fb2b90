//! A path the spec lists for a file beside it must name a file inside the spec's folder: by
//! its spelling first, before anything is read, so a spec can never make fleetc read (and copy
//! into the tree) a file of another project or of the machine.

/// Why a listed path is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Uncontained {
    Empty,
    Absolute,
    /// `..` climbs above the spec's folder.
    Escapes,
}

impl Uncontained {
    pub(crate) fn message(&self, path: &str) -> (String, String) {
        match self {
            Self::Empty => (
                "a file listed here has an empty path".into(),
                "name a YAML file relative to the spec's folder, e.g. `extra/orders-pdb.yaml`"
                    .into(),
            ),
            Self::Absolute => (
                format!("`{path}` is an absolute path"),
                "name the file relative to the spec's folder, e.g. `extra/orders-pdb.yaml`".into(),
            ),
            Self::Escapes => (
                format!("`{path}` leaves the spec's folder"),
                "keep the file in the spec's folder or below it, where the spec's reviewers see it"
                    .into(),
            ),
        }
    }
}

/// `path` relative to the spec's folder with `.` and `..` resolved (`a/./b/../c.yaml` is
/// `a/c.yaml`), or why it does not stay inside that folder.
pub(crate) fn contained(path: &str) -> Result<String, Uncontained> {
    if path.trim().is_empty() {
        return Err(Uncontained::Empty);
    }
    let drive = path.len() > 1 && path.as_bytes()[1] == b':';
    if path.starts_with(['/', '\\']) || drive {
        return Err(Uncontained::Absolute);
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop().ok_or(Uncontained::Escapes)?;
            }
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return Err(Uncontained::Empty);
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::{Uncontained, contained};

    #[test]
    fn a_path_inside_the_specs_folder_is_kept_in_its_plain_form() {
        assert_eq!(
            contained("extra/orders-pdb.yaml").unwrap(),
            "extra/orders-pdb.yaml"
        );
        assert_eq!(contained("./a/./b/../c.yaml").unwrap(), "a/c.yaml");
        assert_eq!(contained("a//c.yaml").unwrap(), "a/c.yaml");
    }

    #[test]
    fn a_path_that_climbs_out_or_starts_at_the_root_is_refused() {
        assert_eq!(contained("../secrets.yaml"), Err(Uncontained::Escapes));
        assert_eq!(contained("a/../../b.yaml"), Err(Uncontained::Escapes));
        assert_eq!(contained("a\\..\\..\\b.yaml"), Err(Uncontained::Escapes));
        assert_eq!(contained("/etc/passwd"), Err(Uncontained::Absolute));
        assert_eq!(contained("C:\\x.yaml"), Err(Uncontained::Absolute));
        assert_eq!(contained("\\\\host\\x.yaml"), Err(Uncontained::Absolute));
    }

    #[test]
    fn a_path_naming_no_file_is_refused() {
        assert_eq!(contained(""), Err(Uncontained::Empty));
        assert_eq!(contained("a/.."), Err(Uncontained::Empty));
        assert_eq!(contained(" "), Err(Uncontained::Empty));
    }
}
