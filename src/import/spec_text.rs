//! The spec an import writes: the services found in every place, each setting written once
//! for the service where the environments agree and under `overrides.<env>` where they do
//! not.

use std::collections::BTreeMap;
use std::fmt::Write;

use indexmap::IndexMap;

use super::workload::Found;

/// One service as found in each environment, in the order of the environments.
pub(crate) struct Imported<'a> {
    pub name: &'a str,
    pub team: String,
    pub by_env: Vec<(&'a str, &'a Found)>,
}

/// What the estate as a whole says: its name, registry, environments and their domains.
pub(crate) struct Estate<'a> {
    pub name: &'a str,
    pub environments: Vec<(&'a str, String)>,
    pub services: Vec<Imported<'a>>,
}

fn quoted(text: &str) -> String {
    toml_edit::Value::from(text).to_string().trim().to_owned()
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|item| quoted(item)).collect();
    format!("[{}]", items.join(", "))
}

fn key(text: &str) -> String {
    toml_edit::Key::new(text).display_repr().into_owned()
}

/// The parent of each image repository (`ghcr.io/acme` of `ghcr.io/acme/cart`), the most used
/// first: the registry and the registries images come from.
fn registries(estate: &Estate) -> Vec<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for service in &estate.services {
        for (_, found) in &service.by_env {
            let images = std::iter::once(&found.image)
                .chain(found.sidecars.iter().map(|s| &s.image))
                .chain(found.init_containers.iter().map(|s| &s.image));
            for image in images {
                if let Some((parent, _)) = image.rsplit_once('/') {
                    *counts.entry(parent.to_owned()).or_default() += 1;
                }
            }
        }
    }
    let mut sorted: Vec<(String, usize)> = counts.into_iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sorted.into_iter().map(|(parent, _)| parent).collect()
}

/// Whether a service reads secrets in `env`.
pub(crate) fn reads_secrets(estate: &Estate, env: &str) -> bool {
    estate
        .services
        .iter()
        .flat_map(|s| &s.by_env)
        .any(|(at, found)| *at == env && !found.secrets.is_empty())
}

/// The repository read its Secrets from elsewhere; fleetc reads them through External
/// Secrets, from a store only the team can name.
const PLACEHOLDER_STORE: &str = "# A placeholder: name the store the Secrets come from (aws, vault, gcp or azure).
secret_store.vault = { server = \"https://vault.example.invalid:8200\", role = \"external-secrets\" }
";

/// The spec text of `estate`.
pub(crate) fn spec_text(estate: &Estate) -> (String, Vec<(String, String)>) {
    let mut files = Vec::new();
    let registries = registries(estate);
    let registry = registries
        .first()
        .cloned()
        .unwrap_or_else(|| format!("registry.{}.example", estate.name));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Written by `fleetc import`: read the import report beside this file before the first build.\n\n[enterprise]\nname = {}\nregistry = {}",
        quoted(estate.name),
        quoted(&registry)
    );
    if registries.len() > 1 {
        let _ = writeln!(out, "registries = {}", list(&registries[1..]));
    }
    let _ = writeln!(
        out,
        "gitops_repo = {}\nplatform_team = {}",
        quoted(&format!("https://github.com/{}/gitops.git", estate.name)),
        quoted(&format!("@{}/platform", estate.name))
    );
    for (env, domain) in &estate.environments {
        let _ = writeln!(
            out,
            "\n[environments.{}]\ncluster = \"https://kubernetes.default.svc\"\ndomain = {}",
            key(env),
            quoted(domain)
        );
        if reads_secrets(estate, env) {
            out.push_str(PLACEHOLDER_STORE);
        }
    }
    let mut teams: Vec<&str> = estate.services.iter().map(|s| s.team.as_str()).collect();
    teams.sort_unstable();
    teams.dedup();
    for team in teams {
        let _ = writeln!(
            out,
            "\n[teams.{}]\nowners = [{}]",
            key(team),
            quoted(&format!("@{}/{team}", estate.name))
        );
    }
    for service in &estate.services {
        service_text(&mut out, service, estate.environments.len(), &mut files);
    }
    (out, files)
}

/// The value most places agree on, the first met where several tie.
fn common<T: PartialEq + Clone>(values: &[T]) -> Option<T> {
    let mut best: Option<(&T, usize)> = None;
    for value in values {
        let count = values.iter().filter(|v| *v == value).count();
        if best.is_none_or(|(_, most)| count > most) {
            best = Some((value, count));
        }
    }
    best.map(|(value, _)| value.clone())
}

