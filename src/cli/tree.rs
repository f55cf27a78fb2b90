use super::common::change_impact;
use super::run::{EXIT_BAD_INPUT, EXIT_NO, EXIT_OK, Outcome, ReportFormat, Run};
use crate::compile::{Compiled, check_spec};
use crate::model::ServiceModel;
use crate::review::{
    DeletionWarning, Impact, PlanReport, SCREENFUL, at_most, deleted_applications,
};
use crate::sink::disk::OnDisk;
use crate::sink::index::place::Clock;
use crate::sink::index::stamp::Stamp;
use crate::sink::index::{self, Inputs, Said};
use crate::sink::write::{apply, remove_temporaries};
use crate::source::diagnostic::escape_data;
use crate::source::display_path;

impl Run<'_> {
    pub(super) fn build(&self, adopt: bool, allow_delete: bool) -> Outcome {
        let key = self.index_key();
        let (_lock, clock, compiled, disk) = if self.out.is_dir() {
            let lock = self.lock()?;
            let said = key
                .as_deref()
                .and_then(|key| index::up_to_date(self.out, self.spec, key));
            if let Some(said) = said {
                self.say_up_to_date(&said);
                return Ok(EXIT_OK);
            }
            let clock = Clock::start(self.out);
            let (compiled, disk) = self.compiled_with_disk()?;
            (lock, clock, compiled, disk)
        } else {
            let (lock, compiled, disk) = self.locked_compile()?;
            (lock, None, compiled, disk)
        };
        self.refuse_foreign(&compiled.tree, &disk.tree, Some(adopt))?;
        let deleted = deleted_applications(&disk.tree, &compiled.tree);
        let order: Vec<String> = compiled
            .model
            .environments
            .iter()
            .map(|e| e.name.clone())
            .collect();
        let warning = DeletionWarning::of(&deleted, &order);
        deletion_guard(warning.as_ref(), allow_delete, self.github, true)?;
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
            print!("{}", self.summary(&changes));
            println!("wrote {out}");
        }
        // A build that wrote files leaves no index: what it wrote is as new as its clock.
        if let (Some(clock), Some(key), true) = (clock, key, changes.is_empty()) {
            self.record_index(clock, key, &compiled, disk);
        }
        Ok(EXIT_OK)
    }

    /// What the tree depends on besides the files it is compiled from: this fleetc, the
    /// places it reads and writes, the day deadlines are judged against, and whether its
    /// warnings are styled. `None` when a place cannot be told.
    fn index_key(&self) -> Option<String> {
        let fleetc = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
        let canonical = |path: &std::path::Path| {
            path.canonicalize()
                .ok()
                .map(|path| path.to_string_lossy().into_owned())
        };
        let out = match self.out.canonicalize() {
            Ok(out) => out.to_string_lossy().into_owned(),
            Err(_) => display_path(self.out),
        };
        Some(index::key(&[
            env!("CARGO_PKG_VERSION").to_owned(),
            Stamp::of(&fleetc).to_text(),
            canonical(self.spec)?,
            out,
            canonical(&std::env::current_dir().ok()?)?,
            self.today.to_string(),
            self.styled_err.to_string(),
        ]))
    }

    fn say_up_to_date(&self, said: &Said) {
        eprint!("{}", said.warnings);
        self.report_unowned(&said.unowned);
        println!(
            "{} is up to date ({} files)",
            display_path(self.out),
            said.files
        );
    }

    /// Keeps what this build read and wrote, so the next build with nothing to do can tell
    /// by looking at the files' stamps.
    fn record_index(&self, clock: Clock, key: String, compiled: &Compiled, disk: OnDisk) {
        let source = &compiled.source;
        let folder = source.folder();
        let inputs = Inputs {
            spec: self.spec,
            folder: &folder,
            beside: source.files_read_beside(),
            patterns: compiled.spec.include.clone(),
            included: source
                .files()
                .into_iter()
                .skip(1)
                .map(|file| file.relative)
                .collect(),
        };
        // The tree on disk is the compiled one: each file as it was read.
        let Some(files) = compiled
            .tree
            .paths()
            .map(|path| Some((*disk.stamps.get(path)?, path.to_owned())))
            .collect::<Option<Vec<_>>>()
        else {
            return;
        };
        let said = Said {
            files: files.len(),
            unowned: disk.folders.unowned,
            warnings: self.rendered(source, &compiled.warnings),
        };
        index::record(clock, self.out, key, &inputs, files, said);
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

    pub(super) fn plan(
        &self,
        format: ReportFormat,
        max_blast: Option<usize>,
        allow_delete: bool,
    ) -> Outcome {
        let (compiled, disk) = self.compiled_with_disk()?;
        let changes = self.changes_from(&compiled, &disk.tree)?;
        self.refuse_foreign(&compiled.tree, &disk.tree, None)?;
        let before = &disk.tree;
        let report = PlanReport {
            impact: change_impact(before, &compiled)?,
            rebuild_pending: compiled
                .model
                .services
                .iter()
                .flat_map(ServiceModel::rebuild_pending)
                .collect(),
        };
        let deletion = report.impact.deletion_warning();
        match format {
            ReportFormat::Text | ReportFormat::Github => {
                if self.github {
                    print!("{}", github_headline(&report.impact, allow_delete));
                }
                print!("{}", report.to_text());
                println!();
                self.print_summary_then_changes(&changes);
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
        let blast = blast_guard(&report.impact, max_blast, self.github);
        let deletion = deletion_guard(deletion.as_ref(), allow_delete, false, false);
        Ok(blast.max(deletion.unwrap_or_else(|code| code)))
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

/// Exit 1 when the change deletes Applications, unless `--allow-delete` says it is meant;
/// a command that `writes` writes nothing then.
pub(super) fn deletion_guard(
    warning: Option<&DeletionWarning>,
    allow: bool,
    github: bool,
    writes: bool,
) -> Result<i32, i32> {
    let Some(warning) = warning else {
        return Ok(EXIT_OK);
    };
    let text = warning.to_text();
    if allow {
        eprintln!(
            "warning: this change {} (--allow-delete):{}",
            warning.sentence,
            warning.indented_lines()
        );
        return Ok(EXIT_OK);
    }
    if github {
        println!(
            "::error title=Applications deleted::This change {}%0APass --allow-delete if that is meant.",
            escape_data(&text)
        );
    }
    eprintln!("error: this change {text}");
    eprintln!(
        "  = help: removing or renaming a service, removing an environment or narrowing a \
         service's `environments` deletes its Applications (a rename deletes them and creates \
         new ones); if that is meant, run again with --allow-delete, otherwise restore them in \
         the spec"
    );
    if writes {
        eprintln!("error: nothing was written");
    }
    Err(EXIT_NO)
}

/// The headline as GitHub Actions annotations, above the report: deletions as an error (a
/// warning once allowed), the impact as a notice.
pub(super) fn github_headline(impact: &Impact, allow_delete: bool) -> String {
    let mut out = String::new();
    if let Some(warning) = impact.deletion_warning() {
        let level = if allow_delete { "warning" } else { "error" };
        out.push_str(&format!(
            "::{level} title=Applications deleted::This change {}\n",
            escape_data(&warning.to_text())
        ));
    }
    if !impact.is_empty() {
        out.push_str(&format!(
            "::notice title=Impact::{}\n",
            impact.summary_line()
        ));
    }
    out
}

/// Exit 1 when one change touches more than `limit` services in one environment.
pub(super) fn blast_guard(impact: &Impact, limit: Option<usize>, github: bool) -> i32 {
    let Some(limit) = limit else { return EXIT_OK };
    let over = impact.over_blast(limit);
    for (env, services) in &over {
        let per_cluster: Vec<String> = impact
            .services_per_cluster(env)
            .iter()
            .map(|(cluster, count)| format!("{count} in {cluster}"))
            .collect();
        let clusters = if per_cluster.is_empty() {
            String::new()
        } else {
            format!(" ({})", per_cluster.join(", "))
        };
        let message = format!(
            "this change touches {} services in `{env}`{clusters}, more than --max-blast {limit}: {}",
            services.len(),
            at_most(services, SCREENFUL)
        );
        if github {
            println!("::error title=Blast radius::{message}");
        }
        eprintln!("error: {message}");
    }
    if over.is_empty() { EXIT_OK } else { EXIT_NO }
}
