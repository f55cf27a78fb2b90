//! Semantic checks of a spec that deserialized: references, names, routes, numbers, releases
//! and base images. Every check reports every problem it finds; none stops the others.

mod base_images;
mod certificates;
mod clusters;
mod command_references;
mod config_files;
mod containers;
mod context;
mod destinations;
mod disruption;
mod env_references;
mod env_tables;
mod escape_hatch;
mod extra_containers;
mod extra_secrets;
mod formats;
mod identities;
mod images;
mod jobs;
mod kinds;
mod monitoring;
mod names;
mod numbers;
mod pins;
mod places;
mod ports;
mod probes;
mod references;
mod releases;
mod requests;
mod resources;
mod rollouts;
pub(crate) mod routes;
mod scheduling;
mod secret_refs;
mod secrets;
mod security;
mod storage;
mod sync_windows;
mod telemetry_env;
mod tolerations;
mod volumes;
mod zone_affinity;

use crate::source::diagnostic::Diagnostic;
use crate::source::span_index::SpanIndex;
use crate::spec::{Date, Spec};
use context::Context;

/// Every problem of the spec, in the order the checks find them.
pub(crate) fn validate(spec: &Spec, spans: &SpanIndex, today: Date) -> Vec<Diagnostic> {
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
    kinds::check(&mut cx);
    images::check(&mut cx);
    containers::check(&mut cx);
    jobs::check(&mut cx);
    storage::check(&mut cx);
    routes::check(&mut cx);
    releases::check(&mut cx);
    rollouts::check(&mut cx);
    monitoring::check(&mut cx);
    probes::check(&mut cx);
    base_images::check(&mut cx);
    base_images::check_running(&mut cx);
    base_images::check_exceptions(&mut cx);
    pins::check(&mut cx);
    ports::check(&mut cx);
    secrets::check(&mut cx);
    identities::check(&mut cx);
    security::check(&mut cx);
    extra_containers::check(&mut cx);
    volumes::check(&mut cx);
    escape_hatch::check(&mut cx);
    scheduling::check(&mut cx);
    disruption::check(&mut cx);
    zone_affinity::check(&mut cx);
    telemetry_env::check(&mut cx);
    env_references::check(&mut cx);
    command_references::check(&mut cx);
    secret_refs::check(&mut cx);
    sync_windows::check(&mut cx);
    cx.found
}
