use std::path::Path;

use super::common::change_impact;
use super::edit_output::{EditOutcome, FileEdit};
use super::run::{EXIT_BAD_INPUT, EXIT_NO, EXIT_OK, Outcome, Run};
use crate::compile::{self, CompileOptions, Compiled, compile};
use crate::edit::{
    EditError, Edited, ReleaseAction, ReleaseTarget, apply_release_action_at, keep_line_endings,
    upgrade_base,
};
use crate::images::dockerfile::{find_dockerfiles, upgrade_from_lines};
use crate::parse::parse;
use crate::sink::changes::between;
use crate::sink::disk::read_tree;
use crate::sink::spec_lock::{EDIT_WAIT, EditLock, check_still};
use crate::sink::user_file::{check_editable, replace_user_file};
use crate::source::diagnostic::{Diagnostic, Severity};
use crate::source::span_index::SpanIndex;
use crate::source::{Source, display_path};
use crate::spec::{Date, Spec};

/// How much of the base image trouble a spec already has an edit may leave, or add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Leniency {
    /// The release commands: versions running on a blocked base may stay (a release is how
    /// they go); the edit adds no such error and puts no new version on one.
    Release,
    /// `upgrade-base`: the spec may not compile before (a version was just blocked); after,
    /// only versions already running may sit on a blocked base.
    UpgradeBase,
    /// Edits of the catalog and the pins: the catalog's verdicts on the bases services use
    /// may stand, before and after (an exception is a way out of them), but do not grow in
    /// number, unless `may_add` (a block, whose point they are).
    Catalog { may_add: bool },
}

impl Run<'_> {
    pub(super) fn edit_release(
        &self,
        service: &str,
        (env, target): (&str, &ReleaseTarget),
        action: &ReleaseAction,
        show_diff: bool,
        ignore_window: bool,
    ) -> Outcome {
        self.edit_spec(Leniency::Release, show_diff, |spec, text| {
            if !ignore_window {
                super::sync_windows::refuse_outside_sync_windows(spec, env, self.now)?;
            }
            apply_release_action_at(spec, text, service, env, target, action)
        })
    }

    pub(super) fn upgrade_base(
        &self,
        name: &str,
        version: &str,
        dockerfiles: Option<&Path>,
        show_diff: bool,
    ) -> Outcome {
        self.edit_spec_and_files(
            Leniency::UpgradeBase,
            show_diff,
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
                    let (new, lines) = upgrade_from_lines(&text, &catalog.image, version, digest);
                    if !lines.is_empty() {
                        edits.push(FileEdit {
                            path,
                            read: text,
                            text: new,
                            lines,
                        });
                    }
                }
                Ok(edits)
            },
        )
    }

    /// [`Self::edit_spec_and_files`] for the edits that change the spec alone.
    pub(super) fn edit_spec(
        &self,
        leniency: Leniency,
        show_diff: bool,
        edit: impl FnOnce(&Spec, &str) -> Result<Edited, EditError>,
    ) -> Outcome {
        self.edit_spec_and_files(leniency, show_diff, edit, |_| Ok(Vec::new()))
    }

    /// Edits the spec (and, for some edits, other files), after checking the edited spec
    /// compiles, and prints what changed and its impact on the tree: against the tree of the
    /// spec before the edit, or, when that did not compile, the output directory. The tree
    /// itself is left to `fleetc build`.
    fn edit_spec_and_files(
        &self,
        leniency: Leniency,
        show_diff: bool,
        edit: impl FnOnce(&Spec, &str) -> Result<Edited, EditError>,
        files: impl FnOnce(&Spec) -> Result<Vec<FileEdit>, String>,
    ) -> Outcome {
        let (lock, source) = self.lock_spec()?;
        let before = match lenient_compile(leniency, &source, self.today) {
            Ok(compiled) => Some(compiled),
            Err(diagnostics) if leniency != Leniency::UpgradeBase => {
                self.report(&source, &diagnostics);
                return Err(EXIT_BAD_INPUT);
            }
            Err(_) => None,
        };
        // The spec as written comes with the compile; only a spec that did not compile is
        // parsed again, for an edit (`upgrade-base`) that may be what fixes it.
        let reparsed;
        let (spec, spans) = match &before {
            Some(compiled) => (&compiled.spec, &compiled.spans),
            None => match parse(&source) {
                Ok(parsed) => {
                    reparsed = parsed;
                    (&reparsed.spec, &reparsed.spans)
                }
                Err(diagnostics) => {
                    self.report(&source, &diagnostics);
                    return Err(EXIT_BAD_INPUT);
                }
            },
        };
        let edited = match edit(spec, &source.text) {
            Ok(edited) => edited,
            Err(error) => return Err(self.refuse(&source, spans, &error)),
        };
        let spec_writes = match spec_file_writes(&source, &edited.text) {
            Ok(writes) => writes,
            Err(message) => {
                eprintln!("error: {message}; nothing was written");
                return Err(EXIT_BAD_INPUT);
            }
        };
        let new_source = source.with_texts(spec_writes.iter().map(|w| w.text.clone()).collect());
        let after = match lenient_compile(leniency, &new_source, self.today) {
            Ok(compiled) => compiled,
            Err(diagnostics) => {
                self.report(&new_source, &diagnostics);
                eprintln!("error: the edit would leave the spec invalid; it was not written");
                return Err(EXIT_BAD_INPUT);
            }
        };
        let allowed = match (leniency, &before) {
            (Leniency::UpgradeBase | Leniency::Catalog { may_add: true }, _) => usize::MAX,
            (_, Some(before)) => before.let_through.len(),
            (_, None) => 0,
        };
        if after.let_through.len() > allowed {
            let warnings = after
                .warnings
                .iter()
                .filter(|d| d.severity != Severity::Note);
            let diagnostics: Vec<Diagnostic> =
                after.let_through.iter().chain(warnings).cloned().collect();
            self.report(&new_source, &diagnostics);
            eprintln!("error: the edit would leave the spec invalid; it was not written");
            return Err(EXIT_BAD_INPUT);
        }
        let file_edits = match files(spec) {
            Ok(edits) => edits,
            Err(message) => {
                eprintln!("error: {message}");
                return Err(EXIT_BAD_INPUT);
            }
        };
        // What the tree was: the spec's before the edit, or else what the last build wrote.
        let before_tree = match before {
            Some(before) => before.tree,
            None => read_tree(self.out).map_err(|error| {
                eprintln!("error: cannot read output directory: {error}");
                EXIT_BAD_INPUT
            })?,
        };
        let changes = between(&before_tree, &after.tree);
        let impact = change_impact(&before_tree, &after).ok();
        write_all_or_nothing(&lock, &spec_writes, &file_edits)?;
        drop(lock);
        let notes: Vec<_> = after
            .warnings
            .iter()
            .filter(|d| d.severity == Severity::Note)
            .cloned()
            .collect();
        self.report(&new_source, &notes);
        self.print_edit(&EditOutcome {
            summary: &edited.summary,
            file_edits: &file_edits,
            changes: &changes,
            impact: impact.as_ref(),
            show_diff,
            blocking_errors: after.let_through.len(),
        });
        Ok(EXIT_OK)
    }

    /// Locks the spec for this edit (waiting briefly for another edit to finish) and reads it.
    fn lock_spec(&self) -> Result<(EditLock, Source), i32> {
        // The usual refusals of a spec that is missing, a folder, too large or not UTF-8.
        self.source()?;
        let lock = EditLock::acquire(self.spec, EDIT_WAIT).map_err(|error| {
            eprintln!("error: {error}; nothing was written");
            EXIT_BAD_INPUT
        })?;
        let source = Source::from_bytes(self.spec, lock.bytes().to_vec()).map_err(|message| {
            eprintln!("error: {message}");
            EXIT_BAD_INPUT
        })?;
        Ok((lock, self.included(source)?))
    }

    /// Says why an edit was not made, at the place of the spec it is about, and gives the exit
    /// code: 1 when the answer is no, 2 when the request does not fit the spec.
    fn refuse(&self, source: &Source, spans: &SpanIndex, error: &EditError) -> i32 {
        // A key the spec does not write (a release state not yet there) is shown at the
        // nearest key above it that it does.
        let path: Vec<&str> = error.at.iter().flatten().map(String::as_str).collect();
        let mut diagnostic = Diagnostic::error(&error.message);
        if !path.is_empty() {
            // The value when it fits on its line (an inline table, a string), else its key.
            let value = spans
                .value(&path)
                .filter(|span| !source.text[span.clone()].contains('\n'));
            diagnostic = diagnostic.at(value.or_else(|| spans.key(&path)));
        }
        if let Some(help) = &error.help {
            diagnostic = diagnostic.help(help);
        }
        eprintln!("{}", diagnostic.render(source, self.styled_err));
        eprintln!("error: nothing was written");
        if error.refused {
            EXIT_NO
        } else {
            EXIT_BAD_INPUT
        }
    }
}

