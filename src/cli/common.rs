use std::fmt::Write as _;
use std::io::Write;

use super::run::{EXIT_BAD_INPUT, Run};
use crate::compile::{CompileOptions, Compiled, compile};
use crate::review::{Impact, impact};
use crate::sink::changes::{Change, changes, changes_from, foreign_files};
use crate::sink::disk::{OnDisk, read};
use crate::sink::lock::OutputLock;
use crate::sink::readers::Readers;
use crate::sink::summary::summary;
use crate::sink::unified::unified;
use crate::source::diagnostic::Diagnostic;
use crate::source::{Source, display_path};
use crate::tree::Tree;

impl Run<'_> {
    /// The spec, with the files it includes.
    pub(super) fn source(&self) -> Result<Source, i32> {
        let root = Source::read(self.spec).map_err(|message| {
            eprintln!("error: {message}");
            EXIT_BAD_INPUT
        })?;
        self.included(root)
    }

    /// `root` with the files it includes, or the exit code once the include it cannot have
    /// is shown.
    pub(super) fn included(&self, root: Source) -> Result<Source, i32> {
        let root = root.writing_tree_to(self.out);
        root.with_includes().map_err(|error| {
            eprintln!(
                "{}
",
                error.diagnostic.render(&error.root, self.styled_err)
            );
            eprintln!(
                "error: `{}` has 1 error; nothing was written",
                error.root.display_path()
            );
            EXIT_BAD_INPUT
        })
    }

    /// `diagnostics` as [`Self::report`] shows them on standard error, one after another.
    pub(super) fn rendered(&self, source: &Source, diagnostics: &[Diagnostic]) -> String {
        let masked = crate::source::diagnostic::masked(source, diagnostics);
        let source = masked.as_ref().unwrap_or(source);
        let mut text = String::new();
        for diagnostic in diagnostics {
            let _ = write!(text, "{}\n\n", diagnostic.render(source, self.styled_err));
        }
        text
    }

    pub(super) fn report(&self, source: &Source, diagnostics: &[Diagnostic]) {
        if self.github {
            let masked = crate::source::diagnostic::masked(source, diagnostics);
            let shown = masked.as_ref().unwrap_or(source);
            for diagnostic in diagnostics {
                println!("{}", diagnostic.github_annotation(shown));
            }
        }
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(self.rendered(source, diagnostics).as_bytes());
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        if errors > 0 {
            let plural = if errors == 1 { "" } else { "s" };
            let _ = writeln!(
                err,
                "error: `{}` has {errors} error{plural}; nothing was written",
                source.display_path()
            );
        }
    }

    pub(super) fn compiled(&self) -> Result<Compiled, i32> {
        self.compiled_as(self.options())
    }

    /// The strict compile of a whole tree, as of `--today`.
    pub(super) fn options(&self) -> CompileOptions {
        CompileOptions::from(self.today)
    }

    /// The spec compiled as `options` say, its warnings (and the errors let through, as
    /// notes) reported; its errors reported make bad input.
    pub(super) fn compiled_as(&self, options: CompileOptions) -> Result<Compiled, i32> {
        self.compiled_from(&self.source()?, options)
    }

    /// [`Self::compiled_as`] from a source already read.
    pub(super) fn compiled_from(
        &self,
        source: &Source,
        options: CompileOptions,
    ) -> Result<Compiled, i32> {
        match compile(source, options) {
            Ok(compiled) => {
                self.report(source, &compiled.warnings);
                Ok(compiled)
            }
            Err(diagnostics) => {
                self.report(source, &diagnostics);
                Err(EXIT_BAD_INPUT)
            }
        }
    }

    /// The compiled spec and the tree an earlier build left in `--out`, read while the spec
    /// compiles: the reads are syscalls, the compile is computation, so the two overlap.
    pub(super) fn compiled_with_disk(&self) -> Result<(Compiled, OnDisk), i32> {
        let (compiled, disk) = std::thread::scope(|scope| {
            let disk = scope.spawn(|| read(self.out));
            let compiled = self.compiled();
            (
                compiled,
                disk.join().expect("reading the tree does not panic"),
            )
        });
        let compiled = compiled?;
        match disk {
            Ok(disk) => Ok((compiled, disk)),
            Err(error) => {
                eprintln!("error: cannot read output directory: {error}");
                Err(EXIT_BAD_INPUT)
            }
        }
    }

    /// [`Self::compiled_with_disk`] for a command that writes `--out`: the directory is locked
    /// before it is read, so no other run writes between our read and our write. A directory
    /// that does not exist yet is created (to be locked) only once the spec has compiled, so
    /// a bad spec leaves nothing behind.
    pub(super) fn locked_compile(&self) -> Result<(OutputLock, Compiled, OnDisk), i32> {
        if self.out.is_dir() {
            let lock = self.lock()?;
            let (compiled, disk) = self.compiled_with_disk()?;
            return Ok((lock, compiled, disk));
        }
        let compiled = self.compiled()?;
        let lock = self.lock()?;
        let disk = read(self.out).map_err(|error| {
            eprintln!("error: cannot read output directory: {error}");
            EXIT_BAD_INPUT
        })?;
        Ok((lock, compiled, disk))
    }

    /// Says which entries of the output folders fleetc did not write and leaves alone.
    pub(super) fn report_unowned(&self, unowned: &[String]) {
        const SHOWN: usize = 10;
        if unowned.is_empty() {
            return;
        }
        let out = display_path(self.out);
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "note: {} {} in {out} {} not written by fleetc: left alone, and in no kustomization",
            unowned.len(),
            if unowned.len() == 1 {
                "entry"
            } else {
                "entries"
            },
            if unowned.len() == 1 { "was" } else { "were" },
        );
        for path in unowned.iter().take(SHOWN) {
            let _ = writeln!(err, "  {out}/{path}");
        }
        if unowned.len() > SHOWN {
            let _ = writeln!(err, "  … and {} more", unowned.len() - SHOWN);
        }
    }

    /// Refuses to replace files fleetc did not write at paths the spec now generates (a
    /// hand-written kustomization in the folder of a service just added, say) unless the user
    /// adopts them. `adopt: None` is for commands that write nothing: they warn.
    pub(super) fn refuse_foreign(
        &self,
        compiled: &Tree,
        disk: &Tree,
        adopt: Option<bool>,
    ) -> Result<(), i32> {
        const SHOWN: usize = 20;
        let foreign = foreign_files(compiled, disk, self.out);
        if foreign.is_empty() || adopt == Some(true) {
            return Ok(());
        }
        let out = display_path(self.out);
        let (level, consequence) = match adopt {
            Some(_) => ("error", "building would replace them"),
            None => ("warning", "`fleetc build` refuses to replace them"),
        };
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "{level}: {} that fleetc did not write {} at paths the spec now generates; \
             {consequence}:",
            plural(foreign.len(), "file", "files"),
            if foreign.len() == 1 { "is" } else { "are" },
        );
        for path in foreign.iter().take(SHOWN) {
            let _ = writeln!(err, "  {out}/{path}");
        }
        if foreign.len() > SHOWN {
            let _ = writeln!(err, "  … and {} more", foreign.len() - SHOWN);
        }
        let _ = writeln!(
            err,
            "  = help: move them away, or pass --adopt to `fleetc build` to replace them and \
             own them from now on"
        );
        if adopt.is_none() {
            return Ok(());
        }
        let _ = writeln!(err, "error: nothing was written");
        Err(EXIT_BAD_INPUT)
    }

    /// Locks the output directory for the rest of the command.
    pub(super) fn lock(&self) -> Result<OutputLock, i32> {
        OutputLock::acquire(self.out).map_err(|error| {
            eprintln!("error: {error}");
            EXIT_BAD_INPUT
        })
    }

    pub(super) fn changes<'a>(&self, compiled: &'a Compiled) -> Result<Vec<Change<'a>>, i32> {
        changes(&compiled.tree, self.out).map_err(|error| {
            eprintln!("error: cannot read output directory: {error}");
            EXIT_BAD_INPUT
        })
    }

    /// [`Self::changes`] against a tree read by [`Self::compiled_with_disk`].
    pub(super) fn changes_from<'a>(
        &self,
        compiled: &'a Compiled,
        disk: &'a Tree,
    ) -> Result<Vec<Change<'a>>, i32> {
        changes_from(&compiled.tree, disk, self.out).map_err(|error| {
            eprintln!("error: cannot read output directory: {error}");
            EXIT_BAD_INPUT
        })
    }

    /// The unified diff of every change, then the summary per service and environment.
    pub(super) fn print_changes(&self, changes: &[Change]) {
        let mut stdout = std::io::stdout().lock();
        for change in changes {
            let _ = write!(stdout, "{}", unified(change, self.styled));
        }
        if !changes.is_empty() {
            let _ = writeln!(stdout);
        }
        let _ = write!(stdout, "{}", self.summary(changes));
    }

    /// The files per service and environment first, then the unified diff of each: what a
    /// plan shows after its impact.
    pub(super) fn print_summary_then_changes(&self, changes: &[Change]) {
        let mut stdout = std::io::stdout().lock();
        let _ = write!(stdout, "{}", self.summary(changes));
        if !changes.is_empty() {
            let _ = writeln!(stdout);
        }
        for change in changes {
            let _ = write!(stdout, "{}", unified(change, self.styled));
        }
    }

    /// Files added, changed and removed per service and environment.
    pub(super) fn summary(&self, changes: &[Change]) -> String {
        summary(changes, &Readers::of_changes(changes, self.out))
    }
}

/// What a change from `before` to `after` does, Application by Application.
pub(super) fn change_impact(before: &Tree, after: &Compiled) -> Result<Impact, i32> {
    impact(before, &after.tree, &after.model).map_err(|error| {
        eprintln!("error: cannot render {error}");
        EXIT_BAD_INPUT
    })
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}
