use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::compile::{Compiled, check_spec, compile};
use crate::diagnostic::Diagnostic;
use crate::edit::{ReleaseAction, apply_release_action};
use crate::sink::changes::{Change, between, changes};
use crate::sink::summary::summary;
use crate::sink::unified::unified;
use crate::sink::write::{apply, write_atomic};
use crate::source::{Source, display_path};

/// Exit codes: the contract CI and scripts rely on.
pub const EXIT_OK: i32 = 0;
pub const EXIT_NO: i32 = 1;
pub const EXIT_BAD_INPUT: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "fleetc",
    version,
    about = "Compile enterprise.toml into a Kustomize + Argo CD GitOps tree"
)]
pub struct Cli {
    /// The spec to compile.
    #[arg(long, global = true, default_value = "spec/enterprise.toml")]
    spec: PathBuf,
    /// The output directory of the generated tree.
    #[arg(long, global = true, default_value = "generated")]
    out: PathBuf,
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

#[derive(Debug, Subcommand)]
enum Command {
    /// Compile the spec and write the tree (unchanged files are not rewritten).
    Build,
    /// Exit 1 with the diff when the tree on disk differs from what the spec compiles to.
    Check,
    /// Show what `build` would change: a unified diff and a summary.
    Plan,
    /// Check the spec only.
    Validate,
    /// Start a blue/green release: deploy VERSION on the idle colour; live traffic is unchanged.
    Release {
        service: String,
        version: String,
        #[arg(long)]
        env: String,
        /// Release even though VERSION does not run in the previous environment yet.
        #[arg(long)]
        skip_order: bool,
    },
    /// Switch live traffic to the idle colour.
    Promote {
        service: String,
        #[arg(long)]
        env: String,
    },
    /// Switch live traffic back to the colour that was live before the last promote.
    Rollback {
        service: String,
        #[arg(long)]
        env: String,
    },
    /// Remove the idle colour once a release is settled (or abandoned).
    Retire {
        service: String,
        #[arg(long)]
        env: String,
    },
    /// Write a starter spec (to --spec) of N services in three environments.
    Init {
        #[arg(long, default_value_t = 10)]
        services: usize,
        /// Overwrite an existing spec.
        #[arg(long)]
        force: bool,
    },
    /// Print the JSON Schema of the spec.
    Schema,
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
    let run = Run {
        spec: &cli.spec,
        out: &cli.out,
        styled,
        styled_err: styled && std::io::stderr().is_terminal(),
    };
    match cli.command {
        Command::Build => run.build(),
        Command::Check => run.check(),
        Command::Plan => run.plan(),
        Command::Validate => run.validate(),
        Command::Release {
            service,
            version,
            env,
            skip_order,
        } => run.edit_release(
            &service,
            &env,
            &ReleaseAction::Release {
                version,
                skip_order,
            },
        ),
        Command::Promote { service, env } => {
            run.edit_release(&service, &env, &ReleaseAction::Promote)
        }
        Command::Rollback { service, env } => {
            run.edit_release(&service, &env, &ReleaseAction::Rollback)
        }
        Command::Retire { service, env } => {
            run.edit_release(&service, &env, &ReleaseAction::Retire)
        }
        Command::Init { services, force } => run.init(services, force),
        Command::Schema => {
            print!("{}", crate::schema::spec_schema_text());
            EXIT_OK
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "fleetc", &mut std::io::stdout());
            EXIT_OK
        }
    }
}

struct Run<'a> {
    spec: &'a Path,
    out: &'a Path,
    styled: bool,
    styled_err: bool,
}

