use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::source::Source;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Information, such as where a generated line comes from.
    Note,
}

/// One problem found in a spec: what is wrong, where, and what would be valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Option<Range<usize>>,
    pub label: Option<String>,
    pub help: Option<String>,
    /// The spanned text is a value that must not be repeated (a literal secret): the excerpt
    /// shows where it is, masked.
    pub redacted: bool,
    /// What the problem is about, so a command that answers despite some problems can let
    /// exactly those through.
    pub kind: Kind,
}

/// What a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// The spec itself: its syntax, shapes, names, references, values.
    #[default]
    Spec,
    /// The catalog's verdict on the base image a service's next build uses (`base`).
    NewBuildBase,
    /// The catalog's verdict on the base image a running version was built on (`built_on`).
    RunningBuildBase,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: elide_long_quotes(&message.into()),
            span: None,
            label: None,
            help: None,
            redacted: false,
            kind: Kind::Spec,
        }
    }

    pub fn note(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Note,
            ..Self::error(message)
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message)
        }
    }

    #[must_use]
    pub fn at(mut self, span: Option<Range<usize>>) -> Self {
        self.span = span;
        self
    }

    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(elide_long_quotes(&label.into()));
        self
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(elide_long_quotes(&help.into()));
        self
    }

    #[must_use]
    pub fn kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    /// Masks the spanned value wherever the diagnostic shows the spec's text.
    #[must_use]
    pub fn redacted(mut self) -> Self {
        self.redacted = true;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic the way cargo does: title, `--> file:line:col`, the line, a caret.
    pub fn render(&self, source: &Source, styled: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let path = self.span.as_ref().map_or_else(
            || source.display_path(),
            |span| source.display_path_at(span.start),
        );
        let title = level.primary_title(&self.message);
        let mut group = match &self.span {
            Some(span) => {
                let span = clamp(span, &source.text);
                // Only the lines the span covers go to the renderer, which would otherwise
                // walk the whole file for every diagnostic.
                let (line, lines) = source.lines_around(span.start, span.end);
                let local = span.start - lines.start..(span.end - lines.start).min(lines.len());
                let mut annotation =
                    AnnotationKind::Primary.span(local.start..local.end.max(local.start));
                if let Some(label) = &self.label {
                    annotation = annotation.label(label);
                }
                title.element(
                    Snippet::source(&source.text[lines])
                        .line_start(line)
                        .path(&path)
                        .annotation(annotation),
                )
            }
            None => title.element(annotate_snippets::Origin::path(&path)),
        };
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help));
        }
        let report: &[Group<'_>] = &[group];
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(report)
    }
}

/// The spec's text with the value of every redacted diagnostic masked byte for byte (its
/// quotes kept), so no excerpt of any diagnostic repeats a literal secret, even one on the
/// same line as another problem, and every span stays where it was.
pub(crate) fn masked(source: &Source, diagnostics: &[Diagnostic]) -> Option<Source> {
    let spans: Vec<Range<usize>> = diagnostics
        .iter()
        .filter(|d| d.redacted)
        .filter_map(|d| d.span.as_ref().map(|span| clamp(span, &source.text)))
        .collect();
    if spans.is_empty() {
        return None;
    }
    let mut bytes = source.text.clone().into_bytes();
    for span in spans {
        let inner = match &source.text[span.clone()] {
            quoted
                if quoted.len() >= 2 && (quoted.starts_with('"') || quoted.starts_with('\'')) =>
            {
                span.start + 1..span.end - 1
            }
            _ => span,
        };
        bytes[inner].fill(b'*');
    }
    let mut masked = source.clone();
    masked.text = String::from_utf8(bytes).expect("ASCII replaced whole characters");
    Some(masked)
}

/// Longest quoted value a message repeats in full.
const LONGEST_QUOTE: usize = 80;

/// A value as a message quotes it: cut short after [`LONGEST_QUOTE`] characters.
fn shorten(value: &str) -> String {
    match value.char_indices().nth(LONGEST_QUOTE) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_owned(),
    }
}

/// Cuts every `` `quoted` `` part of a message to [`LONGEST_QUOTE`] characters, so a 1 MB
/// value in a spec makes a one-line message, not a 1 MB one; the span still shows where.
fn elide_long_quotes(message: &str) -> String {
    if message.len() <= LONGEST_QUOTE {
        return message.to_owned();
    }
    let mut out = String::with_capacity(message.len().min(4 * LONGEST_QUOTE));
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts lie between backticks.
        if i % 2 == 1 {
            out.push_str(&shorten(part));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Keeps a span inside the text and on character boundaries, so rendering never panics.
fn clamp(span: &Range<usize>, text: &str) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

impl Diagnostic {
    /// `::error file=spec/enterprise.toml,line=3,col=8::message`, as GitHub Actions reads it
    /// from a step's output and shows it on the pull request's diff.
    pub fn github_annotation(&self, source: &Source) -> String {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut message = self.message.clone();
        if let Some(help) = &self.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let path = self.span.as_ref().map_or_else(
            || source.display_path(),
            |span| source.display_path_at(span.start),
        );
        let mut properties = format!("file={}", escape_property(&path));
        if let Some(span) = &self.span {
            let (line, col) = source.line_col(span.start);
            properties.push_str(&format!(",line={line},col={col}"));
        }
        format!("::{level} {properties}::{}", escape_data(&message))
    }
}

/// The message of a GitHub Actions annotation: one line, its line breaks kept as `%0A`.
pub(crate) fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The closest candidate to `name`, when one is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}
