//! Which key of the spec produced a generated file, or a line of one.

pub(crate) mod secret_store;

use crate::compile::Compiled;
use crate::spec::{EnvSettings, Place, Resources, Scheduling, origin_at};
use crate::tree::Tree;
use crate::tree::origin::{Origin, WrittenLine};
use crate::why::secret_store as store;

type Key = Vec<String>;

fn key(parts: &[&str]) -> Key {
    parts.iter().map(|s| (*s).to_owned()).collect()
}

/// The spec keys that can explain `path` (a path of the tree) at `line`, most specific first;
/// the first one the spec actually writes is the answer. They are what the emitter that wrote
/// the file recorded, read for the line's place in the file.
pub(crate) fn candidates(
    compiled: &Compiled,
    tree: &Tree,
    path: &str,
    text: &str,
    line: Option<usize>,
) -> Vec<Key> {
    let Some(origins) = tree.origins().and_then(|o| o.of(path)) else {
        return Vec::new();
    };
    let origins = match line {
        None => origins.of_file(),
        Some(line) => {
            let nodes = nodes_of(tree, path);
            origins.of_line(&written_line(&nodes, text, line))
        }
    };
    origins
        .into_iter()
        .flat_map(|origin| keys_of(compiled, origin))
        .collect()
}

/// The file beside the spec that `path` (at `line`) was copied from, and the line of that
/// file, where it can be told.
pub(crate) fn copied_from(
    tree: &Tree,
    path: &str,
    text: &str,
    line: Option<usize>,
) -> Option<(String, Option<usize>)> {
    let origins = tree.origins()?.of(path)?;
    let nodes;
    let found = match line {
        None => origins.of_file(),
        Some(line) => {
            nodes = nodes_of(tree, path);
            origins.of_line(&written_line(&nodes, text, line))
        }
    };
    found.into_iter().find_map(|origin| match origin {
        Origin::Beside { file, line } => Some((file.clone(), *line)),
        _ => None,
    })
}

/// The tree of `compiled` with what each part of file `path` was written from, for
/// [`candidates`]; `None` records every file.
pub(crate) fn explained(compiled: &Compiled, path: Option<&str>) -> Tree {
    crate::emit::emit_explaining(&compiled.model, path)
}

/// The document and node each line of the body of YAML file `path` writes.
fn nodes_of(tree: &Tree, path: &str) -> Vec<Option<(usize, Vec<String>)>> {
    tree.documents(path)
        .map(crate::tree::yaml::nodes_of_lines)
        .unwrap_or_default()
}

/// Line `line` of a file of `text`, whose body writes `nodes`: what comes before them is
/// the header.
fn written_line<'a>(
    nodes: &'a [Option<(usize, Vec<String>)>],
    text: &str,
    line: usize,
) -> WrittenLine<'a> {
    let header = text.lines().count().saturating_sub(nodes.len());
    let node = line
        .checked_sub(header + 1)
        .and_then(|at| nodes.get(at)?.as_ref())
        .map(|(document, pointer)| (*document, pointer.as_slice()));
    WrittenLine { line, node }
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
        // The key that lists the file follows it.
        Origin::Beside { .. } => Vec::new(),
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
        ["scheduling", rest @ ..] => scheduling_gives(&settings.scheduling, rest),
        _ => false,
    }
}

