use super::common::change_impact;
use super::{EXIT_BAD_INPUT, EXIT_NO, EXIT_OK, Outcome, ReportFormat, Run};
use crate::compile::check_spec;
use crate::model::ServiceModel;
use crate::review::{Impact, PlanReport};
use crate::sink::summary::summary;
use crate::sink::write::{apply, remove_temporaries};
use crate::source::display_path;

impl Run<'_> {
    pub(super) fn build(&self, adopt: bool) -> Outcome {
        let (_lock, compiled, disk) = self.locked_compile()?;
        self.refuse_foreign(&compiled.tree, &disk.tree, Some(adopt))?;
        let changes = self.changes_from(&compiled, &disk.tree)?;
        // With nothing to write there is nothing to sync; only what a killed run left goes.
        let written = if changes.is_empty() {
            remove_temporaries(self.out, &disk.folders.temporaries)
        } else {
            apply(self.out, &changes)
        };
        if let Err(error) = written {
            eprintln!("error: writing the tree failed: {error}");
            return Err(EXIT_BAD_INPUT);
        }
        self.report_unowned(&disk.folders.unowned);
        let out = display_path(self.out);
        if changes.is_empty() {
            println!("{out} is up to date ({} files)", compiled.tree.len());
        } else {
            print!("{}", summary(&changes));
            println!("wrote {out}");
        }
        Ok(EXIT_OK)
    }

    pub(super) fn check(&self) -> Outcome {
        let (compiled, disk) = self.compiled_with_disk()?;
        let changes = self.changes_from(&compiled, &disk.tree)?;
        self.report_unowned(&disk.folders.unowned);
        self.refuse_foreign(&compiled.tree, &disk.tree, None)?;
        let out = display_path(self.out);
        if changes.is_empty() {
            println!("{out} is up to date");
            return Ok(EXIT_OK);
        }
        if self.github {
            for change in &changes {
                println!(
                    "::error file={out}/{}::This file is stale: the spec compiles to something else. Run `fleetc build` and commit the result.",
                    change.path
                );
            }
        }
        self.print_changes(&changes);
        println!(
            "{out} is stale: it differs from what `{}` compiles to; run `fleetc build` and commit the result",
            display_path(self.spec)
        );
        Ok(EXIT_NO)
    }

    pub(super) fn plan(&self, format: ReportFormat, max_blast: Option<usize>) -> Outcome {
        let (compiled, disk) = self.compiled_with_disk()?;
        let changes = self.changes_from(&compiled, &disk.tree)?;
        self.refuse_foreign(&compiled.tree, &disk.tree, None)?;
        let before = disk.tree;
        let report = PlanReport {
            impact: change_impact(&before, &compiled)?,
            rebuild_pending: compiled
                .model
                .services
                .iter()
                .flat_map(ServiceModel::rebuild_pending)
                .collect(),
        };
        match format {
            ReportFormat::Text | ReportFormat::Github => {
                self.print_changes(&changes);
                print!("\n{}", report.to_text());
            }
            ReportFormat::Markdown => print!("{}", report.to_markdown()),
            ReportFormat::Json => {
                let mut json = report.to_json();
                json["files"] = serde_json::json!(changes
                    .iter()
                    .map(|c| serde_json::json!({ "path": c.path, "change": format!("{:?}", c.kind).to_lowercase() }))
                    .collect::<Vec<_>>());
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json).expect("a report serializes")
                );
            }
        }
        Ok(blast_guard(&report.impact, max_blast, self.github))
    }
    pub(super) fn validate(&self) -> Outcome {
        let source = self.source()?;
        match check_spec(&source, self.today) {
            Ok((parsed, warnings)) => {
                self.report(&source, &warnings);
                println!(
                    "{} is valid: {} services in {} environments",
                    source.display_path(),
                    parsed.spec.services.len(),
                    parsed.spec.environments.len()
                );
                Ok(EXIT_OK)
            }
            Err(diagnostics) => {
                self.report(&source, &diagnostics);
                Ok(EXIT_BAD_INPUT)
            }
        }
    }
}

/// Exit 1 when one change touches more than `limit` services in one environment.
pub(super) fn blast_guard(impact: &Impact, limit: Option<usize>, github: bool) -> i32 {
    let Some(limit) = limit else { return EXIT_OK };
    let over = impact.over_blast(limit);
    for (env, services) in &over {
        let message = format!(
            "this change touches {} services in `{env}`, more than --max-blast {limit}: {}",
            services.len(),
            services.join(", ")
        );
        if github {
            println!("::error title=Blast radius::{message}");
        }
        eprintln!("error: {message}");
    }
    if over.is_empty() { EXIT_OK } else { EXIT_NO }
}
