//! The command line: parsing, and one `Run` method per command.

mod advance;
mod apps;
mod commit;
mod common;
mod diff;
mod edit;
mod edit_command;
mod edit_output;
mod folder;
mod governance;
mod impact;
mod init;
mod man;
mod render;
mod run;
mod sync_windows;
mod tree;
mod why;
mod workflow;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::source::DEFAULT_SPEC;
use crate::spec::Date;
use crate::tree::DEFAULT_OUT;
use edit_command::EditCommand;
use run::{
    CheckFormat, EXIT_BAD_INPUT, EXIT_OK, Format, Outcome, ReportFormat, Run, parse_date,
    parse_moment,
};

#[derive(Debug, Parser)]
#[command(
    name = "fleetc",
    version,
    about = "Compile enterprise.toml into a Kustomize + Argo CD GitOps tree"
)]
pub(crate) struct Cli {
    /// The spec to compile.
    #[arg(long, global = true, default_value = DEFAULT_SPEC)]
    spec: PathBuf,
    /// The output directory of the generated tree.
    #[arg(long, global = true, default_value = DEFAULT_OUT)]
    out: PathBuf,
    /// The day deadlines and exceptions are judged against (YYYY-MM-DD; default: today, UTC).
    #[arg(long, global = true, value_parser = parse_date)]
    today: Option<Date>,
    /// The moment sync windows and soak times are judged at (RFC 3339, such as
    /// `2026-12-24T10:00:00Z`; default: now). Deadlines and exceptions follow --today.
    #[arg(long, global = true, value_parser = parse_moment)]
    now: Option<jiff::Timestamp>,
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CiHost {
    /// GitHub Actions.
    Github,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compile the spec and write the tree (unchanged files are not rewritten).
    Build {
        /// Replace files fleetc did not write at paths the spec generates, and own them.
        #[arg(long)]
        adopt: bool,
        /// Go ahead although the change deletes Argo CD Applications (a service removed or
        /// renamed, an environment removed, a service's `environments` narrowed).
        #[arg(long)]
        allow_delete: bool,
    },
    /// Exit 1 with the diff when the tree on disk differs from what the spec compiles to.
    Check {
        /// `github` prints problems as GitHub Actions annotations.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Show what `build` would change: the diff, and the impact per environment and service.
    Plan {
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Exit 1 when the change touches more than N services in any one environment.
        #[arg(long, value_name = "N")]
        max_blast: Option<usize>,
        /// Go ahead although the change deletes Argo CD Applications (a service removed or
        /// renamed, an environment removed, a service's `environments` narrowed).
        #[arg(long)]
        allow_delete: bool,
    },
    /// Compare the rendered manifests of the spec at git revision BASE with the working spec,
    /// per Application: the preview a reviewer reads on a pull request.
    Diff {
        #[arg(long, value_name = "REV")]
        base: String,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// With --format markdown: the most characters one part may hold (a GitHub comment
        /// holds 65,536); longer previews are split into parts.
        #[arg(long, value_name = "N", default_value_t = 65_000)]
        max_comment_chars: usize,
        /// Exit 1 when the change touches more than N services in any one environment.
        #[arg(long, value_name = "N")]
        max_blast: Option<usize>,
        /// Go ahead although the change deletes Argo CD Applications (a service removed or
        /// renamed, an environment removed, a service's `environments` narrowed).
        #[arg(long)]
        allow_delete: bool,
    },
    /// Build, show the plan, and commit the spec and the tree with git.
    Commit {
        /// The commit message (default: a summary of the impact).
        #[arg(short, long)]
        message: Option<String>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
        /// Replace files fleetc did not write at paths the spec generates, and own them.
        #[arg(long)]
        adopt: bool,
        /// Go ahead although the change deletes Argo CD Applications (a service removed or
        /// renamed, an environment removed, a service's `environments` narrowed).
        #[arg(long)]
        allow_delete: bool,
    },
    /// List the Applications the ApplicationSets will produce.
    Apps {
        #[arg(long)]
        env: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Name the spec key and line that produced a generated file or line (`PATH[:LINE]`).
    Why { target: String },
    /// Check the spec only.
    Validate {
        /// `github` prints problems as GitHub Actions annotations.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    #[command(flatten)]
    Edit(EditCommand),
    /// Which services, in which environments, run on a base image (and which Dockerfiles);
    /// answers on a spec whose only errors are blocked or expired base images.
    Impact {
        /// `NAME[:VERSION]` of `[base_images]`, or the image repository.
        image: String,
        /// Also list the Dockerfiles and Containerfiles below DIR whose `FROM` names the image.
        #[arg(long, value_name = "DIR")]
        dockerfiles: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the hydrated manifests of one overlay, merged by fleetc (no kustomize binary).
    Render {
        /// The service (with ENV), or nothing with --all.
        #[arg(required_unless_present = "all")]
        service: Option<String>,
        /// The environment, or `ENV/CLUSTER` for one cluster of an environment that lists
        /// clusters.
        #[arg(required_unless_present = "all")]
        env: Option<String>,
        /// Every overlay: one stream, or with --to one file per overlay.
        #[arg(long, conflicts_with_all = ["service", "env"])]
        all: bool,
        /// Write each overlay's manifests to a file in DIR instead of printing them.
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
    },
    /// Write a starter spec (to --spec) of N services in three environments.
    Init {
        #[arg(long, default_value_t = 10)]
        services: usize,
        /// Overwrite an existing spec.
        #[arg(long)]
        force: bool,
    },
    /// Write the GitOps repository's pull-request workflow (to .github/workflows/fleetc.yml):
    /// the regeneration check, the blast-radius guard, the preview comments, environment
    /// labels and review requests, running fleetc with this --spec and --out.
    Workflow {
        host: CiHost,
        /// Where to write it, relative to the repository root (the working directory).
        #[arg(long, value_name = "PATH", default_value = crate::workflow::github::DEFAULT_PATH)]
        to: PathBuf,
        /// The guard fails a change that touches more than N services in one environment.
        #[arg(long, value_name = "N", default_value_t = crate::workflow::github::DEFAULT_MAX_BLAST)]
        max_blast: usize,
        /// Replace a file at PATH that fleetc did not write.
        #[arg(long, conflicts_with = "print")]
        force: bool,
        /// Print the workflow instead of writing it.
        #[arg(long)]
        print: bool,
        /// Install fleetc from this git repository, at the tag `v<version>` (default: from
        /// crates.io at this version).
        #[arg(long, value_name = "GIT_URL")]
        install_from: Option<String>,
    },
    /// Print the JSON Schema of the spec.
    Schema,
    /// Write the man pages (`fleetc.1`, and `fleetc-<command>.1` for each command) into DIR.
    Man {
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                EXIT_BAD_INPUT
            } else {
                EXIT_OK
            };
        }
    };
    let styled = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let github = matches!(
        cli.command,
        Command::Check {
            format: CheckFormat::Github
        } | Command::Validate {
            format: CheckFormat::Github
        } | Command::Plan {
            format: ReportFormat::Github,
            ..
        } | Command::Diff {
            format: ReportFormat::Github,
            ..
        }
    );
    let run = Run {
        github,
        spec: &cli.spec,
        out: &cli.out,
        styled,
        styled_err: styled && std::io::stderr().is_terminal(),
        today: cli.today.unwrap_or_else(Date::today),
        now: cli.now.unwrap_or_else(jiff::Timestamp::now),
    };
    run_command(&run, cli.command).unwrap_or_else(|code| code)
}

fn run_command(run: &Run<'_>, command: Command) -> Outcome {
    match command {
        Command::Build {
            adopt,
            allow_delete,
        } => run.build(adopt, allow_delete),
        Command::Check { .. } => run.check(),
        Command::Plan {
            format,
            max_blast,
            allow_delete,
        } => run.plan(format, max_blast, allow_delete),
        Command::Commit {
            message,
            yes,
            adopt,
            allow_delete,
        } => run.commit(message.as_deref(), yes, adopt, allow_delete),
        Command::Apps { env, format } => run.apps(env.as_deref(), format),
        Command::Why { target } => run.why(&target),
        Command::Diff {
            base,
            format,
            max_comment_chars,
            max_blast,
            allow_delete,
        } => run.diff(&base, format, max_comment_chars, max_blast, allow_delete),
        Command::Validate { .. } => run.validate(),
        Command::Edit(edit) => edit.run(run),
        Command::Init { services, force } => run.init(services, force),
        Command::Render {
            service, env, to, ..
        } => {
            let target = service.as_deref().zip(env.as_deref());
            run.render(target, to.as_deref())
        }
        Command::Impact {
            image,
            dockerfiles,
            format,
        } => run.impact(&image, dockerfiles.as_deref(), format),
        Command::Workflow {
            host: CiHost::Github,
            to,
            max_blast,
            force,
            print,
            install_from,
        } => run.workflow_github(&to, max_blast, force, print, install_from.as_deref()),
        Command::Schema => {
            print!("{}", crate::parse::schema::spec_schema_text());
            Ok(EXIT_OK)
        }
        Command::Man { to } => man::write_man_pages(Cli::command(), &to),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "fleetc", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
    }
}