fn service_text(
    out: &mut String,
    service: &Imported,
    environments: usize,
    files: &mut Vec<(String, String)>,
) {
    let first = service.by_env[0].1;
    let _ = writeln!(out, "\n[services.{}]", key(service.name));
    if first.kind != "deployment" {
        let _ = writeln!(out, "kind = {}", quoted(first.kind));
    }
    let _ = writeln!(
        out,
        "team = {}\nimage = {}",
        quoted(&service.team),
        quoted(&first.image)
    );
    let versions: Vec<String> = service
        .by_env
        .iter()
        .map(|(_, f)| f.version.clone())
        .collect();
    let version = common(&versions).unwrap_or_default();
    let _ = writeln!(out, "version = {}", quoted(&version));
    if service.by_env.len() < environments {
        let envs: Vec<String> = service
            .by_env
            .iter()
            .map(|(env, _)| (*env).to_owned())
            .collect();
        let _ = writeln!(out, "environments = {}", list(&envs));
    }
    scalar_lines(out, service);
    let mut overrides: IndexMap<&str, Vec<String>> = IndexMap::new();
    pod_lines(out, service, &mut overrides);
    config_lines(out, service, &mut overrides, files);
    per_env_maps(out, service, &mut overrides);
    for (env, found) in &service.by_env {
        if found.version != version {
            let state = if found.kind == "deployment" {
                format!("{{ blue = {}, live = \"blue\" }}", quoted(&found.version))
            } else {
                format!("{{ version = {} }}", quoted(&found.version))
            };
            let _ = writeln!(out, "deploy.{} = {state}", key(env));
        }
    }
    sidecar_tables(out, service);
    for (env, lines) in overrides {
        let _ = writeln!(
            out,
            "\n[services.{}.overrides.{}]",
            key(service.name),
            key(env)
        );
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
    }
}

