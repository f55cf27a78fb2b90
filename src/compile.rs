//! The pipeline's entry: parse → validate → resolve → emit, in one call whose options say
//! how much of the tree to make and which problems to let through.

use crate::model::Model;
use crate::parse::{ParsedSpec, parse};
use crate::source::Source;
use crate::source::diagnostic::{Diagnostic, Kind, Severity};
use crate::source::span_index::SpanIndex;
use crate::spec::{Date, Spec};
use crate::tree::Tree;

/// A spec that compiled: the source it was read from, the spec as written, its resolved model,
/// its tree, and the warnings (and problems let through, as notes) met on the way.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub source: Source,
    /// The spec as written (after validation), for commands that edit it.
    pub spec: Spec,
    /// Where each key of the spec is written.
    pub spans: SpanIndex,
    pub model: Model,
    pub tree: Tree,
    pub warnings: Vec<Diagnostic>,
    /// The errors the options let through, as errors (they are also among the warnings, as
    /// notes).
    pub let_through: Vec<Diagnostic>,
}

/// How a compile runs. `CompileOptions::from(today)` is the strict compile of a whole tree.
#[derive(Debug, Clone, Copy)]
pub struct CompileOptions {
    /// The day deadlines and exception expiries are judged against; the tree never depends on
    /// it.
    pub today: Date,
    pub tree: TreeMade,
    pub lenient: Leniency,
}

/// How much of the tree a compile makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeMade {
    Whole,
    /// The whole tree, keeping each YAML file's documents, for commands that render.
    KeepingDocuments,
    /// None (left empty): the spec checked and resolved, for commands that emit only the part
    /// they compare, or only ask about the model.
    Nothing,
}

/// Which errors a compile lets through as notes: the catalog's verdicts on base images stop a
/// build, but not a question about who uses what, nor the edits that may be what fixes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leniency {
    Strict,
    /// Every verdict of the catalog on a base image a service uses.
    BaseImages,
    /// Only those on the bases of versions already running (`built_on`).
    RunningBuilds,
}

impl Leniency {
    fn lets_through(self, diagnostic: &Diagnostic) -> bool {
        match self {
            Self::Strict => false,
            Self::BaseImages => {
                matches!(diagnostic.kind, Kind::NewBuildBase | Kind::RunningBuildBase)
            }
            Self::RunningBuilds => diagnostic.kind == Kind::RunningBuildBase,
        }
    }
}

impl From<Date> for CompileOptions {
    fn from(today: Date) -> Self {
        Self {
            today,
            tree: TreeMade::Whole,
            lenient: Leniency::Strict,
        }
    }
}

impl CompileOptions {
    #[must_use]
    pub fn making(self, tree: TreeMade) -> Self {
        Self { tree, ..self }
    }

    #[must_use]
    pub fn letting_through(self, lenient: Leniency) -> Self {
        Self { lenient, ..self }
    }
}

/// The whole pipeline: every problem found, or the compiled spec.
pub fn compile(
    source: &Source,
    options: impl Into<CompileOptions>,
) -> Result<Compiled, Vec<Diagnostic>> {
    let options = options.into();
    let (parsed, warnings, let_through) = check(source, options.today, options.lenient)?;
    let model = resolve(&parsed, source)?;
    let tree = match options.tree {
        TreeMade::Whole => crate::emit::emit(&model),
        TreeMade::KeepingDocuments => crate::emit::emit_keeping_documents(&model),
        TreeMade::Nothing => Tree::new(),
    };
    Ok(Compiled {
        source: source.clone(),
        spec: parsed.spec,
        spans: parsed.spans,
        model,
        tree,
        warnings,
        let_through,
    })
}

/// Reads the files beside the spec, resolves, and checks that the files fit what fleetc
/// generates: every problem with them, at the entry that lists the file, or the model.
fn resolve(parsed: &ParsedSpec, source: &Source) -> Result<Model, Vec<Diagnostic>> {
    let read = crate::load::load(&parsed.spec, &parsed.spans, source)?;
    let mut model = crate::resolve::resolve(&parsed.spec, &spec_name(source), &read);
    model.spec_files =
        crate::resolve::spec_files::spec_files(source, &parsed.spec, &model.enterprise.gitops_path);
    let misfits = crate::render::escape_hatch::check(&model, &parsed.spans);
    if misfits.is_empty() {
        Ok(model)
    } else {
        Err(misfits)
    }
}

