use std::io::{BufRead, IsTerminal, Write};

use super::common::change_impact;
use super::run::{EXIT_BAD_INPUT, EXIT_OK, Outcome, Run};
use super::tree::deletion_guard;
use crate::git::commit::CommitTarget;
use crate::review::Impact;
use crate::sink::write::apply;

impl Run<'_> {
    /// Build, show the plan, confirm, and commit the spec and the tree together.
    pub(super) fn commit(
        &self,
        message: Option<&str>,
        yes: bool,
        adopt: bool,
        allow_delete: bool,
    ) -> Outcome {
        // An existing tree is locked through the confirmation, so what is shown is what gets
        // written; a missing one is created only once the commit is confirmed.
        let early_lock = if self.out.is_dir() {
            Some(self.lock()?)
        } else {
            None
        };
        let (compiled, disk) = self.compiled_with_disk()?;
        self.refuse_foreign(&compiled.tree, &disk.tree, Some(adopt))?;
        let before = disk.tree;
        // The files the spec includes are committed with it, as the files it lists are.
        let mut beside: Vec<String> = compiled.model.own_file_paths().into_iter().collect();
        beside.extend(
            compiled
                .source
                .files()
                .into_iter()
                .skip(1)
                .map(|file| file.relative),
        );
        let target = match CommitTarget::open(self.spec, self.out, &beside) {
            Ok(target) => target,
            Err(message) => {
                eprintln!("error: {message}");
                return Err(EXIT_BAD_INPUT);
            }
        };
        let mut changes = self.changes_from(&compiled, &before)?;
        let impact = change_impact(&before, &compiled)?;
        print!("{}", impact.to_text());
        deletion_guard(
            impact.deletion_warning().as_ref(),
            allow_delete,
            false,
            true,
        )?;
        if !yes && !confirm(changes.len()) {
            return Err(EXIT_BAD_INPUT);
        }
        let _lock = if let Some(lock) = early_lock {
            lock
        } else {
            let lock = self.lock()?;
            changes = self.changes(&compiled)?;
            lock
        };
        if let Err(error) = apply(self.out, &changes) {
            eprintln!("error: writing the tree failed: {error}");
            return Err(EXIT_BAD_INPUT);
        }
        let message = message.map_or_else(|| default_message(&impact), str::to_owned);
        match target.commit(&changes, &message) {
            Ok(Some(id)) => {
                println!(
                    "committed {}: {}",
                    &id[..12],
                    message.lines().next().unwrap_or("")
                );
                Ok(EXIT_OK)
            }
            Ok(None) => {
                println!("nothing to commit: the spec and the tree are as committed");
                Ok(EXIT_OK)
            }
            Err(message) => {
                eprintln!("error: {message}");
                Ok(EXIT_BAD_INPUT)
            }
        }
    }
}

/// Asks on a terminal; without one, `--yes` is required.
fn confirm(files: usize) -> bool {
    if !std::io::stdin().is_terminal() {
        eprintln!("error: no terminal to confirm on; pass --yes to commit");
        return false;
    }
    print!("Commit the spec and {files} changed files? [y/N] ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    let yes = matches!(answer.trim(), "y" | "Y" | "yes");
    if !yes {
        eprintln!("not committed");
    }
    yes
}

/// `fleetc: users-prod live colour blue → green` for one Application, a count otherwise, then
/// one line per Application.
fn default_message(impact: &Impact) -> String {
    let apps: Vec<_> = impact.applications().collect();
    let describe = |app: &crate::review::AppImpact| {
        let changes: Vec<String> = app
            .changes
            .iter()
            .map(crate::review::AppChange::describe)
            .collect();
        format!("{}: {}", app.name(), changes.join(", "))
    };
    let subject = match apps.as_slice() {
        [] if impact.platform_files.is_empty() => "fleetc: update the spec".to_owned(),
        [] => "fleetc: update platform files".to_owned(),
        [app] => format!("fleetc: {}", describe(app)),
        many => format!("fleetc: {} Applications change", many.len()),
    };
    let mut message = subject;
    if apps.len() > 1 {
        message.push('\n');
        for app in apps {
            message.push_str(&format!("\n- {}", describe(app)));
        }
    }
    message.push('\n');
    message
}