/// The spec compiled as leniently as the edit allows (`let_through` holds the errors let
/// through).
fn lenient_compile(
    leniency: Leniency,
    source: &Source,
    today: Date,
) -> Result<Compiled, Vec<Diagnostic>> {
    let lets_through = match leniency {
        Leniency::Release | Leniency::UpgradeBase => compile::Leniency::RunningBuilds,
        Leniency::Catalog { .. } => compile::Leniency::BaseImages,
    };
    let options = CompileOptions::from(today).letting_through(lets_through);
    compile(source, options)
}

/// Writes every edited file, after checking each can be written and still holds the text the
/// edit was made from, so a refusal leaves all of them as they were and no one else's change
/// is overwritten.
fn write_all_or_nothing(
    lock: &EditLock,
    spec_files: &[FileEdit],
    files: &[FileEdit],
) -> Result<(), i32> {
    let refuse = |error: std::io::Error| {
        eprintln!("error: {error}; nothing was written");
        EXIT_BAD_INPUT
    };
    let (root, included) = spec_files
        .split_first()
        .expect("the root is a file of the spec");
    let changed = |file: &&FileEdit| file.text != file.read;
    check_editable(&root.path).map_err(refuse)?;
    lock.check_unchanged(&display_path(&root.path))
        .map_err(refuse)?;
    for file in included.iter().chain(files) {
        check_editable(&file.path).map_err(refuse)?;
        check_still(&file.path, &file.read, &display_path(&file.path)).map_err(refuse)?;
    }
    let writes = std::iter::once(root)
        .filter(changed)
        .chain(included.iter().filter(changed))
        .chain(files);
    for file in writes {
        if let Err(error) = replace_user_file(&file.path, file.text.as_bytes()) {
            eprintln!("error: cannot write {}: {error}", display_path(&file.path));
            return Err(EXIT_BAD_INPUT);
        }
    }
    Ok(())
}

/// Each file of the spec with the text the edited spec (`edited`, the whole text) gives it,
/// in the line endings it was written with; the root first.
fn spec_file_writes(source: &Source, edited: &str) -> Result<Vec<FileEdit>, String> {
    let before = source.split(&source.text)?;
    let after = source.split(edited)?;
    Ok(before
        .into_iter()
        .zip(after)
        .map(|((path, read), (_, text))| FileEdit {
            text: keep_line_endings(&read, &text),
            path,
            read,
            lines: Vec::new(),
        })
        .collect())
}
