use super::{EXIT_BAD_INPUT, EXIT_NO, EXIT_OK, Run};
use crate::compile::check_spec;
use crate::sink::summary::summary;
use crate::sink::write::apply;
use crate::source::display_path;

impl Run<'_> {
    pub(super) fn build(&self) -> i32 {
        let compiled = match self.compiled() {
            Ok(c) => c,
            Err(code) => return code,
        };
        let changes = match self.changes(&compiled) {
            Ok(c) => c,
            Err(code) => return code,
        };
        if let Err(error) = apply(self.out, &changes) {
            eprintln!("error: writing the tree failed: {error}");
            return EXIT_BAD_INPUT;
        }
        let out = display_path(self.out);
        if changes.is_empty() {
            println!("{out} is up to date ({} files)", compiled.tree.len());
        } else {
            print!("{}", summary(&changes));
            println!("wrote {out}");
        }
        EXIT_OK
    }

    pub(super) fn check(&self) -> i32 {
        let compiled = match self.compiled() {
            Ok(c) => c,
            Err(code) => return code,
        };
        let changes = match self.changes(&compiled) {
            Ok(c) => c,
            Err(code) => return code,
        };
        let out = display_path(self.out);
        if changes.is_empty() {
            println!("{out} is up to date");
            return EXIT_OK;
        }
        self.print_changes(&changes);
        println!(
            "{out} is stale: it differs from what `{}` compiles to; run `fleetc build` and commit the result",
            display_path(self.spec)
        );
        EXIT_NO
    }

    pub(super) fn plan(&self) -> i32 {
        let compiled = match self.compiled() {
            Ok(c) => c,
            Err(code) => return code,
        };
        let changes = match self.changes(&compiled) {
            Ok(c) => c,
            Err(code) => return code,
        };
        self.print_changes(&changes);
        EXIT_OK
    }

    pub(super) fn validate(&self) -> i32 {
        let source = match self.source() {
            Ok(s) => s,
            Err(code) => return code,
        };
        match check_spec(&source, self.today) {
            Ok((parsed, warnings)) => {
                self.report(&source, &warnings);
                println!(
                    "{} is valid: {} services in {} environments",
                    source.display_path(),
                    parsed.spec.services.len(),
                    parsed.spec.environments.len()
                );
                EXIT_OK
            }
            Err(diagnostics) => {
                self.report(&source, &diagnostics);
                EXIT_BAD_INPUT
            }
        }
    }
}