/// The settings that are one value per place: written once when every place agrees, else
/// per environment.
fn scalar_lines(out: &mut String, service: &Imported) {
    let first = service.by_env[0].1;
    if let Some(route) = &first.route {
        let _ = writeln!(out, "route = {}", quoted(route));
    }
    if let Some(port) = first.port {
        let _ = writeln!(out, "port = {port}");
    }
    for port in &first.ports {
        let expose = port
            .expose
            .map(|e| format!(", expose = {e}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "ports.{} = {{ port = {}, protocol = {}{expose} }}",
            key(&port.name),
            port.number,
            quoted(port.protocol)
        );
    }
    if let Some(schedule) = &first.schedule {
        let _ = writeln!(out, "schedule = {}", quoted(schedule));
    }
    if let Some(zone) = &first.timezone {
        let _ = writeln!(out, "timezone = {}", quoted(zone));
    }
    if let Some(command) = &first.command {
        let _ = writeln!(out, "command = {}", list(command));
    }
    if let Some(args) = &first.args {
        let _ = writeln!(out, "args = {}", list(args));
    }
    let mut depends: Vec<String> = service
        .by_env
        .iter()
        .flat_map(|(_, f)| f.depends_on.clone())
        .collect();
    depends.sort();
    depends.dedup();
    if !depends.is_empty() {
        let _ = writeln!(out, "depends_on = {}", list(&depends));
    }
    if replicated(first) {
        scaling_lines(out, service);
    }
}

/// Whether the kind runs pods that stay (a `deployment`, `worker` or `statefulset`): only
/// those take replicas, autoscaling, probes, metrics and a drain budget.
fn replicated(found: &Found) -> bool {
    matches!(found.kind, "deployment" | "worker" | "statefulset")
}

/// Metrics, replicas and autoscaling, per environment where they differ.
fn scaling_lines(out: &mut String, service: &Imported) {
    let first = service.by_env[0].1;
    let same = |pick: &dyn Fn(&Found) -> String| {
        service.by_env.iter().all(|(_, f)| pick(f) == pick(first))
    };
    // Without a port named for them, no metrics are known: none are scraped or alerted on.
    match first.metrics_port {
        Some(port) => {
            let _ = writeln!(out, "metrics = {{ port = {port} }}");
        }
        None => {
            let _ = writeln!(out, "metrics = {{ enabled = false }}");
        }
    }
    let replicas = |f: &Found| {
        f.autoscaling
            .map_or(f.replicas, |(min, _, _)| Some(min))
            .unwrap_or(1)
    };
    if same(&|f| replicas(f).to_string()) {
        let _ = writeln!(out, "replicas = {}", replicas(first));
    } else {
        let by_env: Vec<String> = service
            .by_env
            .iter()
            .map(|(env, f)| format!("{} = {}", key(env), replicas(f)))
            .collect();
        let _ = writeln!(out, "replicas = {{ {} }}", by_env.join(", "));
    }
    match first.autoscaling {
        Some((_, max, cpu)) => {
            let max = if same(&|f| format!("{:?}", f.autoscaling.map(|a| a.1))) {
                max.to_string()
            } else {
                let by_env: Vec<String> = service
                    .by_env
                    .iter()
                    .map(|(env, f)| format!("{} = {}", key(env), f.autoscaling.map_or(1, |a| a.1)))
                    .collect();
                format!("{{ {} }}", by_env.join(", "))
            };
            let cpu = cpu.map(|cpu| format!(", cpu = {cpu}")).unwrap_or_default();
            let _ = writeln!(out, "autoscaling = {{ max = {max}{cpu} }}");
        }
        None => {
            let _ = writeln!(out, "autoscaling = {{ enabled = false }}");
        }
    }
}

/// Probes, the budget of a drain and the cloud identity: the service's, the identity per
/// environment where they differ.
fn pod_lines<'a>(
    out: &mut String,
    service: &Imported<'a>,
    overrides: &mut IndexMap<&'a str, Vec<String>>,
) {
    let first = service.by_env[0].1;
    let kinds: &[&str] = if replicated(first) {
        &["liveness", "readiness", "startup"]
    } else {
        &[]
    };
    for &kind in kinds {
        match first.probes.iter().find(|(k, _)| *k == kind) {
            Some((_, text)) => {
                let _ = writeln!(out, "probes.{kind} = {text}");
            }
            // No probe of the kind, where fleetc would add one.
            None if kind != "startup" && !first.probes_left => {
                let _ = writeln!(out, "probes.{kind} = false");
            }
            None => {}
        }
    }
    volume_lines(out, service, overrides);
    if let Some((key, value)) = first.disruption.as_ref().filter(|_| replicated(first)) {
        let _ = writeln!(out, "disruption = {{ {key} = {value} }}");
    }
    let identities: Vec<&Option<(&str, String)>> =
        service.by_env.iter().map(|(_, f)| &f.identity).collect();
    if identities.iter().all(|identity| *identity == identities[0]) {
        if let Some((key, value)) = &first.identity {
            let _ = writeln!(out, "identity.{key} = {}", quoted(value));
        }
    } else {
        for (env, found) in &service.by_env {
            if let Some((key, value)) = &found.identity {
                overrides
                    .entry(env)
                    .or_default()
                    .push(format!("identity = {{ {key} = {} }}", quoted(value)));
            }
        }
    }
}

/// Scratch volumes, and claimed volumes with their size and class per environment where
/// they differ.
fn volume_lines<'a>(
    out: &mut String,
    service: &Imported<'a>,
    overrides: &mut IndexMap<&'a str, Vec<String>>,
) {
    let first = service.by_env[0].1;
    // Every pod fleetc writes has a `/tmp` of its own; the report compares the two.
    for volume in first.volumes.iter().filter(|v| v.path != "/tmp") {
        let mut table = format!("path = {}", quoted(&volume.path));
        if let Some(size) = &volume.size {
            let _ = write!(table, ", size = {}", quoted(size));
        }
        if volume.memory {
            table.push_str(", memory = true");
        }
        let _ = writeln!(out, "volumes.{} = {{ {table} }}", key(&volume.name));
    }
    for claimed in &first.storage {
        let class = |c: &Option<String>| {
            c.as_ref()
                .map(|c| format!(", class = {}", quoted(c)))
                .unwrap_or_default()
        };
        let _ = writeln!(
            out,
            "storage.{} = {{ path = {}, size = {}{} }}",
            key(&claimed.name),
            quoted(&claimed.path),
            quoted(&claimed.size),
            class(&claimed.class)
        );
        for (env, found) in &service.by_env[1..] {
            let Some(here) = found.storage.iter().find(|c| c.name == claimed.name) else {
                continue;
            };
            if here.size != claimed.size || here.class != claimed.class {
                overrides.entry(env).or_default().push(format!(
                    "storage.{} = {{ size = {}{} }}",
                    key(&claimed.name),
                    quoted(&here.size),
                    class(&here.class)
                ));
            }
        }
    }
}

