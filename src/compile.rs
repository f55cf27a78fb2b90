use crate::model::Model;
use crate::parse::{ParsedSpec, parse};
use crate::source::Source;
use crate::source::diagnostic::Diagnostic;
use crate::spec::Date;
use crate::tree::Tree;

/// A spec that compiled: its resolved model, its tree, and the warnings met on the way.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The spec as written (after validation), for commands that edit it.
    pub spec: crate::spec::Spec,
    /// Where each key of the spec is written.
    pub spans: crate::source::span_index::SpanIndex,
    pub model: Model,
    pub tree: Tree,
    pub warnings: Vec<Diagnostic>,
}

/// Parse only: the spec as written, whatever its semantic problems (for edits that fix them).
pub fn parse_spec(source: &Source) -> Result<crate::spec::Spec, Vec<Diagnostic>> {
    parse(source).map(|parsed| parsed.spec)
}

/// Parse → validate; every problem found, or a spec fit to resolve.
pub(crate) fn check_spec(
    source: &Source,
    today: Date,
) -> Result<(ParsedSpec, Vec<Diagnostic>), Vec<Diagnostic>> {
    let parsed = parse(source)?;
    let (errors, warnings): (Vec<_>, Vec<_>) =
        crate::validate::validate(&parsed.spec, &parsed.spans, today)
            .into_iter()
            .partition(Diagnostic::is_error);
    if errors.is_empty() {
        Ok((parsed, warnings))
    } else {
        Err(errors.into_iter().chain(warnings).collect())
    }
}

/// A spec resolved for questions about it rather than for a build.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub spec: crate::spec::Spec,
    pub model: Model,
    /// Warnings, and the base image errors that were let through, as notes.
    pub notes: Vec<Diagnostic>,
}

/// Parse → validate → resolve, letting through a spec whose only errors are the catalog's
/// verdicts on base images (blocked, expired, a candidate beyond the first environment):
/// exactly when someone asks which services are still on such a base.
pub(crate) fn resolve_despite_base_images(
    source: &Source,
    today: Date,
) -> Result<Resolved, Vec<Diagnostic>> {
    let (parsed, notes, _) = check_despite(source, today, LetThrough::BaseImages)?;
    let model = crate::resolve::resolve(&parsed.spec, &spec_name(source));
    Ok(Resolved {
        spec: parsed.spec,
        model,
        notes,
    })
}

/// [`compile`], letting through the catalog's verdicts on base images as notes (in
/// `warnings`), for read-only questions about the tree (`why`): a blocked base is a reason not
/// to build, not a reason to refuse to say where a file comes from.
pub(crate) fn compile_despite_base_images(
    source: &Source,
    today: Date,
) -> Result<Compiled, Vec<Diagnostic>> {
    compile_counting_base_images(source, today).map(|(compiled, _)| compiled)
}

/// [`compile_despite_base_images`], with how many errors were let through: for edits of the
/// catalog and the pins, which may be made while a base is blocked (an exception is one way
/// out of it) but must not add such errors, except a block itself.
pub(crate) fn compile_counting_base_images(
    source: &Source,
    today: Date,
) -> Result<(Compiled, usize), Vec<Diagnostic>> {
    let (parsed, notes, let_through) = check_despite(source, today, LetThrough::BaseImages)?;
    Ok((
        finish(source, parsed, notes, crate::emit::emit),
        let_through,
    ))
}

/// [`compile`], letting through as notes the catalog's verdicts on the bases of versions
/// already running (`built_on`), with how many errors those were: for edits, which must not
/// add any, but may be what removes them (releasing a rebuilt version, retiring an old one).
/// A blocked `base` still stops it: a new version must not be built on it.
pub(crate) fn compile_despite_running_builds(
    source: &Source,
    today: Date,
) -> Result<(Compiled, usize), Vec<Diagnostic>> {
    let (parsed, warnings, let_through) = check_despite(source, today, LetThrough::RunningBuilds)?;
    Ok((
        finish(source, parsed, warnings, crate::emit::emit),
        let_through,
    ))
}

/// Which errors a lenient compile lets through.
#[derive(Clone, Copy)]
enum LetThrough {
    /// Every verdict of the catalog on a base image a service uses.
    BaseImages,
    /// Only those on the bases of versions already running.
    RunningBuilds,
}

/// Parse → validate; the errors let through become notes, and are counted.
fn check_despite(
    source: &Source,
    today: Date,
    let_through: LetThrough,
) -> Result<(ParsedSpec, Vec<Diagnostic>, usize), Vec<Diagnostic>> {
    let parsed = parse(source)?;
    let validation = crate::validate::validate_apart(&parsed.spec, &parsed.spans, today);
    let policy = match let_through {
        LetThrough::BaseImages => validation.base_image_policy,
        LetThrough::RunningBuilds => validation.running_builds,
    };
    let other_errors = validation
        .found
        .iter()
        .enumerate()
        .any(|(i, d)| d.is_error() && !policy.contains(&i));
    if other_errors {
        let (errors, warnings): (Vec<_>, Vec<_>) =
            validation.found.into_iter().partition(Diagnostic::is_error);
        return Err(errors.into_iter().chain(warnings).collect());
    }
    let let_through = validation.found.iter().filter(|d| d.is_error()).count();
    let notes = validation
        .found
        .into_iter()
        .map(|d| {
            if d.is_error() {
                Diagnostic {
                    severity: crate::source::diagnostic::Severity::Note,
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

/// The whole pipeline: parse → validate → resolve → emit.
/// `today` decides deadlines and exception expiries; the tree never depends on it.
pub fn compile(source: &Source, today: Date) -> Result<Compiled, Vec<Diagnostic>> {
    compile_with(source, today, crate::emit::emit)
}

/// [`compile`] into a tree that keeps each YAML file's documents, for commands that render.
pub fn compile_for_render(source: &Source, today: Date) -> Result<Compiled, Vec<Diagnostic>> {
    compile_with(source, today, crate::emit::emit_keeping_documents)
}

/// [`compile`] without the tree (left empty): the spec checked and resolved, for commands that
/// emit only the part they compare.
pub fn compile_unemitted(source: &Source, today: Date) -> Result<Compiled, Vec<Diagnostic>> {
    compile_with(source, today, |_| Tree::new())
}

fn compile_with(
    source: &Source,
    today: Date,
    emit: fn(&Model) -> Tree,
) -> Result<Compiled, Vec<Diagnostic>> {
    let (parsed, warnings) = check_spec(source, today)?;
    Ok(finish(source, parsed, warnings, emit))
}

fn finish(
    source: &Source,
    parsed: ParsedSpec,
    warnings: Vec<Diagnostic>,
    emit: fn(&Model) -> Tree,
) -> Compiled {
    let model = crate::resolve::resolve(&parsed.spec, &spec_name(source));
    let tree = emit(&model);
    Compiled {
        spec: parsed.spec,
        spans: parsed.spans,
        model,
        tree,
        warnings,
    }
}
