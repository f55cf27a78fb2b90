//! What a spec edit prints: what changed in the spec, its impact on what Argo CD deploys,
//! and how many tree files change; the full diff of those files only when asked for.

use std::io::Write;
use std::path::PathBuf;

use super::run::Run;
use crate::images::dockerfile::LineChange;
use crate::review::Impact;
use crate::sink::changes::{Change, ChangeKind};
use crate::sink::unified::unified;
use crate::source::display_path;

/// A file other than the spec that an edit rewrites.
pub(super) struct FileEdit {
    pub path: PathBuf,
    /// The file's text when it was read, which it must still hold when the edit is written.
    pub read: String,
    pub text: String,
    pub lines: Vec<LineChange>,
}

pub(super) struct EditOutcome<'a> {
    /// What changed in the spec, in a few lines.
    pub summary: &'a str,
    pub file_edits: &'a [FileEdit],
    pub changes: &'a [Change<'a>],
    /// `None` when the tree before the edit did not render (a hand-edited output directory).
    pub impact: Option<&'a Impact>,
    pub show_diff: bool,
    /// Base image errors the edited spec still has (shown as notes), which `build` refuses.
    pub blocking_errors: usize,
}

impl Run<'_> {
    pub(super) fn print_edit(&self, outcome: &EditOutcome<'_>) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}\n", outcome.summary);
        for file in outcome.file_edits {
            for change in &file.lines {
                let _ = writeln!(out, "{}:{}", display_path(&file.path), change.line);
                let _ = writeln!(out, "-{}\n+{}", change.before, change.after);
            }
        }
        if !outcome.file_edits.is_empty() {
            let _ = writeln!(out);
        }
        if outcome.show_diff {
            for change in outcome.changes {
                let _ = write!(out, "{}", unified(change, self.styled));
            }
            if !outcome.changes.is_empty() {
                let _ = writeln!(out);
            }
        }
        match outcome.impact {
            // A pin of the CI template or a Terraform module deploys nothing by itself.
            Some(impact) if impact.environments.is_empty() && !impact.platform_files.is_empty() => {
                let _ = writeln!(
                    out,
                    "Impact: nothing that Argo CD deploys changes; platform files: {}",
                    impact.platform_files.join(", ")
                );
            }
            Some(impact) => {
                let _ = write!(out, "{}", impact.to_text());
            }
            None => {
                let _ = writeln!(
                    out,
                    "Impact: not shown; the tree in {} does not render",
                    display_path(self.out)
                );
            }
        }
        let _ = writeln!(out, "{}", tree_files(outcome.changes, outcome.show_diff));
        let spec = display_path(self.spec);
        let _ = match outcome.blocking_errors {
            0 => writeln!(out, "updated {spec}; run `fleetc build` to write the tree"),
            n => writeln!(
                out,
                "updated {spec}; `fleetc build` refuses it while {n} base image {} (the notes above) stand",
                if n == 1 { "error" } else { "errors" }
            ),
        };
    }
}

/// How many files of the tree the edit changes, by kind.
fn tree_files(changes: &[Change], shown: bool) -> String {
    if changes.is_empty() {
        return "No file of the tree changes.".to_owned();
    }
    let count = |kind: ChangeKind| changes.iter().filter(|c| c.kind == kind).count();
    format!(
        "{} of the tree {}: {} added, {} changed, {} removed{}",
        if changes.len() == 1 {
            "1 file".to_owned()
        } else {
            format!("{} files", changes.len())
        },
        if changes.len() == 1 {
            "changes"
        } else {
            "change"
        },
        count(ChangeKind::Added),
        count(ChangeKind::Modified),
        count(ChangeKind::Removed),
        if shown { "" } else { " (--diff shows them)" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &str, kind: ChangeKind) -> Change<'static> {
        Change {
            path: path.to_owned(),
            kind,
            old: None,
            new: None,
        }
    }

    #[test]
    fn the_tree_files_are_counted_by_kind() {
        assert_eq!(tree_files(&[], false), "No file of the tree changes.");
        assert_eq!(
            tree_files(&[change("a", ChangeKind::Modified)], true),
            "1 file of the tree changes: 0 added, 1 changed, 0 removed"
        );
        assert_eq!(
            tree_files(
                &[
                    change("a", ChangeKind::Added),
                    change("b", ChangeKind::Removed),
                    change("c", ChangeKind::Added)
                ],
                false
            ),
            "3 files of the tree change: 2 added, 0 changed, 1 removed (--diff shows them)"
        );
    }
}