/// Configuration files: each written beside the spec under `config/<service>/` at its path
/// in the container, the first environment's for the service, another environment's text
/// under `config/<service>/<env>/` for that environment.
fn config_lines<'a>(
    out: &mut String,
    service: &Imported<'a>,
    overrides: &mut IndexMap<&'a str, Vec<String>>,
    files: &mut Vec<(String, String)>,
) {
    let first = service.by_env[0].1;
    let file_of = |env: Option<&str>, path: &str| {
        let inside = path.trim_start_matches('/');
        match env {
            None => format!("config/{}/{inside}", service.name),
            Some(env) => format!("config/{}/{env}/{inside}", service.name),
        }
    };
    let mut shared = IndexMap::new();
    for (path, text) in &first.config_files {
        let file = file_of(None, path);
        files.push((file.clone(), text.clone()));
        shared.insert(path.clone(), file);
    }
    if !shared.is_empty() {
        let _ = writeln!(out, "config_files = {}", inline(&shared));
    }
    for (env, found) in &service.by_env[1..] {
        let mut own = IndexMap::new();
        for (path, text) in &found.config_files {
            if first.config_files.get(path) != Some(text) {
                let file = file_of(Some(env), path);
                files.push((file.clone(), text.clone()));
                own.insert(path.clone(), file);
            }
        }
        if !own.is_empty() {
            overrides
                .entry(env)
                .or_default()
                .push(format!("config_files = {}", inline(&own)));
        }
    }
}

/// The init containers and the sidecars, each a table of its own.
fn sidecar_tables(out: &mut String, service: &Imported) {
    let first = service.by_env[0].1;
    let tables = first
        .init_containers
        .iter()
        .map(|c| ("init_containers", c))
        .chain(first.sidecars.iter().map(|c| ("sidecars", c)));
    for (table, sidecar) in tables {
        let _ = writeln!(
            out,
            "\n[services.{}.{table}.{}]\nimage = {}\nversion = {}",
            key(service.name),
            key(&sidecar.name),
            quoted(&sidecar.image),
            quoted(&sidecar.version)
        );
        if let Some(command) = &sidecar.command {
            let _ = writeln!(out, "command = {}", list(command));
        }
        if let Some(args) = &sidecar.args {
            let _ = writeln!(out, "args = {}", list(args));
        }
        if !sidecar.env.is_empty() {
            let env: IndexMap<String, String> = sidecar.env.clone();
            let _ = writeln!(out, "env = {}", inline(&env));
        }
        let resources = sidecar.resources.table();
        if !resources.is_empty() {
            let _ = writeln!(out, "resources = {}", inline(&resources));
        }
    }
}

/// Resources, variables and secrets: the service's where every place agrees, the rest under
/// the environment's overrides.
fn per_env_maps<'a>(
    out: &mut String,
    service: &Imported<'a>,
    overrides: &mut IndexMap<&'a str, Vec<String>>,
) {
    let maps = |found: &Found| -> [Setting; 3] {
        let resources = found.resources.table();
        [
            ("resources", resources),
            ("env", found.env.clone()),
            ("secrets", found.secrets.clone()),
        ]
    };
    let all: Vec<(&str, [Setting; 3])> = service
        .by_env
        .iter()
        .map(|(env, f)| (*env, maps(f)))
        .collect();
    for index in 0..3 {
        let name = all[0].1[index].0;
        let shared: IndexMap<String, String> = all[0].1[index]
            .1
            .iter()
            .filter(|(k, v)| all.iter().all(|(_, m)| m[index].1.get(*k) == Some(*v)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !shared.is_empty() {
            let _ = writeln!(out, "{name} = {}", inline(&shared));
        }
        for (env, m) in &all {
            let own: IndexMap<String, String> = m[index]
                .1
                .iter()
                .filter(|(k, _)| !shared.contains_key(*k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !own.is_empty() {
                overrides
                    .entry(env)
                    .or_default()
                    .push(format!("{name} = {}", inline(&own)));
            }
        }
    }
}

/// A setting written as a table of strings: its key and its entries.
type Setting = (&'static str, IndexMap<String, String>);

fn inline(map: &IndexMap<String, String>) -> String {
    let pairs: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{} = {}", key(k), quoted(v)))
        .collect();
    format!("{{ {} }}", pairs.join(", "))
}
