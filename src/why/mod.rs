//! Which key of the spec produced a generated file, or a line of one.

pub(crate) mod certificates;
pub(crate) mod clusters;
pub(crate) mod monitoring;
pub(crate) mod secret_store;

use crate::compile::Compiled;
use crate::spec::{EnvSettings, Place, Resources, origin_at};
use crate::tree::layout::{Location, locate_file};
use crate::tree::origin::{Origin, StoreSetting, WrittenLine};
use crate::why::secret_store as store;

type Key = Vec<String>;

fn key(parts: &[&str]) -> Key {
    parts.iter().map(|s| (*s).to_owned()).collect()
}

/// A line of a generated file, with what surrounds it.
struct Line<'a> {
    /// The line itself, trimmed.
    text: &'a str,
    /// In a JSON 6902 patch, the path of the operation the line belongs to.
    operation: &'a str,
    /// In HCL, the module block the line is in.
    module: Option<&'a str>,
    /// In a list of variables or of secret references, the variable the line belongs to.
    variable: Option<&'a str>,
}

impl<'a> Line<'a> {
    /// The last of `before`, with what the lines above it say it belongs to.
    fn ending(before: &[&'a str]) -> Self {
        Line {
            text: before.last().map_or("", |l| l.trim()),
            operation: before
                .iter()
                .rev()
                .find_map(|l| l.trim().strip_prefix("path: "))
                .unwrap_or(""),
            module: before
                .iter()
                .rev()
                .find_map(|l| l.strip_prefix("module \"")?.split('"').next()),
            variable: before.iter().rev().find_map(|l| {
                let l = l.trim();
                l.strip_prefix("- name: ")
                    .or_else(|| l.strip_prefix("- secretKey: "))
            }),
        }
    }
}

/// The spec keys that can explain `path` (a path of the tree) at `line`, most specific first;
/// the first one the spec actually writes is the answer. They are what the emitter that wrote
/// the file recorded, read for the line's place in the file.
pub(crate) fn candidates(
    compiled: &Compiled,
    path: &str,
    text: &str,
    line: Option<usize>,
) -> Vec<Key> {
    let recorded = compiled.tree.origins().and_then(|o| o.of(path));
    let mut found: Vec<Key> = match recorded {
        None => Vec::new(),
        Some(origins) => {
            let origins = match line {
                None => origins.of_file(),
                Some(line) => {
                    let nodes = compiled
                        .tree
                        .documents(path)
                        .map(crate::tree::yaml::nodes_of_lines)
                        .unwrap_or_default();
                    let header = text.lines().count().saturating_sub(nodes.len());
                    let node = line
                        .checked_sub(header + 1)
                        .and_then(|at| nodes.get(at)?.as_ref())
                        .map(|(document, pointer)| (*document, pointer.as_slice()));
                    origins.of_line(&WrittenLine { line, node })
                }
            };
            origins
                .into_iter()
                .flat_map(|origin| keys_of(compiled, origin))
                .collect()
        }
    };
    found.extend(guessed(compiled, path, text, line));
    found
}

/// The keys an origin names, most specific first.
fn keys_of(compiled: &Compiled, origin: &Origin) -> Vec<Key> {
    match origin {
        Origin::Key(key) => vec![key.clone()],
        Origin::Setting {
            service,
            env,
            cluster,
            setting,
        } => {
            let setting: Vec<&str> = setting.iter().map(String::as_str).collect();
            setting_keys(compiled, service, (env, cluster.as_deref()), &setting)
        }
        Origin::SecretStore {
            env,
            cluster,
            setting,
        } => store::keys(&compiled.spec, env, cluster.as_deref(), *setting),
    }
}

/// The keys that can hold a service's `setting` in the layer its value for `env` (or
/// `cluster`) comes from, the environment's own entry first.
fn setting_keys(
    compiled: &Compiled,
    svc: &str,
    (env, cluster): (&str, Option<&str>),
    setting: &[&str],
) -> Vec<Key> {
    let gives = |s: &EnvSettings| settings_give(s, setting);
    inherited_keys(compiled, svc, (env, cluster), setting, &gives)
}

/// Whether a layer of the inheritance writes `setting`.
fn settings_give(settings: &EnvSettings, setting: &[&str]) -> bool {
    match setting {
        ["replicas"] => settings.replicas.is_some(),
        ["autoscaling", "max"] => settings.autoscaling.max.is_some(),
        ["resources"] => settings.resources != Resources::default(),
        ["env", name] => settings.env.contains_key(*name),
        ["secrets", name] => settings.secrets.contains_key(*name),
        _ => false,
    }
}

fn guessed(compiled: &Compiled, path: &str, text: &str, line: Option<usize>) -> Vec<Key> {
    let lines: Vec<&str> = text.lines().collect();
    let at = Line::ending(line.map_or(&[], |l| &lines[..l.min(lines.len())]));
    let fallback = || vec![key(&["teams"]), key(&["enterprise", "platform_team"])];
    let Some((location, file)) = locate_file(path) else {
        return fallback();
    };
    match location {
        Location::Overlay { .. }
        | Location::Base { .. }
        | Location::Colour { .. }
        | Location::Rollout { .. }
        | Location::OtherOfService { .. }
        | Location::Service { .. } => Vec::new(),
        Location::Environment { .. } => Vec::new(),
        Location::EnvironmentApplication {
            env,
            cluster: Some(cluster),
        } => {
            let mut found = vec![key(&["environments", env, "clusters", cluster])];
            found.extend(argocd_line(env, &at));
            found
        }
        Location::Terraform {
            env,
            cluster: Some(cluster),
        } => {
            let mut found = crate::why::clusters::terraform_keys(env, cluster, at.text);
            found.extend(terraform_line(compiled, env, &at));
            found
        }
        Location::RootApplication => vec![key(&["enterprise"])],
        Location::Project { env }
        | Location::ApplicationSet { env }
        | Location::EnvironmentApplication { env, cluster: None } => {
            let mut found = crate::why::clusters::element_keys(&compiled.spec, env, at.text);
            found.extend(argocd_line(env, &at));
            found
        }
        Location::Ci { service } => {
            let mut found = Vec::new();
            if at.text.starts_with("uses:") {
                found.extend([key(&["ci", "waves"]), key(&["ci", "version"])]);
            }
            found.extend([key(&["services", service]), key(&["ci"])]);
            found
        }
        Location::Terraform { env, cluster: None } => terraform_line(compiled, env, &at),
        Location::Codeowners => fallback(),
    }
}

/// The keys that can hold `setting` in the layer the service's value for `env` comes from,
/// the environment's own entry first.
fn inherited_keys(
    compiled: &Compiled,
    svc: &str,
    (env, cluster): (&str, Option<&str>),
    setting: &[&str],
    gives: &dyn Fn(&EnvSettings) -> bool,
) -> Vec<Key> {
    let spec = &compiled.spec;
    let Some(service) = spec.services.get(svc) else {
        return Vec::new();
    };
    let listed = cluster.and_then(|name| {
        let (name, listed) = spec.environments.get(env)?.clusters.get_key_value(name)?;
        Some(Place::cluster(env, name, listed))
    });
    let place = listed.unwrap_or_else(|| Place::environment(env));
    let Some(layer) = origin_at(&spec.defaults, service, &place, gives) else {
        return Vec::new();
    };
    let prefix = layer.key_path(svc, &place);
    let prefix: Vec<&str> = prefix.iter().map(String::as_str).collect();
    let whole = [&prefix[..], setting].concat();
    vec![key(&[&whole[..], &[env]].concat()), key(&whole)]
}

fn argocd_line(env: &str, at: &Line<'_>) -> Vec<Key> {
    let text = at.text;
    let mut found = Vec::new();
    if text.contains("schedule") || text.contains("kind: allow") || text.contains("kind: deny") {
        found.push(key(&["environments", env, "sync_windows"]));
    }
    if text.contains("automated") || text.contains("prune") || text.contains("maxUpdate") {
        found.push(key(&["environments", env, "sync"]));
    }
    found.extend([key(&["environments", env]), key(&["enterprise"])]);
    found
}

fn terraform_line(compiled: &Compiled, env: &str, at: &Line<'_>) -> Vec<Key> {
    let mut found = Vec::new();
    if at.text.starts_with("node_image") {
        found.extend([
            key(&["terraform", "node_image", env]),
            key(&["terraform", "node_image"]),
        ]);
    }
    if let Some(module) = at.module {
        let written = compiled
            .spec
            .terraform
            .iter()
            .flat_map(|t| t.modules.keys())
            .find(|k| k.replace('-', "_") == module)
            .map_or(module, String::as_str);
        found.extend([
            key(&["terraform", "modules", written, env]),
            key(&["terraform", "modules", written]),
        ]);
    }
    found.push(key(&["terraform"]));
    found
}
