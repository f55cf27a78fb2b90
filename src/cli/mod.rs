//! The command line: parsing, and one `Run` method per command.

mod advance;
mod approvals;
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
mod import;
mod init;
mod man;
mod merge_driver;
mod render;
mod run;
mod split;
mod sync_windows;
mod tree;
mod why;
mod workflow;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::source::DEFAULT_SPEC;
use crate::spec::Date;
use crate::tree::DEFAULT_OUT;
use edit_command::EditCommand;
use run::{
    CheckFormat, EXIT_BAD_INPUT, EXIT_OK, Format, Outcome, ReportFormat, Run, parse_date,
    parse_moment,
};

/// Compile enterprise.toml into a Kustomize + Argo CD GitOps tree
///
/// A platform team describes its estate in one file (environments, teams, base
/// images, services and their release state); fleetc compiles it into a complete
/// Kustomize + Argo CD tree, the same bytes on every run, and edits it by command.
///
/// Exit codes: 0 success or up to date; 1 the answer is no (a stale tree, a
/// release out of order, a change that deletes Applications unasked); 2 bad input
/// or usage, named at its file, line and column, with nothing written.
#[derive(Debug, Parser)]
#[command(name = "fleetc", version, verbatim_doc_comment)]
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

#[derive(Debug, Clone, Copy, Subcommand)]
enum MergeDriverAction {
    /// Name the driver in the repository's git config, give it the spec and the tree in
    /// .gitattributes, and write the post-merge hook
    Install,
    /// Rebuild the tree after a merge and put it in the merge commit (the post-merge hook)
    PostMerge {
        /// 1 for a squash merge, as git passes it to the hook.
        squash: Option<u8>,
    },
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compile the spec and write the tree
    ///
    /// Writes every file the spec produces under --out. A file that would get the
    /// same bytes is not rewritten (its mtime stays); a file an earlier build wrote
    /// that the spec no longer produces is removed. Files fleetc did not write are
    /// never touched: where the spec now generates one of their paths, the build
    /// stops and names them, unless --adopt lets fleetc replace and own them.
    ///
    /// A change that deletes Argo CD Applications (a service removed or renamed, an
    /// environment removed, a service's `environments` narrowed) stops with exit 1
    /// and writes nothing, unless --allow-delete.
    #[command(verbatim_doc_comment)]
    Build {
        /// Replace files fleetc did not write at paths the spec generates, and own them.
        #[arg(long)]
        adopt: bool,
        /// Go ahead although the change deletes Argo CD Applications (a service removed or
        /// renamed, an environment removed, a service's `environments` narrowed).
        #[arg(long)]
        allow_delete: bool,
    },
    /// Exit 1 with a diff when the tree differs from what the spec compiles to
    ///
    /// The regeneration check CI runs: exit 0 when the tree under --out is exactly
    /// what the spec compiles to, exit 1 with a unified diff when it is not (a hand
    /// edit of a generated file counts). Writes nothing. With --format github,
    /// problems are printed as GitHub Actions annotations.
    #[command(verbatim_doc_comment)]
    Check {
        /// `github` prints problems as GitHub Actions annotations.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Show what `build` would change, headline first
    ///
    /// The Applications that would be deleted, then those changed per environment
    /// (production first), created and deleted, the CI template and Terraform changes
    /// and the owners to request; then each Application's changes by kind; then the
    /// files per service and environment, and the unified diff last. Writes nothing.
    ///
    /// --max-blast N exits 1 when the change touches more than N services in one
    /// environment, naming them; a change that deletes Applications exits 1 unless
    /// --allow-delete. --format json adds the owners to request reviews from and the
    /// labels (`env:<name>`, `ci`, `terraform`).
    #[command(verbatim_doc_comment)]
    Plan {
        /// `markdown` for a comment, `json` for scripts, `github` for annotations.
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
    /// Preview a pull request: the rendered change from the spec at REV
    ///
    /// Reads the spec at git revision REV from the object database (no checkout),
    /// compiles both revisions in memory and shows the difference of the rendered
    /// manifests per Application, after the same headline as `plan`. This is what CI
    /// runs on a pull request.
    ///
    /// --format markdown is a pull-request comment: a summary table, a diagram of the
    /// traffic that moves and one collapsible section per Application, split into
    /// parts of at most --max-comment-chars characters separated by
    /// `<!-- fleetc: next comment -->`. --max-blast and --allow-delete guard as in
    /// `plan`; --format json carries the owners to request and the labels.
    #[command(verbatim_doc_comment)]
    Diff {
        /// The git revision to compare with (a branch, tag or commit), such as `origin/main`.
        #[arg(long, value_name = "REV")]
        base: String,
        /// `markdown` for the pull-request comment, `json` for scripts, `github` for
        /// annotations.
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
    /// Exit 1 until each environment the change reaches is approved
    ///
    /// Compares the working spec with the spec at REV as `diff --base` does. Every
    /// environment whose Applications the change touches and that names `approvers`
    /// needs an approval of the head commit (--head) from one of them: `@login` by
    /// that user, `@org/team` by any member of the team. The approvers are those the
    /// spec at REV names, so a change cannot choose who approves it.
    ///
    /// --reviews FILE holds the pull request's reviews as GitHub lists them (pages of
    /// `gh api --paginate` one after another): each reviewer's latest approval, request
    /// for changes or dismissal counts, comments change nothing, an approval of an
    /// earlier commit does not approve the head, and the --author's never counts.
    /// --team-members DIR holds DIR/<org>/<team>.json, each team's members as GitHub
    /// lists them. --teams prints the teams whose members are needed, `org/team` a
    /// line, and checks nothing.
    ///
    /// Exit 0 when every reached environment is approved (or none needs it), 1 naming
    /// each environment waiting and whom it waits for, 2 on unreadable input.
    #[command(verbatim_doc_comment)]
    Approvals {
        /// The git revision the pull request merges into, such as `origin/main`.
        #[arg(long, value_name = "REV")]
        base: String,
        /// The pull request's reviews, as `GET /repos/{owner}/{repo}/pulls/{n}/reviews` lists them.
        #[arg(long, value_name = "FILE", required_unless_present = "teams")]
        reviews: Option<PathBuf>,
        /// The commit the approvals must be of: the pull request's head.
        #[arg(long, value_name = "SHA", required_unless_present = "teams")]
        head: Option<String>,
        /// The pull request's author, whose own approval never counts.
        #[arg(long, value_name = "LOGIN", required_unless_present = "teams")]
        author: Option<String>,
        /// A folder of <org>/<team>.json files, each a team's members as
        /// `GET /orgs/{org}/teams/{team}/members` lists them.
        #[arg(long, value_name = "DIR")]
        team_members: Option<PathBuf>,
        /// Print the teams whose members are needed, `org/team` a line, and check nothing.
        #[arg(long, conflicts_with_all = ["reviews", "head", "author", "team_members"])]
        teams: bool,
        /// `github` prints the environments waiting as GitHub Actions annotations too.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Build, show the impact, and commit the spec and the tree with git
    ///
    /// Builds, shows the impact, asks for confirmation on a terminal (--yes
    /// otherwise) and commits the spec and the tree as git's configured `user.name`.
    /// The default message summarises the impact.
    ///
    /// Refused while a merge or rebase is in progress or when the index holds other
    /// staged changes. A change that deletes Applications exits 1, writing and
    /// committing nothing, unless --allow-delete.
    #[command(verbatim_doc_comment)]
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
    /// List the Applications the ApplicationSets will produce
    ///
    /// One line per Application, with its project, source path and sync policy.
    /// Like `why` and `impact`, it answers on a spec whose only errors are blocked or
    /// expired base images, showing those as notes.
    #[command(verbatim_doc_comment)]
    Apps {
        /// Only the Applications of this environment.
        #[arg(long)]
        env: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Name the spec key and line behind a generated file or line
    ///
    /// `fleetc why generated/apps/users/overlays/prod/deployment-green-patch.yaml:5`
    /// names `services.users.deploy.prod.green` and shows its line in the spec.
    /// Without :LINE, the key behind the whole file. An alert's threshold or
    /// severity, a dashboard's objective, a metrics port or path, a secret reference
    /// or store and a selector label name their keys too.
    #[command(verbatim_doc_comment)]
    Why {
        /// A generated file, and optionally a line of it: `PATH` or `PATH:LINE`.
        target: String,
    },
    /// Check the spec only
    ///
    /// Every problem is reported at once, each at its file, line and column with
    /// what would be valid; exit 2 when there is one. Nothing is compiled to disk.
    /// --format github prints problems as GitHub Actions annotations.
    #[command(verbatim_doc_comment)]
    Validate {
        /// `github` prints problems as GitHub Actions annotations.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    #[command(flatten)]
    Edit(EditCommand),
    /// Which services run a base image or an image built elsewhere, and where
    ///
    /// IMAGE is a catalog name (`python`, `python:3.12`) or the image repository,
    /// registry prefix optional. With --dockerfiles DIR, also every Dockerfile or
    /// Containerfile below DIR whose `FROM` names it: multi-stage builds,
    /// --platform, ARG-substituted tags and images and continued lines understood.
    ///
    /// An image built elsewhere (`docker.io/library/redis[:7.2.5]`, registry
    /// included) names every service, sidecar and init container running it, with
    /// the versions each environment runs.
    ///
    /// Answers on a spec whose only errors are blocked, expired or misplaced base
    /// images, showing them as notes: "who is still on it?" is asked exactly then.
    #[command(verbatim_doc_comment)]
    Impact {
        /// `NAME[:VERSION]` of `[base_images]`, or the image repository.
        image: String,
        /// Also list the Dockerfiles and Containerfiles below DIR whose `FROM` names the image.
        #[arg(long, value_name = "DIR")]
        dockerfiles: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the hydrated manifests of an overlay, merged by fleetc
    ///
    /// The manifests `kubectl kustomize` would build from one overlay (SERVICE ENV,
    /// or SERVICE ENV/CLUSTER for one cluster of an environment that lists them),
    /// merged by fleetc itself: no kustomize binary is needed, and the output equals
    /// kubectl's, document by document in the same order.
    ///
    /// --all renders every overlay as one stream; with --to DIR, one file per
    /// overlay, never over a file fleetc did not write.
    #[command(verbatim_doc_comment)]
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
    /// Write a starter spec of N services in three environments
    ///
    /// Writes to --spec a spec that uses every part of the format: N services, three
    /// environments with secret stores and certificates, CI and Terraform pins; about
    /// one service in ten releasing in prod, one in ten on Argo Rollouts, one in four
    /// reading secrets. Never overwrites a spec without --force.
    #[command(verbatim_doc_comment)]
    Init {
        /// How many services the starter spec has.
        #[arg(long, default_value_t = 10)]
        services: usize,
        /// How many teams own them, in turn (default: 8, or one a service when fewer).
        #[arg(long)]
        teams: Option<usize>,
        /// Overwrite an existing spec.
        #[arg(long)]
        force: bool,
    },
    /// Merge a file as git's merge driver, or install the driver
    ///
    /// `fleetc merge-driver install` names the driver in the repository's git config
    /// and gives it the spec's files and the tree in .gitattributes. Git then calls
    /// `fleetc merge-driver %O %A %B %P` for a file both sides of a merge changed: a
    /// spec file merges by key (a conflict only where both sides changed one key
    /// differently, marked as git marks conflicts, exit 1); a file of the tree is
    /// written as the merged spec compiles it, never merged by its lines.
    #[command(verbatim_doc_comment, args_conflicts_with_subcommands = true)]
    MergeDriver {
        #[command(subcommand)]
        action: Option<MergeDriverAction>,
        /// BASE OURS THEIRS PATH, as git passes them (%O %A %B %P).
        #[arg(num_args = 4, value_names = ["BASE", "OURS", "THEIRS", "PATH"])]
        files: Vec<String>,
    },
    /// Write a spec from an existing GitOps repository
    ///
    /// Reads DIR in one of the common layouts (apps/<svc>/overlays/<env>,
    /// overlays/<env> over one base per service, <env>/<svc>/, <env>/*.yaml,
    /// <env>.yaml), renders what each environment deploys, and writes the spec
    /// (--spec, which must not exist yet). The report on standard output names, per
    /// service and environment, every field and object the spec does not say. Exit 0
    /// when it says everything, 1 when the report lists something, 2 on input it
    /// cannot read (nothing is written then).
    #[command(verbatim_doc_comment)]
    Import {
        /// The repository (or the folder of its manifests) to read.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// The layout DIR is written in, instead of the one found.
        #[arg(long, value_enum)]
        layout: Option<crate::import::layout::Layout>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Write the spec as a root and one file per team
    ///
    /// Moves each team's table and its services' tables, with the comments above them,
    /// to DIR/<team>.toml beside the spec, and adds `include = ["DIR/*.toml"]` to the
    /// spec, which keeps everything else. Checks first that the files compile to the
    /// tree the spec did; writes nothing otherwise, or when a team file exists.
    #[command(verbatim_doc_comment)]
    Split {
        /// The folder of the team files, relative to the spec's folder.
        #[arg(long, value_name = "DIR", default_value = "teams")]
        into: String,
    },
    /// Write the GitOps repository's pull-request workflow
    ///
    /// Writes the GitHub Actions workflow (default .github/workflows/fleetc.yml) that
    /// runs on every pull request touching the spec, the tree or itself: the
    /// regeneration check, the blast-radius and deletion guard, the preview comments,
    /// the `env:<name>` labels and the review requests; it rebuilds and pushes the
    /// tree of a pull request opened by one of --bots, and its required check
    /// `fleetc approval` runs `fleetc approvals` on every push and review. It runs
    /// fleetc with this --spec and --out, which must be paths inside the repository.
    ///
    /// It rewrites its own file and refuses, with nothing written, any other unless
    /// --force. --print prints the workflow instead.
    #[command(verbatim_doc_comment)]
    Workflow {
        /// The CI service the workflow is for.
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
        /// The logins whose pull requests get their tree regenerated and pushed to their
        /// branch, comma-separated (`''` for none).
        #[arg(long, value_name = "LOGINS", value_delimiter = ',', default_value = crate::workflow::github::DEFAULT_BOTS)]
        bots: Vec<String>,
    },
    /// Print the JSON Schema of the spec
    ///
    /// The schema is committed as schemas/enterprise.schema.json; a spec whose first
    /// line is `#:schema ../schemas/enterprise.schema.json` gets completion and
    /// checking in editors that read it. --included prints the schema of a file the
    /// spec includes (schemas/enterprise-part.schema.json): the same tables, none of
    /// them required.
    #[command(verbatim_doc_comment)]
    Schema {
        /// The schema of a file the spec includes.
        #[arg(long)]
        included: bool,
    },
    /// Write the man pages into DIR
    ///
    /// Writes fleetc.1 and one fleetc-<command>.1 per command, from the same text as
    /// --help. Like `render --all --to`, never over a file fleetc did not write.
    #[command(verbatim_doc_comment)]
    Man {
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
    /// Print shell completions
    ///
    /// For bash, zsh, fish, elvish or powershell, on standard output.
    #[command(verbatim_doc_comment)]
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
        } | Command::Approvals {
            format: CheckFormat::Github,
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
        Command::Approvals {
            base,
            reviews,
            head,
            author,
            team_members,
            teams,
            ..
        } => run.approvals(&approvals::ApprovalsAsk {
            base: &base,
            reviews: reviews.as_deref(),
            head: head.as_deref(),
            author: author.as_deref(),
            team_members: team_members.as_deref(),
            teams,
        }),
        Command::Validate { .. } => run.validate(),
        Command::Edit(edit) => edit.run(run),
        Command::Init {
            services,
            teams,
            force,
        } => run.init(services, teams, force),
        Command::Split { into } => run.split(&into),
        Command::Import {
            dir,
            layout,
            format,
        } => run.import(&dir, layout, format),
        Command::MergeDriver { action, files } => merge_driver(run, action, &files),
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
            bots,
        } => run.workflow_github(&to, max_blast, force, print, install_from.as_deref(), &bots),
        Command::Schema { included } => {
            if included {
                print!("{}", crate::parse::schema::included_schema_text());
            } else {
                print!("{}", crate::parse::schema::spec_schema_text());
            }
            Ok(EXIT_OK)
        }
        Command::Man { to } => man::write_man_pages(Cli::command(), &to),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "fleetc", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
    }
}

fn merge_driver(run: &Run<'_>, action: Option<MergeDriverAction>, files: &[String]) -> Outcome {
    match (action, files) {
        (Some(MergeDriverAction::Install), _) => run.install_merge_driver(),
        (Some(MergeDriverAction::PostMerge { squash }), _) => run.after_merge(squash == Some(1)),
        (None, [base, ours, theirs, path]) => {
            run.merge_driver(Path::new(base), Path::new(ours), Path::new(theirs), path)
        }
        (None, _) => {
            eprintln!("error: give BASE OURS THEIRS PATH (git's %O %A %B %P), or `install`");
            Err(EXIT_BAD_INPUT)
        }
    }
}
