use super::{EXIT_BAD_INPUT, EXIT_NO, EXIT_OK, Run};
use crate::compile::compile;
use crate::edit::{ReleaseAction, apply_release_action};
use crate::sink::changes::between;
use crate::sink::write::write_atomic;
use crate::source::{Source, display_path};

impl Run<'_> {
    /// Edits the spec (never the tree), after checking the edited spec compiles, and prints
    /// the plan of the tree change the edit implies.
    pub(super) fn edit_release(&self, service: &str, env: &str, action: &ReleaseAction) -> i32 {
        let source = match self.source() {
            Ok(s) => s,
            Err(code) => return code,
        };
        let before = match compile(&source, self.today) {
            Ok(compiled) => compiled,
            Err(diagnostics) => {
                self.report(&source, &diagnostics);
                return EXIT_BAD_INPUT;
            }
        };
        let edited = match apply_release_action(&before.spec, &source.text, service, env, action) {
            Ok(edited) => edited,
            Err(error) => {
                eprintln!("error: {error}");
                return if error.refused {
                    EXIT_NO
                } else {
                    EXIT_BAD_INPUT
                };
            }
        };
        let new_source = Source::new(self.spec, edited.text.clone());
        let after = match compile(&new_source, self.today) {
            Ok(compiled) => compiled,
            Err(diagnostics) => {
                self.report(&new_source, &diagnostics);
                eprintln!("error: the edit would leave the spec invalid; it was not written");
                return EXIT_BAD_INPUT;
            }
        };
        if let Err(error) = write_atomic(self.spec, edited.text.as_bytes()) {
            eprintln!("error: cannot write the spec: {error}");
            return EXIT_BAD_INPUT;
        }
        let changes = between(&before.tree, &after.tree);
        println!("{}\n", edited.summary);
        self.print_changes(&changes);
        println!(
            "updated {}; run `fleetc build` to write the tree",
            display_path(self.spec)
        );
        EXIT_OK
    }
}
