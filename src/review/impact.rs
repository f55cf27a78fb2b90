use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;
use similar::TextDiff;

use super::AppChange;
use super::applications::{AppPlace, application_name, application_of};
use super::classify::classify_with;
use super::escape_hatch::OwnParts;
use super::owners::{owners_to_request, repository_file_owners};
use super::platform::{CiChange, TerraformChange, ci_changes, terraform_changes};
use crate::emit::documents;
use crate::model::Model;
use crate::render::{RenderError, Renderer, overlays};
use crate::tree::layout::{Location, locate_application_dir, locate_file, service_dir};
use crate::tree::{MANIFEST, Tree};

/// Everything a change does, Application by Application, production first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Impact {
    pub environments: Vec<EnvironmentImpact>,
    /// Changed files outside services and environments: Argo CD, CI pins, Terraform, owners.
    pub platform_files: Vec<String>,
    /// CI caller workflows that change, grouped by template version.
    pub ci: Vec<CiChange>,
    /// Terraform modules that change, environment by environment.
    pub terraform: Vec<TerraformChange>,
    /// Everyone CODEOWNERS gives a file the change touches, for review requests.
    pub owners: Vec<String>,
    /// The environments of the spec in promotion order, to list Applications by.
    #[serde(skip)]
    pub promotion_order: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvironmentImpact {
    pub name: String,
    pub production: bool,
    pub applications: Vec<AppImpact>,
}

/// One Application (a service, or the environment's own objects) whose rendered manifests
/// change.
#[derive(Debug, Clone, Serialize)]
pub struct AppImpact {
    pub service: Option<String>,
    pub environment: String,
    /// The cluster, in an environment that lists clusters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    pub path: String,
    pub changes: Vec<AppChange>,
    pub owners: Vec<String>,
    /// Unified diff of the rendered manifests.
    #[serde(skip)]
    pub diff: String,
}

impl AppImpact {
    pub fn name(&self) -> String {
        application_name(
            self.service.as_deref(),
            &self.environment,
            self.cluster.as_deref(),
        )
    }

    pub fn place(&self) -> AppPlace {
        AppPlace {
            service: self.service.clone(),
            environment: self.environment.clone(),
            cluster: self.cluster.clone(),
        }
    }
}

impl Impact {
    /// The services that change in an environment.
    /// The services a change touches in `env`, each once however many of its clusters it
    /// reaches.
    pub fn services_in(&self, env: &str) -> Vec<&str> {
        let mut services: Vec<&str> = Vec::new();
        let touched = self
            .environments
            .iter()
            .filter(|e| e.name == env)
            .flat_map(|e| e.applications.iter().filter_map(|a| a.service.as_deref()));
        for service in touched {
            if !services.contains(&service) {
                services.push(service);
            }
        }
        services
    }

    /// How many services a change touches in each cluster of `env`, in the order they
    /// first appear; nothing for an environment that lists no clusters.
    pub fn services_per_cluster(&self, env: &str) -> Vec<(&str, usize)> {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        let touched = self
            .environments
            .iter()
            .filter(|e| e.name == env)
            .flat_map(|e| &e.applications)
            .filter(|a| a.service.is_some())
            .filter_map(|a| a.cluster.as_deref());
        for cluster in touched {
            match counts.iter_mut().find(|(c, _)| *c == cluster) {
                Some((_, count)) => *count += 1,
                None => counts.push((cluster, 1)),
            }
        }
        counts
    }

    pub fn applications(&self) -> impl Iterator<Item = &AppImpact> {
        self.environments.iter().flat_map(|e| e.applications.iter())
    }

    /// The names of the Applications that would be created.
    pub fn created(&self) -> Vec<String> {
        self.places(&AppChange::Added)
            .iter()
            .map(AppPlace::name)
            .collect()
    }

    /// The names of the Applications that would be deleted, with everything they deployed.
    pub fn deleted(&self) -> Vec<String> {
        self.deleted_places().iter().map(AppPlace::name).collect()
    }

    pub fn deleted_places(&self) -> Vec<AppPlace> {
        self.places(&AppChange::Removed)
    }

    pub(super) fn places(&self, change: &AppChange) -> Vec<AppPlace> {
        self.applications()
            .filter(|a| a.changes.contains(change))
            .map(AppImpact::place)
            .collect()
    }

    /// The labels of a pull request: `env:<name>` for every environment touched (by its
    /// Applications or its Terraform), `ci` and `terraform` for those changes.
    pub fn labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = self
            .environments
            .iter()
            .map(|e| format!("env:{}", e.name))
            .collect();
        for change in &self.terraform {
            let label = format!("env:{}", change.environment);
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
        if !self.ci.is_empty() {
            labels.push("ci".to_owned());
        }
        if !self.terraform.is_empty() {
            labels.push("terraform".to_owned());
        }
        labels
    }

    pub fn is_empty(&self) -> bool {
        self.environments.is_empty() && self.platform_files.is_empty()
    }

    /// Environments in which more than `limit` services change at once.
    pub fn over_blast(&self, limit: usize) -> Vec<(&str, Vec<&str>)> {
        self.environments
            .iter()
            .map(|e| (e.name.as_str(), self.services_in(&e.name)))
            .filter(|(_, services)| services.len() > limit)
            .collect()
    }
}

