use super::common::change_impact;
use super::run::{EXIT_BAD_INPUT, Outcome, ReportFormat, Run};
use super::tree::{blast_guard, deletion_guard, github_headline};
use crate::compile::{Compiled, TreeMade, compile};
use crate::emit::emit_for_review;
use crate::git::{reader_at_revision, repository_of, spec_at_revision};
use crate::review::{Impact, PART_SEPARATOR, markdown_comment};
use crate::source::Source;

/// The change from the spec at a base revision to the working spec.
pub(super) struct Compared {
    pub impact: Impact,
    pub before: Compiled,
    pub after: Compiled,
}

impl Run<'_> {
    /// Compiles the spec at `base` and the working spec, and shows how the rendered
    /// manifests of every Application differ.
    pub(super) fn diff(
        &self,
        base: &str,
        format: ReportFormat,
        max_comment_chars: usize,
        max_blast: Option<usize>,
        allow_delete: bool,
    ) -> Outcome {
        let Compared { impact, .. } = self.compared_with(base)?;
        match format {
            ReportFormat::Text | ReportFormat::Github => {
                if self.github {
                    print!("{}", github_headline(&impact, allow_delete));
                }
                print!("{}", impact.to_text());
                for app in impact.applications() {
                    print!("\n{}", app.diff);
                }
            }
            ReportFormat::Markdown => {
                let parts = markdown_comment(&impact, base, max_comment_chars);
                print!("{}", parts.join(&format!("\n{PART_SEPARATOR}\n")));
            }
            ReportFormat::Json => {
                let mut report = impact.to_json();
                report["base"] = serde_json::json!(base);
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).expect("a report serializes")
                );
            }
        }
        let blast = blast_guard(&impact, max_blast, self.github);
        let warning = impact.deletion_warning();
        let deletion = deletion_guard(warning.as_ref(), allow_delete, false, false);
        Ok(blast.max(deletion.unwrap_or_else(|code| code)))
    }
}

impl Run<'_> {
    /// Compiles the spec at `base` and the working spec, and what changes between them.
    pub(super) fn compared_with(&self, base: &str) -> Result<Compared, i32> {
        let working = self.source()?;
        let unemitted = self.options().making(TreeMade::Nothing);
        let mut after = self.compiled_from(&working, unemitted)?;
        let base_text = match spec_at_revision(self.spec, base) {
            Ok(text) => text,
            Err(message) => {
                eprintln!("error: {message}");
                return Err(EXIT_BAD_INPUT);
            }
        };
        let reader = reader_at_revision(self.spec, base);
        let base_source =
            self.included(Source::at_revision(self.spec, base_text, base).reading_beside(reader))?;
        let spec_changed = changed_spec_files(&base_source, &working);
        let before = match compile(&base_source, unemitted) {
            Ok(compiled) => compiled,
            Err(diagnostics) => {
                self.report(&base_source, &diagnostics);
                eprintln!(
                    "error: the spec at `{base}` does not compile, so there is nothing to compare with"
                );
                return Err(EXIT_BAD_INPUT);
            }
        };
        let (before_tree, after_tree) = emit_for_review(&before.model, &after.model);
        after.tree = after_tree;
        let mut impact = change_impact(&before_tree, &after)?;
        // The pull request changes the spec as well as the tree.
        if let Ok((_, root)) = repository_of(self.spec) {
            let folder = root.parent().unwrap_or(std::path::Path::new(""));
            for relative in &spec_changed {
                let path = if relative.is_empty() {
                    root.clone()
                } else {
                    folder.join(relative)
                };
                impact.ask_owners_of_repository_file(&before_tree, &path.to_string_lossy());
            }
        }
        Ok(Compared {
            impact,
            before,
            after,
        })
    }
}

/// The files of the spec (relative to its folder; the root as empty) that differ between
/// `base` and `working`, or that one has and the other not.
fn changed_spec_files(base: &Source, working: &Source) -> Vec<String> {
    let texts = |source: &Source| -> std::collections::BTreeMap<String, String> {
        source
            .files()
            .into_iter()
            .map(|file| (file.relative.clone(), source.text[file.range].to_owned()))
            .collect()
    };
    let (before, after) = (texts(base), texts(working));
    let mut changed: Vec<String> = after
        .iter()
        .filter(|(relative, text)| before.get(*relative) != Some(*text))
        .map(|(relative, _)| relative.clone())
        .collect();
    changed.extend(
        before
            .keys()
            .filter(|relative| !after.contains_key(*relative))
            .cloned(),
    );
    changed
}
