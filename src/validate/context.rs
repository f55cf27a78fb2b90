use crate::source::diagnostic::Diagnostic;
use crate::source::span_index::SpanIndex;
use crate::spec::{Date, Spec};

/// The spec and where each of its keys is written, shared by the checks.
pub(super) struct Context<'a> {
    pub spec: &'a Spec,
    pub spans: &'a SpanIndex,
    /// The day deadlines and exceptions are judged against.
    pub today: Date,
    pub found: Vec<Diagnostic>,
}

impl<'a> Context<'a> {
    pub(super) fn report(&mut self, diagnostic: Diagnostic) {
        self.found.push(diagnostic);
    }

    pub(super) fn env_names(&self) -> Vec<&'a str> {
        self.spec.environments.keys().map(String::as_str).collect()
    }
}