/// Renders every overlay of both trees and compares them. `model` (of the new spec) gives
/// the environments' order and the owners.
pub fn impact(before: &Tree, after: &Tree, model: &Model) -> Result<Impact, RenderError> {
    let dirs: BTreeSet<String> = overlays(before)
        .into_iter()
        .chain(overlays(after))
        .collect();
    let mut apps = Vec::new();
    let (mut old_renderer, mut new_renderer) = (Renderer::new(before), Renderer::new(after));
    for dir in dirs {
        if inputs_unchanged(before, after, &dir) {
            continue;
        }
        let old = render_if_present(&mut old_renderer, before, &dir)?;
        let new = render_if_present(&mut new_renderer, after, &dir)?;
        if old == new {
            continue;
        }
        let changes = match (&old, &new) {
            (None, _) => vec![AppChange::Added],
            (_, None) => vec![AppChange::Removed],
            (Some(old), Some(new)) => classify_with(old, new, &OwnParts::of(before, after, &dir)),
        };
        let Some(AppPlace {
            service,
            environment,
            cluster,
        }) = application_of(&dir)
        else {
            continue;
        };
        apps.push(AppImpact {
            owners: model.owners_of(&format!("{dir}/kustomization.yaml")),
            diff: rendered_diff(&dir, old.as_deref(), new.as_deref()),
            service,
            environment,
            cluster,
            path: dir,
            changes,
        });
    }
    let mut order: Vec<(bool, usize, String)> = Vec::new();
    for app in &apps {
        let position = model
            .environments
            .iter()
            .position(|e| e.name == app.environment);
        let production = position.is_some_and(|p| model.environments[p].production);
        let key = (
            !production,
            position.unwrap_or(usize::MAX),
            app.environment.clone(),
        );
        if !order.contains(&key) {
            order.push(key);
        }
    }
    order.sort();
    let environments = order
        .into_iter()
        .map(|(not_production, _, name)| EnvironmentImpact {
            applications: apps
                .iter()
                .filter(|a| a.environment == name)
                .cloned()
                .collect(),
            production: !not_production,
            name,
        })
        .collect();
    let touched = changed_paths(before, after);
    let platform_files: Vec<String> = touched
        .iter()
        .filter(|p| *p != MANIFEST && !is_service_or_environment_file(p))
        .cloned()
        .collect();
    let ci = ci_changes(before, after, &platform_files);
    let terraform = terraform_changes(before, after, &platform_files);
    Ok(Impact {
        environments,
        platform_files,
        ci,
        terraform,
        owners: owners_to_request(before, &touched),
        promotion_order: model.environments.iter().map(|e| e.name.clone()).collect(),
    })
}

impl Impact {
    /// Asks as well the owners of a file of the repository outside the tree that the change
    /// touches (the spec), by the CODEOWNERS of `before`: someone only when the tree is the
    /// repository's root.
    pub fn ask_owners_of_repository_file(&mut self, before: &Tree, path: &str) {
        let owners: BTreeSet<String> = self
            .owners
            .drain(..)
            .chain(repository_file_owners(before, path))
            .collect();
        self.owners = owners.into_iter().collect();
    }
}

/// A file of a service's folders or of an environment's shared folder (not a platform file).
fn is_service_or_environment_file(path: &str) -> bool {
    locate_file(path).is_some_and(|(location, _)| {
        location
            .service()
            .is_some_and(|_| !matches!(location, Location::Ci { .. }))
            || matches!(location, Location::Environment { .. })
    })
}

/// An overlay renders from its service's folder (or its environment's); when none of those
/// files changed, neither did the rendering.
fn inputs_unchanged(before: &Tree, after: &Tree, dir: &str) -> bool {
    let folder = match locate_application_dir(dir).and_then(|place| place.service()) {
        Some(service) => format!("{}/", service_dir(service)),
        None => format!("{dir}/"),
    };
    before.under(&folder).eq(after.under(&folder))
}

fn render_if_present(
    renderer: &mut Renderer<'_>,
    tree: &Tree,
    dir: &str,
) -> Result<Option<Vec<Value>>, RenderError> {
    if tree.get(&format!("{dir}/kustomization.yaml")).is_none() {
        return Ok(None);
    }
    renderer.render(dir).map(Some)
}

fn rendered_diff(dir: &str, old: Option<&[Value]>, new: Option<&[Value]>) -> String {
    let old = old.map(documents).unwrap_or_default();
    let new = new.map(documents).unwrap_or_default();
    TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{dir}"), &format!("b/{dir}"))
        .to_string()
}

fn changed_paths(before: &Tree, after: &Tree) -> Vec<String> {
    let mut paths: BTreeSet<String> = BTreeSet::new();
    for (path, bytes) in after.iter() {
        if before.get(path) != Some(bytes) {
            paths.insert(path.to_owned());
        }
    }
    for path in before.paths() {
        if after.get(path).is_none() {
            paths.insert(path.to_owned());
        }
    }
    paths.into_iter().collect()
}
