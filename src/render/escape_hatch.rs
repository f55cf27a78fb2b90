//! Whether a service's own files fit what fleetc generates for it: every patch applies to an
//! object of the service in each place it is listed for, and no object of its own takes the
//! kind and name of another. Checked by rendering each overlay as `fleetc render` does.

use std::collections::HashSet;

use serde_json::Value;

use super::{RenderError, Renderer};
use crate::emit::{ServiceScope, service_files};
use crate::model::{Deployment, Model, OwnFile, ServiceModel};
use crate::source::diagnostic::Diagnostic;
use crate::source::span_index::SpanIndex;

/// Every problem of the own files of every service that has some.
pub(crate) fn check(model: &Model, spans: &SpanIndex) -> Vec<Diagnostic> {
    let scope = ServiceScope::of(model);
    let mut found = Vec::new();
    for service in model.services.iter().filter(|s| has_own_files(s)) {
        let tree = service_files(&scope, service);
        let mut renderer = Renderer::new(&tree).requiring_each_patch_to_apply();
        for deployment in &service.deployments {
            let dir = deployment.overlay_dir(&service.name);
            match renderer.render(&dir) {
                Ok(documents) => {
                    found.extend(taken_twice(service, deployment, &documents, spans));
                }
                Err(error) => found.push(unapplied(&scope, service, deployment, &error, spans)),
            }
        }
    }
    // One problem per entry: a file listed for an environment fails alike in its clusters.
    let mut entries = HashSet::new();
    found.retain(|d| entries.insert(d.span.clone().map(|s| (s.start, s.end))));
    found
}

fn has_own_files(service: &ServiceModel) -> bool {
    !service.own_manifests.is_empty()
        || service
            .deployments
            .iter()
            .any(|d| !d.own_manifests.is_empty() || !d.own_patches.is_empty())
}

fn place(deployment: &Deployment) -> String {
    match &deployment.cluster {
        Some(cluster) => format!("{}/{cluster}", deployment.environment),
        None => deployment.environment.clone(),
    }
}

/// The patch an overlay failed to render with, at its entry.
fn unapplied(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    deployment: &Deployment,
    error: &RenderError,
    spans: &SpanIndex,
) -> Diagnostic {
    let dir = deployment.overlay_dir(&service.name);
    let patch = deployment.own_patches.iter().find(|patch| {
        let copied = format!("{dir}/{}: ", patch.copied_name());
        error.message.starts_with(&copied)
    });
    let Some(patch) = patch else {
        return Diagnostic::error(format!(
            "`{}` does not render in {} with the files listed for it: {}",
            service.name,
            place(deployment),
            error.message
        ))
        .at(own_span(spans, service, deployment));
    };
    let why = error
        .message
        .split_once(": ")
        .map_or(error.message.as_str(), |(_, why)| why);
    let objects = generated_objects(scope, service, deployment);
    let target = patch
        .target
        .as_ref()
        .map_or_else(String::new, |target| match &target.name {
            Some(name) => format!(" ({} `{name}`)", target.kind),
            None => format!(" (every {})", target.kind),
        });
    let (svc, at) = (&service.name, place(deployment));
    let (message, help) = if why == "the patch selects no resource" {
        (
            format!(
                "patch `{}`{target} applies to no object of `{svc}` in {at}",
                patch.path
            ),
            format!("its objects there are {}", objects.join(", ")),
        )
    } else {
        (
            format!("patch `{}`{target} cannot apply in {at}: {why}", patch.path),
            format!(
                "check its paths against what `fleetc render {svc} {at}` prints without the patch"
            ),
        )
    };
    Diagnostic::error(message)
        .at(entry_span(spans, patch))
        .label(listed_in(patch))
        .help(help)
}

/// The kinds and names of the objects fleetc generates for the service in one overlay.
fn generated_objects(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    deployment: &Deployment,
) -> Vec<String> {
    let mut bare = service.clone();
    for other in &mut bare.deployments {
        other.own_patches.clear();
    }
    let tree = service_files(scope, &bare);
    let documents = Renderer::new(&tree)
        .render(&deployment.overlay_dir(&service.name))
        .unwrap_or_default();
    documents
        .iter()
        .map(|d| format!("{} `{}`", kind(d), name(d)))
        .collect()
}

fn kind(document: &Value) -> &str {
    document["kind"].as_str().unwrap_or("")
}

fn name(document: &Value) -> &str {
    document["metadata"]["name"].as_str().unwrap_or("")
}

/// An object of the service's own whose kind and name another object of the overlay has.
fn taken_twice(
    service: &ServiceModel,
    deployment: &Deployment,
    documents: &[Value],
    spans: &SpanIndex,
) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    let mut twice = Vec::new();
    for document in documents {
        let id = (kind(document), name(document));
        if !seen.insert(id) && !twice.contains(&id) {
            twice.push(id);
        }
    }
    let twice = &twice;
    let own = service
        .own_manifests
        .iter()
        .chain(&deployment.own_manifests);
    own.flat_map(|file| {
        file.documents.iter().filter_map(move |document| {
            let id = (kind(document), name(document));
            twice.contains(&id).then(|| {
                Diagnostic::error(format!(
                    "`{}` holds {} `{}`, which `{}` already has in {}",
                    file.path,
                    id.0,
                    id.1,
                    service.name,
                    place(deployment)
                ))
                .at(entry_span(spans, file))
                .label(listed_in(file))
                .help("give the object a name of its own, or patch the one fleetc writes")
            })
        })
    })
    .collect()
}

fn listed_in(file: &OwnFile) -> String {
    format!("listed in `{}`", file.key[..file.key.len() - 1].join("."))
}

fn entry_span(spans: &SpanIndex, file: &OwnFile) -> Option<std::ops::Range<usize>> {
    let key: Vec<&str> = file.key.iter().map(String::as_str).collect();
    let with_file = [&key[..], &["file"]].concat();
    spans.value(&with_file).or_else(|| spans.value(&key))
}

fn own_span(
    spans: &SpanIndex,
    service: &ServiceModel,
    deployment: &Deployment,
) -> Option<std::ops::Range<usize>> {
    let first = deployment
        .own_patches
        .first()
        .or(deployment.own_manifests.first())
        .or(service.own_manifests.first())?;
    entry_span(spans, first)
}