/// Whether a layer's `scheduling` writes `setting`.
fn scheduling_gives(scheduling: &Scheduling, setting: &[&str]) -> bool {
    let affinity = scheduling.node_affinity.as_ref();
    match setting {
        ["node_selector"] => !scheduling.node_selector.is_empty(),
        ["node_selector", label] => scheduling.node_selector.contains_key(*label),
        ["tolerations"] => scheduling.tolerations.is_some(),
        ["node_affinity"] => affinity.is_some(),
        ["node_affinity", "required"] => affinity.is_some_and(|a| a.required.is_some()),
        ["node_affinity", "preferred"] => affinity.is_some_and(|a| a.preferred.is_some()),
        ["priority_class"] => scheduling.priority_class.is_some(),
        ["spread"] => scheduling.spread.is_some(),
        _ => false,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::{CompileOptions, TreeMade, compile};
    use crate::source::Source;

    fn compiled(name: &str, text: &str) -> Compiled {
        let source = Source::new(name, text);
        let today = crate::spec::Date(jiff::civil::date(2026, 12, 7));
        compile(
            &source,
            CompileOptions::from(today).making(TreeMade::Nothing),
        )
        .unwrap_or_else(|e| panic!("{name} compiles: {e:?}"))
    }

    /// The key `why` names for the first line of `path` that contains `needle`.
    fn answer(compiled: &Compiled, path: &str, needle: &str) -> String {
        let tree = explained(compiled, Some(path));
        let text = String::from_utf8_lossy(tree.get(path).expect(path)).into_owned();
        let line = text.lines().position(|l| l.contains(needle)).expect(needle) + 1;
        let found = candidates(compiled, &tree, path, &text, Some(line));
        let written = found.iter().find(|key| {
            let parts: Vec<&str> = key.iter().map(String::as_str).collect();
            compiled.spans.contains(&parts)
        });
        written.map(|key| key.join(".")).unwrap_or_default()
    }

    #[test]
    fn a_clusters_own_keys_come_before_its_environments() {
        let compiled = compiled(
            "enterprise.toml",
            include_str!("../../golden/regions/enterprise.toml"),
        );
        let cases = [
            (
                "apps/orders/overlays/prod/eu-canary/deployment-green-patch.yaml",
                "orders:4.1.0",
                "services.orders.deploy.prod.clusters.eu-canary.green",
            ),
            (
                "apps/orders/overlays/prod/eu/deployment-blue-patch.yaml",
                "orders:4.0.1",
                "services.orders.deploy.prod.blue",
            ),
            (
                "argocd/applicationsets/prod.yaml",
                "cluster: eu-canary",
                "environments.prod.clusters.eu-canary",
            ),
            (
                "terraform/prod/us/main.tf",
                "node_image",
                "environments.prod.clusters.us.node_image",
            ),
            (
                "terraform/prod/eu/main.tf",
                "node_image",
                "terraform.node_image.prod",
            ),
            (
                "envs/prod/eu/ingress.yaml",
                "host:",
                "environments.prod.clusters.eu.domain",
            ),
        ];
        for (path, needle, key) in cases {
            assert_eq!(answer(&compiled, path, needle), key, "{path}: {needle}");
        }
    }

    /// Every line of every file fleetc writes for `spec` is explained by a key the spec
    /// writes, and the lines of each YAML file are matched to as many nodes as it has.
    fn every_line_is_explained(name: &str, text: &str) {
        let compiled = compiled(name, text);
        let tree = explained(&compiled, None);
        let origins = tree.origins().expect("an explaining tree records");
        let written = |key: &Key| {
            let parts: Vec<&str> = key.iter().map(String::as_str).collect();
            compiled.spans.contains(&parts)
        };
        for (path, bytes) in tree.iter() {
            if crate::tree::is_any_record(path) {
                continue;
            }
            let file = origins
                .of(path)
                .unwrap_or_else(|| panic!("{path} has a record"));
            let text = String::from_utf8_lossy(bytes);
            let nodes = nodes_of(&tree, path);
            let lines = text.lines().count();
            if tree.documents(path).is_some() {
                let header = text.lines().take_while(|l| l.starts_with('#')).count();
                assert_eq!(
                    header + nodes.len(),
                    lines,
                    "{path}: every body line has a node"
                );
            }
            for line in 1..=lines {
                let keys: Vec<Key> = file
                    .of_line(&written_line(&nodes, &text, line))
                    .into_iter()
                    .flat_map(|origin| keys_of(&compiled, origin))
                    .collect();
                assert!(
                    keys.iter().any(written),
                    "{path}:{line} is explained: {keys:?}"
                );
            }
        }
    }

    #[test]
    fn every_line_of_the_bundled_specs_trees_is_explained() {
        every_line_is_explained(
            "enterprise.toml",
            include_str!("../../spec/enterprise.toml"),
        );
        every_line_is_explained(
            "regions.toml",
            include_str!("../../golden/regions/enterprise.toml"),
        );
        every_line_is_explained(
            "protocols.toml",
            include_str!("../../golden/protocols/enterprise.toml"),
        );
        every_line_is_explained(
            "workloads.toml",
            include_str!("../../golden/workloads/enterprise.toml"),
        );
        // Named by its path, so the files beside it are read: unit tests run in the crate.
        every_line_is_explained(
            "golden/escape-hatch/enterprise.toml",
            include_str!("../../golden/escape-hatch/enterprise.toml"),
        );
        every_line_is_explained(
            "golden/estate/enterprise.toml",
            include_str!("../../golden/estate/enterprise.toml"),
        );
    }
}