/// Parse only: the spec as written, whatever its semantic problems (for edits that fix them).
pub fn parse_spec(source: &Source) -> Result<Spec, Vec<Diagnostic>> {
    parse(source).map(|parsed| parsed.spec)
}

/// Parse → validate → the files beside the spec: every problem (errors first), or the parsed
/// spec with its warnings.
pub(crate) fn check_spec(
    source: &Source,
    today: Date,
) -> Result<(ParsedSpec, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (parsed, warnings, _) = check(source, today, Leniency::Strict)?;
    // What resolving finds beyond validation is about the files beside the spec alone.
    let lists_files = parsed
        .spec
        .services
        .iter()
        .any(|(name, service)| !service.listed_files(name).is_empty());
    if lists_files {
        resolve(&parsed, source).map_err(|errors| {
            errors
                .into_iter()
                .chain(warnings.clone())
                .collect::<Vec<_>>()
        })?;
    }
    Ok((parsed, warnings))
}

/// Parse → validate; the errors `lenient` lets through become notes, and are counted.
fn check(
    source: &Source,
    today: Date,
    lenient: Leniency,
) -> Result<(ParsedSpec, Vec<Diagnostic>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let parsed = parse(source)?;
    let found = crate::validate::validate(&parsed.spec, &parsed.spans, today);
    if found
        .iter()
        .any(|d| d.is_error() && !lenient.lets_through(d))
    {
        let (errors, warnings): (Vec<_>, Vec<_>) =
            found.into_iter().partition(Diagnostic::is_error);
        return Err(errors.into_iter().chain(warnings).collect());
    }
    let let_through: Vec<Diagnostic> = found.iter().filter(|d| d.is_error()).cloned().collect();
    let notes = found
        .into_iter()
        .map(|d| {
            if d.is_error() {
                Diagnostic {
                    severity: Severity::Note,
                    ..d
                }
            } else {
                d
            }
        })
        .collect();
    Ok((parsed, notes, let_through))
}

fn spec_name(source: &Source) -> String {
    source.path.file_name().map_or_else(
        || "enterprise.toml".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCKED_RUNNING: &str = r#"
[enterprise]
name = "tiny"
registry = "registry.example.com"
gitops_repo = "https://git.example.com/tiny/gitops.git"
platform_team = "@tiny/platform"

[environments.dev]
cluster = "https://kubernetes.default.svc"
domain = "dev.tiny.example"

[teams.core]
owners = ["@tiny/core"]

[base_images.python]
image = "base/python"
versions."3.11" = { status = "blocked" }
versions."3.12" = {}

[services.hello]
team = "core"
base = "python:3.12"
version = "0.9.0"
built_on = { "0.9.0" = "python:3.11" }
"#;

    fn today() -> Date {
        Date::parse("2026-12-01").unwrap()
    }

    #[test]
    fn each_leniency_lets_through_the_kinds_it_names_and_no_others() {
        let source = Source::new("enterprise.toml", BLOCKED_RUNNING);
        assert!(compile(&source, today()).is_err());
        for lenient in [Leniency::BaseImages, Leniency::RunningBuilds] {
            let compiled = compile(
                &source,
                CompileOptions::from(today()).letting_through(lenient),
            )
            .unwrap_or_else(|e| panic!("{lenient:?}: {e:?}"));
            assert_eq!(compiled.let_through.len(), 1, "{lenient:?}");
            assert!(compiled.warnings.iter().all(|d| !d.is_error()));
        }
        let blocked_base =
            BLOCKED_RUNNING.replace("base = \"python:3.12\"", "base = \"python:3.11\"");
        let source = Source::new("enterprise.toml", blocked_base);
        let running_only = CompileOptions::from(today()).letting_through(Leniency::RunningBuilds);
        assert!(compile(&source, running_only).is_err());
        let every_base = CompileOptions::from(today()).letting_through(Leniency::BaseImages);
        assert_eq!(compile(&source, every_base).unwrap().let_through.len(), 2);
    }

    #[test]
    fn a_compile_keeps_its_source_and_makes_the_tree_it_was_asked_for() {
        let source = Source::new(
            "enterprise.toml",
            BLOCKED_RUNNING.replace("python:3.11", "python:3.12"),
        );
        let whole = compile(&source, today()).unwrap();
        assert_eq!(whole.source.text, source.text);
        assert!(!whole.tree.is_empty());
        let nothing = compile(
            &source,
            CompileOptions::from(today()).making(TreeMade::Nothing),
        )
        .unwrap();
        assert!(nothing.tree.is_empty());
    }
}
