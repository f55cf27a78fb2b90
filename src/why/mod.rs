//! Which key of the spec produced a generated file, or a line of one.

pub(crate) mod certificates;
pub(crate) mod clusters;
pub(crate) mod monitoring;
pub(crate) mod secret_store;

use crate::compile::Compiled;
use crate::spec::{EnvSettings, Place, Resources, origin_at};
use crate::tree::layout::{Location, locate_file};
use crate::why::secret_store::{self as store, StoreSetting};

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
/// the first one the spec actually writes is the answer.
pub(crate) fn candidates(
    compiled: &Compiled,
    path: &str,
    text: &str,
    line: Option<usize>,
) -> Vec<Key> {
    let lines: Vec<&str> = text.lines().collect();
    let at = Line::ending(line.map_or(&[], |l| &lines[..l.min(lines.len())]));
    let fallback = || vec![key(&["teams"]), key(&["enterprise", "platform_team"])];
    let Some((location, file)) = locate_file(path) else {
        return fallback();
    };
    match location {
        Location::Overlay {
            service,
            env,
            cluster: None,
        } if let Some(found) =
            crate::why::monitoring::service_line(compiled, service, Some(env), file, at.text) =>
        {
            found
        }
        Location::Base { service }
            if let Some(found) =
                crate::why::monitoring::service_line(compiled, service, None, file, at.text) =>
        {
            found
        }
        Location::Environment { env, cluster: None } if file == "dashboard.yaml" => {
            crate::why::monitoring::overview_line(compiled, env, at.text)
        }
        Location::Overlay { env, .. } if names_the_namespace(compiled, env, &at) => {
            vec![
                key(&["environments", env, "namespace"]),
                key(&["environments", env]),
            ]
        }
        Location::Overlay {
            service,
            env,
            cluster,
        } => overlay_keys(compiled, service, (env, cluster), file, &at),
        Location::Base { service }
        | Location::Colour { service, .. }
        | Location::Rollout { service }
        | Location::OtherOfService { service }
        | Location::Service { service } => service_line(service, &at),
        Location::Environment { env, cluster: None } => {
            environment_line(compiled, (env, None), file, &at)
        }
        Location::Environment {
            env,
            cluster: Some(cluster),
        } => {
            let mut found = crate::why::clusters::platform_keys(env, cluster, file, at.text);
            let mut environment = environment_line(compiled, (env, Some(cluster)), file, &at);
            // Of the keys that explain it, the cluster's table comes before its environment's.
            let last = environment.pop();
            found.extend(environment);
            found.push(key(&["environments", env, "clusters", cluster]));
            found.extend(last);
            found
        }
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

/// The keys behind a line of a service's overlay, in an environment or one of its clusters.
fn overlay_keys(
    compiled: &Compiled,
    service: &str,
    (env, cluster): (&str, Option<&str>),
    file: &str,
    at: &Line<'_>,
) -> Vec<Key> {
    let mut found = overlay_line(compiled, service, (env, cluster), file, at);
    match cluster {
        None => {
            found.extend([
                key(&["services", service, "deploy", env]),
                key(&["services", service]),
            ]);
            found
        }
        Some(cluster) => {
            found.extend([
                key(&["services", service, "overrides", env, "clusters", cluster]),
                key(&["services", service, "deploy", env]),
                key(&["services", service]),
            ]);
            crate::why::clusters::cluster_state_first(found, service, env, cluster)
        }
    }
}

/// The overlay's namespace, or the analysis argument that passes it on: the environment's.
fn names_the_namespace(compiled: &Compiled, env: &str, at: &Line<'_>) -> bool {
    let Some(namespace) = compiled
        .model
        .environment(env)
        .map(|e| e.namespace.as_str())
    else {
        return false;
    };
    at.text.strip_prefix("namespace: ") == Some(namespace)
        || at.operation.contains("/args") && at.text.strip_prefix("value: ") == Some(namespace)
}

fn overlay_line(
    compiled: &Compiled,
    svc: &str,
    (env, cluster): (&str, Option<&str>),
    file: &str,
    at: &Line<'_>,
) -> Vec<Key> {
    let inherited = |setting: &[&str], gives: &dyn Fn(&EnvSettings) -> bool| {
        inherited_keys(compiled, svc, (env, cluster), setting, gives)
    };
    let replicas = || inherited(&["replicas"], &|s| s.replicas.is_some());
    let operation = at.operation;
    let secret = |variable: &str| {
        let mut found = inherited(&["secrets", variable], &|s| {
            s.secrets.contains_key(variable)
        });
        found.push(key(&["services", svc, "secrets"]));
        found
    };
    if file == "externalsecret.yaml" {
        let text = at.text;
        let mut found = Vec::new();
        let store_keys = |setting| store::keys(&compiled.spec, env, cluster, setting);
        if text.starts_with("refreshInterval") {
            found.extend(store_keys(StoreSetting::Refresh));
        }
        let store = compiled
            .model
            .service(svc)
            .and_then(|s| s.deployment_at(env, cluster))
            .and_then(|d| d.secrets.as_ref())
            .map(|secrets| secrets.store.as_str());
        if text.starts_with("kind: ClusterSecretStore")
            || store.is_some_and(|store| text.strip_prefix("name: ") == Some(store))
        {
            found.extend(store_keys(StoreSetting::Store));
        }
        if let Some(variable) = at.variable {
            found.extend(secret(variable));
        }
        found.push(key(&["services", svc, "secrets"]));
        return found;
    }
    if operation == "/metadata/annotations" {
        return vec![key(&["services", svc, "secrets"])];
    }
    if file == "hpa.yaml" && at.text.contains("maxReplicas") {
        inherited(&["autoscaling", "max"], &|s| s.autoscaling.max.is_some())
    } else if file == "hpa.yaml" && at.text.contains("minReplicas") || operation == "/spec/replicas"
    {
        replicas()
    } else if file == "service-patch.yaml" || file == "service-preview.yaml" {
        vec![key(&["services", svc, "deploy", env, "live"])]
    } else if operation.ends_with("/image") || operation.contains("app.kubernetes.io~1version") {
        let mut found = Vec::new();
        if let Some(colour) = file
            .strip_prefix("deployment-")
            .and_then(|f| f.strip_suffix("-patch.yaml"))
        {
            found.push(key(&["services", svc, "deploy", env, colour]));
        }
        found.extend([
            key(&["services", svc, "deploy", env]),
            key(&["services", svc, "version"]),
        ]);
        found
    } else if operation.contains("fleetc.io~1base") || operation.ends_with("/annotations") {
        let colour = file
            .strip_prefix("deployment-")
            .and_then(|f| f.strip_suffix("-patch.yaml"));
        let running = compiled
            .model
            .service(svc)
            .and_then(|s| s.deployment(env))
            .and_then(|d| match colour {
                Some(colour) => d.colours.iter().find(|run| run.colour.as_str() == colour),
                None => Some(d.live_run()),
            });
        let mut found = Vec::new();
        if let Some(run) = running {
            found.push(key(&["services", svc, "built_on", &run.image.tag]));
        }
        found.push(key(&["services", svc, "base"]));
        found
    } else if operation.ends_with("/resources") {
        inherited(&["resources"], &|s| s.resources != Resources::default())
    } else if operation.ends_with("/env") {
        let mut found = Vec::new();
        if let Some(name) = at.text.strip_prefix("- name: ") {
            if name.starts_with("OTEL_") {
                found.push(key(&["observability"]));
            }
            found.extend(inherited(&["env", name], &|s| s.env.contains_key(name)));
        }
        if let Some(name) = at.variable {
            found.extend(inherited(&["secrets", name], &|s| {
                s.secrets.contains_key(name)
            }));
        }
        found.extend([key(&["services", svc, "env"]), key(&["defaults", "env"])]);
        found
    } else {
        Vec::new()
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

fn service_line(svc: &str, at: &Line<'_>) -> Vec<Key> {
    let text = at.text;
    let mut found = Vec::new();
    if text.contains("Probe") || text.starts_with("path: /") {
        found.extend([
            key(&["services", svc, "probes"]),
            key(&["defaults", "probes"]),
        ]);
    }
    if text.contains("containerPort") {
        found.extend([key(&["services", svc, "port"]), key(&["defaults", "port"])]);
    }
    if text.contains("fleetc.io/base-") {
        found.push(key(&["services", svc, "base"]));
    }
    if text.contains("setWeight") || text.contains("duration") {
        found.push(key(&["services", svc, "canary"]));
    }
    if text.starts_with("address:") {
        // The service's own Prometheus, or else the one of the namespace Prometheus runs in.
        found.extend([
            key(&["services", svc, "analysis", "prometheus"]),
            key(&["observability", "prometheus_namespace"]),
        ]);
    }
    if text.contains("successCondition") || text.starts_with("address:") {
        found.push(key(&["services", svc, "analysis"]));
    }
    found.push(key(&["services", svc]));
    found
}

/// The keys behind a line of an environment's shared objects, or of those of its `cluster`.
fn environment_line(
    compiled: &Compiled,
    (env, cluster): (&str, Option<&str>),
    file: &str,
    at: &Line<'_>,
) -> Vec<Key> {
    let text = at.text;
    let mut found = Vec::new();
    if let Some(environment) = compiled.model.environment(env) {
        let domains = [
            environment.domain.as_str(),
            environment.preview_domain.as_str(),
        ];
        found.extend(crate::why::certificates::candidates(
            env, file, text, domains,
        ));
    }
    if let Some(route) = text
        .strip_prefix("- path: ")
        .or_else(|| text.strip_prefix("path: "))
        && let Some(service) = compiled
            .model
            .services
            .iter()
            .find(|s| s.route.as_deref() == Some(route))
    {
        found.push(key(&["services", &service.name, "route"]));
    }
    if file.starts_with("policies") && text.contains("blocked") {
        found.push(key(&["base_images"]));
    }
    if text.contains("host") {
        found.push(key(&["environments", env, "domain"]));
    }
    if file == crate::emit::SECRET_STORE_FILE {
        found.extend(store::keys(
            &compiled.spec,
            env,
            cluster,
            StoreSetting::Provider,
        ));
    }
    found.push(key(&["environments", env]));
    found
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
