use super::run::{EXIT_BAD_INPUT, EXIT_OK, Outcome, Run};
use crate::edit::split_by_team;
use crate::sink::user_file::{check_editable, replace_user_file};
use crate::source::{Source, display_path};

impl Run<'_> {
    /// Writes the spec as a root and one file per team in `folder` (beside the spec), after
    /// checking the split spec compiles to the very tree the spec did.
    pub(super) fn split(&self, folder: &str) -> Outcome {
        if crate::source::includes::pattern_problem(&format!("{folder}/x.toml")).is_some() {
            eprintln!(
                "error: `{folder}` is not a folder inside the spec's folder; give a relative path such as `teams`"
            );
            return Err(EXIT_BAD_INPUT);
        }
        let source = self.source()?;
        let before = self.compiled_from(&source, self.options())?;
        let split = split_by_team(&before.spec, &source.text, folder).map_err(|error| {
            eprintln!("error: {}", error.message);
            if let Some(help) = &error.help {
                eprintln!("  = help: {help}");
            }
            EXIT_BAD_INPUT
        })?;
        let written = Source::new(self.spec, split.root.clone())
            .with_files(split.files.clone())
            .writing_tree_to(self.out);
        let after = self.compiled_from(&written, self.options())?;
        // CODEOWNERS gains the spec's files; every other file stays as it was.
        let others = |tree: &crate::tree::Tree| -> Vec<(String, Vec<u8>)> {
            tree.iter()
                .filter(|(path, _)| *path != crate::tree::layout::CODEOWNERS)
                .map(|(path, bytes)| (path.to_owned(), bytes.to_vec()))
                .collect()
        };
        if others(&after.tree) != others(&before.tree) {
            eprintln!("error: the split spec would compile to another tree; nothing was written");
            return Err(EXIT_BAD_INPUT);
        }
        let paths: Vec<_> = split
            .files
            .iter()
            .map(|(relative, _)| source.path_of(relative))
            .collect();
        if let Some(taken) = paths
            .iter()
            .find(|path| std::fs::symlink_metadata(path).is_ok())
        {
            eprintln!(
                "error: `{}` exists; nothing was written",
                display_path(taken)
            );
            return Err(EXIT_BAD_INPUT);
        }
        if let Err(error) = check_editable(self.spec) {
            eprintln!("error: {error}; nothing was written");
            return Err(EXIT_BAD_INPUT);
        }
        for (path, (_, text)) in paths.iter().zip(&split.files) {
            if let Err(error) = replace_user_file(path, text.as_bytes()) {
                eprintln!("error: cannot write {}: {error}", display_path(path));
                return Err(EXIT_BAD_INPUT);
            }
        }
        if let Err(error) = replace_user_file(self.spec, split.root.as_bytes()) {
            eprintln!("error: cannot write {}: {error}", display_path(self.spec));
            return Err(EXIT_BAD_INPUT);
        }
        println!(
            "wrote {} team files in {}; {} includes them and compiles to the same tree, with CODEOWNERS giving each team its file",
            paths.len(),
            display_path(&source.path_of(folder)),
            display_path(self.spec)
        );
        Ok(EXIT_OK)
    }
}
