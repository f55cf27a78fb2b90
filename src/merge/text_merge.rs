//! A merge of lines, as git makes it (`git merge-file`): the merge a file gets when fleetc
//! cannot merge it by key, and the conflict markers git expects where it cannot merge at all.

use std::io::Write;
use std::process::{Command, Stdio};

/// The merged text, and whether lines conflict (then marked as git marks them).
pub(crate) struct LineMerge {
    pub text: Vec<u8>,
    pub conflicts: bool,
}

/// Merges `ours` and `theirs`, both changed from `base`, line by line; `labels` name ours,
/// the base and theirs in the markers.
pub(crate) fn merge_lines(
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
    labels: [&str; 3],
) -> Result<LineMerge, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("cannot make a scratch folder: {e}"))?;
    let write = |name: &str, bytes: &[u8]| -> Result<String, String> {
        let path = dir.path().join(name);
        let mut file =
            std::fs::File::create(&path).map_err(|e| format!("cannot write {name}: {e}"))?;
        file.write_all(bytes)
            .map_err(|e| format!("cannot write {name}: {e}"))?;
        Ok(path.display().to_string())
    };
    let (o, a, b) = (
        write("base", base)?,
        write("ours", ours)?,
        write("theirs", theirs)?,
    );
    let output = Command::new("git")
        .args([
            "merge-file",
            "-p",
            "-L",
            labels[0],
            "-L",
            labels[1],
            "-L",
            labels[2],
        ])
        .args([&a, &o, &b])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `git merge-file`: {e}"))?;
    // Its status is the number of conflicts, or a negative one on an error.
    match output.status.code() {
        Some(0) => Ok(LineMerge {
            text: output.stdout,
            conflicts: false,
        }),
        Some(code) if (1..=127).contains(&code) => Ok(LineMerge {
            text: output.stdout,
            conflicts: true,
        }),
        _ => Err(format!(
            "`git merge-file` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separate_lines_merge_and_the_same_line_conflicts_with_markers() {
        let labels = ["ours", "base", "theirs"];
        let clean = merge_lines(b"a\nb\nc\nd\n", b"A\nb\nc\nd\n", b"a\nb\nc\nD\n", labels).unwrap();
        assert!(!clean.conflicts);
        assert_eq!(clean.text, b"A\nb\nc\nD\n");
        let both = merge_lines(b"a\n", b"x\n", b"y\n", labels).unwrap();
        assert!(both.conflicts);
        let text = String::from_utf8(both.text).unwrap();
        assert!(
            text.starts_with("<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n"),
            "{text}"
        );
    }
}
