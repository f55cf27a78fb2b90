use std::path::{Path, PathBuf};

use super::{EXIT_BAD_INPUT, EXIT_NO, EXIT_OK, Outcome, Run};
use crate::compile::{compile, compile_despite_running_builds, parse_spec};
use crate::diagnostic::Severity;
use crate::dockerfile::{LineChange, find_dockerfiles, upgrade_from_lines};
use crate::edit::{EditError, Edited, ReleaseAction, apply_release_action, upgrade_base};
use crate::sink::changes::between;
use crate::sink::user_file::{check_editable, replace_user_file};
use crate::source::{Source, display_path};
use crate::spec::Spec;

/// A file other than the spec that an edit rewrites.
pub(super) struct FileEdit {
    path: PathBuf,
    text: String,
    lines: Vec<LineChange>,
}

impl Run<'_> {
    pub(super) fn edit_release(
        &self,
        service: &str,
        env: &str,
        action: &ReleaseAction,
        ignore_window: bool,
    ) -> Outcome {
        self.edit_spec(
            true,
            |spec, text| {
                if !ignore_window {
                    super::advance::refuse_in_deny_window(spec, env, self.now)?;
                }
                apply_release_action(spec, text, service, env, action)
            },
            |_| Ok(Vec::new()),
        )
    }

    pub(super) fn upgrade_base(
        &self,
        name: &str,
        version: &str,
        dockerfiles: Option<&Path>,
    ) -> Outcome {
        // A newly blocked version is exactly what this fixes, so the spec may not compile yet.
        self.edit_spec(
            false,
            |spec, text| upgrade_base(spec, text, name, version),
            |spec| {
                let Some(dir) = dockerfiles else {
                    return Ok(Vec::new());
                };
                let catalog = &spec.base_images[name];
                let digest = catalog
                    .versions
                    .get(version)
                    .and_then(|v| v.digest.as_deref());
                let mut edits = Vec::new();
                for path in find_dockerfiles(dir) {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                    let (text, lines) = upgrade_from_lines(&text, &catalog.image, version, digest);
                    if !lines.is_empty() {
                        edits.push(FileEdit { path, text, lines });
                    }
                }
                Ok(edits)
            },
        )
    }

    /// Edits the spec (and, for some edits, other files), after checking the edited spec
    /// compiles, and prints the plan of the tree change the edit implies: against the tree of
    /// the spec before the edit, or, when that did not compile, the output directory. The
    /// tree itself is left to `fleetc build`.
    pub(super) fn edit_spec(
        &self,
        require_valid: bool,
        edit: impl FnOnce(&Spec, &str) -> Result<Edited, EditError>,
        files: impl FnOnce(&Spec) -> Result<Vec<FileEdit>, String>,
    ) -> Outcome {
        let source = self.source()?;
        let spec = match parse_spec(&source) {
            Ok(spec) => spec,
            Err(diagnostics) => {
                self.report(&source, &diagnostics);
                return Err(EXIT_BAD_INPUT);
            }
        };
        // Versions running on a blocked base do not stop an edit: edits are how they go.
        let before = match compile_despite_running_builds(&source, self.today) {
            Ok(compiled) => Some(compiled),
            Err(diagnostics) if require_valid => {
                self.report(&source, &diagnostics);
                return Err(EXIT_BAD_INPUT);
            }
            Err(_) => None,
        };
        let edited = match edit(&spec, &source.text) {
            Ok(edited) => edited,
            Err(error) => {
                eprintln!("error: {error}");
                return Ok(if error.refused {
                    EXIT_NO
                } else {
                    EXIT_BAD_INPUT
                });
            }
        };
        let new_source = Source::new(self.spec, edited.text.clone());
        let (after, let_through) = match compile_despite_running_builds(&new_source, self.today) {
            Ok(compiled) => compiled,
            Err(diagnostics) => {
                self.report(&new_source, &diagnostics);
                eprintln!("error: the edit would leave the spec invalid; it was not written");
                return Err(EXIT_BAD_INPUT);
            }
        };
        // A release edit may leave the base image errors it found, never add one; upgrade-base
        // moves them onto the versions still running (`built_on`), where they stay until
        // those are replaced.
        let allowed = match &before {
            _ if !require_valid => usize::MAX,
            Some((_, found)) => *found,
            None => 0,
        };
        if let_through > allowed {
            if let Err(diagnostics) = compile(&new_source, self.today) {
                self.report(&new_source, &diagnostics);
            }
            eprintln!("error: the edit would leave the spec invalid; it was not written");
            return Err(EXIT_BAD_INPUT);
        }
        let file_edits = match files(&spec) {
            Ok(edits) => edits,
            Err(message) => {
                eprintln!("error: {message}");
                return Err(EXIT_BAD_INPUT);
            }
        };
        let writes: Vec<(&Path, &str)> = std::iter::once((self.spec, edited.text.as_str()))
            .chain(
                file_edits
                    .iter()
                    .map(|f| (f.path.as_path(), f.text.as_str())),
            )
            .collect();
        write_all_or_nothing(&writes)?;
        let notes: Vec<_> = after
            .warnings
            .iter()
            .filter(|d| d.severity == Severity::Note)
            .cloned()
            .collect();
        self.report(&new_source, &notes);
        println!("{}\n", edited.summary);
        for file in &file_edits {
            for change in &file.lines {
                println!("{}:{}", display_path(&file.path), change.line);
                println!("-{}\n+{}", change.before, change.after);
            }
        }
        if !file_edits.is_empty() {
            println!();
        }
        let changes = match &before {
            Some((before, _)) => between(&before.tree, &after.tree),
            None => self.changes(&after)?,
        };
        self.print_changes(&changes);
        println!(
            "updated {}; run `fleetc build` to write the tree",
            display_path(self.spec)
        );
        Ok(EXIT_OK)
    }
}

/// Writes every edited file, after checking each can be written, so a refusal leaves all of
/// them as they were.
fn write_all_or_nothing(writes: &[(&Path, &str)]) -> Result<(), i32> {
    for (path, _) in writes {
        if let Err(error) = check_editable(path) {
            eprintln!("error: {error}; nothing was written");
            return Err(EXIT_BAD_INPUT);
        }
    }
    for (path, text) in writes {
        if let Err(error) = replace_user_file(path, text.as_bytes()) {
            eprintln!("error: cannot write {}: {error}", display_path(path));
            return Err(EXIT_BAD_INPUT);
        }
    }
    Ok(())
}
