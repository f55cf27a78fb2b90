//! Semantic checks of a spec that deserialized: references, names, routes, numbers, releases
//! and base images. Every check reports every problem it finds; none stops the others.

mod base_images;
mod certificates;
mod clusters;
mod context;
mod destinations;
mod formats;
mod monitoring;
mod names;
mod numbers;
mod pins;
mod references;
mod releases;
mod requests;
mod resources;
mod rollouts;
mod routes;
mod secret_refs;
mod secrets;
mod sync_windows;

use crate::source::diagnostic::Diagnostic;
use crate::source::span_index::SpanIndex;
use crate::spec::{Date, Spec};
use context::Context;

pub(crate) fn validate(spec: &Spec, spans: &SpanIndex, today: Date) -> Vec<Diagnostic> {
    validate_apart(spec, spans, today).found
}

/// The problems of a spec, with the catalog's verdicts on the base images services are built
/// on kept apart: a blocked or expired base makes the spec unfit to build, but not to answer
/// questions about (who is still on it?).
pub(crate) struct Validation {
    /// Every problem, in the order the checks found them.
    pub found: Vec<Diagnostic>,
    /// Where the base image verdicts are in `found`.
    pub base_image_policy: std::ops::Range<usize>,
    /// Those of them about versions already running (`built_on`), at the end of that range.
    pub running_builds: std::ops::Range<usize>,
}

pub(crate) fn validate_apart(spec: &Spec, spans: &SpanIndex, today: Date) -> Validation {
    let mut cx = Context {
        spec,
        spans,
        today,
        found: Vec::new(),
    };
    names::check(&mut cx);
    formats::check(&mut cx);
    references::check(&mut cx);
    numbers::check(&mut cx);
    resources::check(&mut cx);
    requests::check(&mut cx);
    clusters::check(&mut cx);
    destinations::check(&mut cx);
    certificates::check(&mut cx);
    routes::check(&mut cx);
    releases::check(&mut cx);
    rollouts::check(&mut cx);
    monitoring::check(&mut cx);
    let start = cx.found.len();
    base_images::check(&mut cx);
    let running_start = cx.found.len();
    base_images::check_running(&mut cx);
    let base_image_policy = start..cx.found.len();
    let running_builds = running_start..cx.found.len();
    base_images::check_exceptions(&mut cx);
    pins::check(&mut cx);
    secrets::check(&mut cx);
    secret_refs::check(&mut cx);
    sync_windows::check(&mut cx);
    Validation {
        found: cx.found,
        base_image_policy,
        running_builds,
    }
}