impl Run<'_> {
    fn source(&self) -> Result<Source, i32> {
        match std::fs::read_to_string(self.spec) {
            Ok(text) => Ok(Source::new(self.spec, text)),
            Err(error) => {
                eprintln!(
                    "error: cannot read spec `{}`: {error}",
                    display_path(self.spec)
                );
                Err(EXIT_BAD_INPUT)
            }
        }
    }

    fn report(&self, source: &Source, diagnostics: &[Diagnostic]) {
        let mut err = std::io::stderr().lock();
        for diagnostic in diagnostics {
            let _ = writeln!(err, "{}\n", diagnostic.render(source, self.styled_err));
        }
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        if errors > 0 {
            let plural = if errors == 1 { "" } else { "s" };
            let _ = writeln!(
                err,
                "error: `{}` has {errors} error{plural}; nothing was written",
                source.display_path()
            );
        }
    }

    fn compiled(&self) -> Result<Compiled, i32> {
        let source = self.source()?;
        match compile(&source) {
            Ok(compiled) => {
                self.report(&source, &compiled.warnings);
                Ok(compiled)
            }
            Err(diagnostics) => {
                self.report(&source, &diagnostics);
                Err(EXIT_BAD_INPUT)
            }
        }
    }

    fn changes(&self, compiled: &Compiled) -> Result<Vec<Change>, i32> {
        changes(&compiled.tree, self.out).map_err(|error| {
            eprintln!("error: cannot read output directory: {error}");
            EXIT_BAD_INPUT
        })
    }

    fn build(&self) -> i32 {
        let compiled = match self.compiled() {
            Ok(c) => c,
            Err(code) => return code,
        };
        let changes = match self.changes(&compiled) {
            Ok(c) => c,
            Err(code) => return code,
        };
        if let Err(error) = apply(self.out, &changes) {
            eprintln!("error: writing the tree failed: {error}");
            return EXIT_BAD_INPUT;
        }
        let out = display_path(self.out);
        if changes.is_empty() {
            println!("{out} is up to date ({} files)", compiled.tree.len());
        } else {
            print!("{}", summary(&changes));
            println!("wrote {out}");
        }
        EXIT_OK
    }

    fn check(&self) -> i32 {
        let compiled = match self.compiled() {
            Ok(c) => c,
            Err(code) => return code,
        };
        let changes = match self.changes(&compiled) {
            Ok(c) => c,
            Err(code) => return code,
        };
        let out = display_path(self.out);
        if changes.is_empty() {
            println!("{out} is up to date");
            return EXIT_OK;
        }
        let mut stdout = std::io::stdout().lock();
        for change in &changes {
            let _ = write!(stdout, "{}", unified(change, self.styled));
        }
        let _ = write!(stdout, "\n{}", summary(&changes));
        let _ = writeln!(
            stdout,
            "{out} is stale: it differs from what `{}` compiles to; run `fleetc build` and commit the result",
            display_path(self.spec)
        );
        EXIT_NO
    }

    fn plan(&self) -> i32 {
        let compiled = match self.compiled() {
            Ok(c) => c,
            Err(code) => return code,
        };
        let changes = match self.changes(&compiled) {
            Ok(c) => c,
            Err(code) => return code,
        };
        let mut stdout = std::io::stdout().lock();
        for change in &changes {
            let _ = write!(stdout, "{}", unified(change, self.styled));
        }
        if !changes.is_empty() {
            let _ = writeln!(stdout);
        }
        let _ = write!(stdout, "{}", summary(&changes));
        EXIT_OK
    }

    fn validate(&self) -> i32 {
        let source = match self.source() {
            Ok(s) => s,
            Err(code) => return code,
        };
        match check_spec(&source) {
            Ok((parsed, warnings)) => {
                self.report(&source, &warnings);
                println!(
                    "{} is valid: {} services in {} environments",
                    source.display_path(),
                    parsed.spec.services.len(),
                    parsed.spec.environments.len()
                );
                EXIT_OK
            }
            Err(diagnostics) => {
                self.report(&source, &diagnostics);
                EXIT_BAD_INPUT
            }
        }
    }

    /// Edits the spec (never the tree), after checking the edited spec compiles, and prints
    /// the plan of the tree change the edit implies.
    fn edit_release(&self, service: &str, env: &str, action: &ReleaseAction) -> i32 {
        let source = match self.source() {
            Ok(s) => s,
            Err(code) => return code,
        };
        let before = match compile(&source) {
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
        let after = match compile(&new_source) {
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
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{}\n", edited.summary);
        for change in &changes {
            let _ = write!(stdout, "{}", unified(change, self.styled));
        }
        let _ = write!(stdout, "\n{}", summary(&changes));
        let _ = writeln!(
            stdout,
            "updated {}; run `fleetc build` to write the tree",
            display_path(self.spec)
        );
        EXIT_OK
    }

    fn init(&self, services: usize, force: bool) -> i32 {
        if services == 0 || services > 20_000 {
            eprintln!("error: --services takes 1 to 20000, not {services}");
            return EXIT_BAD_INPUT;
        }
        if self.spec.exists() && !force {
            eprintln!(
                "error: `{}` exists; pass --force to overwrite it",
                display_path(self.spec)
            );
            return EXIT_BAD_INPUT;
        }
        if let Err(error) = write_atomic(self.spec, crate::init::starter_spec(services).as_bytes())
        {
            eprintln!("error: cannot write the spec: {error}");
            return EXIT_BAD_INPUT;
        }
        println!(
            "wrote {} ({services} services in 3 environments); next: `fleetc build`",
            display_path(self.spec)
        );
        EXIT_OK
    }
}
