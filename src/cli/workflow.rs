use std::fs;
use std::io;
use std::path::Path;

use super::run::{EXIT_BAD_INPUT, EXIT_OK, Outcome, Run};
use crate::sink::links::first_link;
use crate::sink::write::write_atomic;
use crate::source::display_path;
use crate::workflow::github::{GithubWorkflow, is_written_by_fleetc};
use crate::workflow::repository_path;

impl Run<'_> {
    /// Writes (or prints) the pull-request workflow for GitHub Actions. A file fleetc wrote
    /// is rewritten; any other is left alone unless `force`.
    pub(super) fn workflow_github(
        &self,
        to: &Path,
        max_blast: usize,
        force: bool,
        print: bool,
        install_from: Option<&str>,
        bots: &[String],
    ) -> Outcome {
        let bots: Vec<String> = bots.iter().filter(|b| !b.is_empty()).cloned().collect();
        if let Some((bot, problem)) = bots
            .iter()
            .find_map(|bot| crate::workflow::github::bot_problem(bot).map(|p| (bot, p)))
        {
            eprintln!("error: --bots `{bot}` {problem}");
            return Err(EXIT_BAD_INPUT);
        }
        if let Some(url) = install_from
            && let Some(problem) = crate::workflow::github::git_url_problem(url)
        {
            eprintln!("error: --install-from `{url}` {problem}");
            return Err(EXIT_BAD_INPUT);
        }
        let spec = named_in_workflow("--spec", self.spec)?;
        let out = named_in_workflow("--out", self.out)?;
        if !self.spec.is_file() {
            eprintln!(
                "error: there is no spec at `{spec}` for the workflow to check; give its path \
                 with --spec, or write one with `fleetc init`"
            );
            return Err(EXIT_BAD_INPUT);
        }
        let path = workflow_place(to, print)?;
        let text = GithubWorkflow {
            spec,
            out,
            path,
            max_blast,
            install_from: install_from.map(str::to_owned),
            bots,
        }
        .text();
        if print {
            print!("{text}");
            return Ok(EXIT_OK);
        }
        let shown = display_path(to);
        match fs::read(to) {
            Ok(existing) if existing == text.as_bytes() => {
                println!("{shown} is up to date");
                return Ok(EXIT_OK);
            }
            Ok(existing) if !force && !is_written_by_fleetc(&existing) => {
                eprintln!(
                    "error: `{shown}` exists and fleetc did not write it; pass --force to replace \
                     it, or --to to write the workflow elsewhere"
                );
                return Err(EXIT_BAD_INPUT);
            }
            Ok(_) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => {
                eprintln!("error: cannot read `{shown}`: {error}");
                return Err(EXIT_BAD_INPUT);
            }
        }
        if let Err(error) = write_atomic(to, text.as_bytes()) {
            eprintln!("error: cannot write the workflow: {error}");
            return Err(EXIT_BAD_INPUT);
        }
        println!("wrote {shown}; pull requests run it once it is committed");
        Ok(EXIT_OK)
    }
}

/// Where the workflow is written, as the repository names it: inside the repository
/// (the working directory) and reached through no symbolic link, since a link could send
/// the write anywhere on the machine. A printed workflow is written nowhere and may name
/// any path.
fn workflow_place(to: &Path, print: bool) -> Result<Option<String>, i32> {
    let place = repository_path(to);
    if print {
        return Ok(place.ok());
    }
    let relative = place.map_err(|valid| {
        eprintln!(
            "error: --to `{}` is not a place in the repository; fleetc writes the workflow \
             only inside it, and --to takes {valid}",
            to.display()
        );
        EXIT_BAD_INPUT
    })?;
    if let Some(link) = first_link(Path::new(""), &relative) {
        eprintln!(
            "error: `{}` is a symbolic link; fleetc writes the workflow only inside the \
             repository and will not follow it (remove the link, or give another --to)",
            display_path(&link)
        );
        return Err(EXIT_BAD_INPUT);
    }
    Ok(Some(relative))
}

/// The path as the workflow's commands name it, or the refusal that says what would do.
fn named_in_workflow(option: &str, path: &Path) -> Result<String, i32> {
    repository_path(path).map_err(|valid| {
        eprintln!(
            "error: {option} `{}` cannot be named in the workflow; it takes {valid}",
            path.display()
        );
        EXIT_BAD_INPUT
    })
}
