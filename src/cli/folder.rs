use std::fs;
use std::path::Path;

use super::run::EXIT_BAD_INPUT;
use crate::sink::changes::{changes, foreign_files};
use crate::sink::disk::read_tree;
use crate::sink::write::apply;
use crate::source::display_path;
use crate::tree::Tree;

/// Writes `files` into a folder the user names (`render --all --to`, `man --to`): as the tree
/// is written, through no link and by atomic renames, and never over a file fleetc did not
/// write there. `what` names the files in the refusal.
pub(super) fn write_into_folder(files: &Tree, folder: &Path, what: &str) -> Result<(), i32> {
    if let Ok(meta) = fs::symlink_metadata(folder) {
        let problem = if meta.file_type().is_symlink() {
            "is a symbolic link; give the folder it points to"
        } else if !meta.is_dir() {
            "is not a folder"
        } else {
            ""
        };
        if !problem.is_empty() {
            eprintln!(
                "error: --to `{}` {problem}: --to names the folder {what} are written to; \
                 nothing was written",
                display_path(folder)
            );
            return Err(EXIT_BAD_INPUT);
        }
    }
    let foreign = read_tree(folder).map(|disk| foreign_files(files, &disk, folder));
    if let Ok([first, ..]) = foreign.as_deref() {
        eprintln!(
            "error: {} holds files fleetc did not write where it would write {what} (the first \
             is {first}); give an empty or fleetc-written folder to --to; nothing was written",
            display_path(folder)
        );
        return Err(EXIT_BAD_INPUT);
    }
    let written = changes(files, folder).and_then(|c| apply(folder, &c));
    if let Err(error) = written {
        eprintln!("error: cannot write {}: {error}", display_path(folder));
        return Err(EXIT_BAD_INPUT);
    }
    Ok(())
}
