//! Existing repository → spec: reads a GitOps repository in one of the common layouts,
//! renders what each place deploys, reads each workload into what the spec can say of it,
//! and writes the spec with a report of everything it could not say.

pub(crate) mod compare;
pub(crate) mod input;
pub(crate) mod layout;
pub(crate) mod report;
pub(crate) mod spec_text;
pub(crate) mod workload;

use std::path::Path;

use indexmap::IndexMap;
use serde_json::Value;

use self::compare::Deployed;
use self::input::InputError;
use self::layout::{Layout, Place};
use self::report::{Report, ServiceReport};
use self::spec_text::{Estate, Imported};
use self::workload::Found;
use crate::formats::secret_name::named_like_a_secret;
use crate::formats::secret_value::credential_in;
use crate::naming::dns_label;
use crate::parallel::on_every_core;
use crate::spec::Date;
use crate::tree::Tree;

/// What an import made: the spec's text, the files beside it (relative to its folder) and
/// the report of it.
pub(crate) struct Import {
    pub spec: String,
    pub files: Vec<(String, String)>,
    pub report: Report,
}

/// What an import is asked: the repository, its layout when told, the estate's name, where
/// the spec goes, and the day the spec is compiled as of.
pub(crate) struct Ask<'a> {
    pub dir: &'a Path,
    pub layout: Option<Layout>,
    pub name: &'a str,
    pub spec: &'a Path,
    pub today: Date,
}

/// Imports the repository `ask` names.
pub(crate) fn import(ask: &Ask) -> Result<Import, InputError> {
    let (dir, layout) = (ask.dir, ask.layout);
    let tree = input::read_dir(dir)?;
    let paths: Vec<&str> = tree.paths().collect();
    let nothing = || {
        InputError {
        file: crate::source::display_path(dir),
        document: None,
        field: None,
        message: "holds no Kubernetes manifests in a layout fleetc reads: apps/<service>/overlays/<env>, overlays/<env>, <env>/<service>/, <env>/*.yaml or <env>.yaml".into(),
    }
    };
    let layout = layout
        .or_else(|| layout::detect(&paths))
        .ok_or_else(nothing)?;
    let mut places = layout::places(&paths, layout);
    places.sort_by(|a, b| {
        rank(&a.env)
            .cmp(&rank(&b.env))
            .then_with(|| a.env.cmp(&b.env))
    });
    if places.is_empty() {
        return Err(nothing());
    }
    let read = read_places(&tree, places)?;
    let mut imported = assemble(layout, ask.name, &read);
    let mut deployed = Vec::new();
    for (place, documents) in read.iter().filter(|(place, _)| place.cluster.is_none()) {
        for found in workload::services(documents).0 {
            deployed.push(Deployed {
                env: &place.env,
                objects: workload::objects_of(&found.name, documents),
                service: found.name,
            });
        }
    }
    match compare::compare(ask.spec, &imported.spec, &imported.files, ask.today, &deployed) {
        Ok(differences) => {
            imported.report.differences = differences;
            imported.report.compared = true;
        }
        Err(errors) => imported.report.note(format!("the imported spec does not compile, so what the build renders is not compared:\n{errors}")),
    }
    Ok(imported)
}

/// The documents of each place, read on every core: thousands of overlays render
/// independently. The first place that cannot be read, in order, is the error.
fn read_places(tree: &Tree, places: Vec<Place>) -> Result<Vec<(Place, Vec<Value>)>, InputError> {
    let read = on_every_core(
        &places,
        50,
        || input::Reader::new(tree),
        input::Reader::documents,
    );
    let documents = read.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok(places.into_iter().zip(documents).collect())
}

/// Where an environment comes in the order environments are promoted through.
fn rank(env: &str) -> (usize, &str) {
    const ORDER: [&str; 9] = [
        "local",
        "dev",
        "development",
        "test",
        "qa",
        "staging",
        "stage",
        "preprod",
        "prod",
    ];
    let position = ORDER
        .iter()
        .position(|known| *known == env)
        .unwrap_or(ORDER.len() - 1);
    (position, env)
}

fn assemble(layout: Layout, name: &str, read: &[(Place, Vec<Value>)]) -> Import {
    let mut report = Report::new(layout, read.len());
    let mut environments: Vec<(&str, String)> = Vec::new();
    let mut by_service: IndexMap<String, Vec<(&str, Found)>> = IndexMap::new();
    for (place, documents) in read {
        if let Some(cluster) = &place.cluster
            && by_service
                .values()
                .flatten()
                .any(|(env, _)| *env == place.env)
        {
            report.note(format!("{}: cluster `{cluster}` is left out: the environment is read from its first cluster, and clusters are not imported yet", place.env));
            continue;
        }
        if !environments.iter().any(|(env, _)| *env == place.env) {
            environments.push((&place.env, domain(documents, &place.env, name)));
        }
        let (found, unclaimed) = workload::services(documents);
        for left in unclaimed {
            report.unclaimed(&place.env, left);
        }
        let domain = &environments
            .iter()
            .find(|(env, _)| *env == place.env)
            .expect("the place's environment is known")
            .1;
        for mut service in found {
            secrets_in_literals(&mut service, &mut report, &place.env);
            fit_route(&mut service, domain, &mut report, &place.env);
            fit_budget(&mut service, &mut report, &place.env);
            by_service
                .entry(service.name.clone())
                .or_default()
                .push((&place.env, service));
        }
    }
    by_service.sort_keys();
    let imported: Vec<Imported> = by_service
        .iter()
        .map(|(service, by_env)| Imported {
            name: service,
            team: team_of(service, by_env),
            by_env: by_env.iter().map(|(env, found)| (*env, found)).collect(),
        })
        .collect();
    for service in &imported {
        report.services.push(ServiceReport::of(service));
    }
    let estate = Estate {
        name,
        environments,
        services: imported,
    };
    for (env, _) in &estate.environments {
        if spec_text::reads_secrets(&estate, env) {
            report.note(format!("{env}: the Secrets the workloads read are not in the repository; the spec reads them through External Secrets from a placeholder store: name the real one under `environments.{env}.secret_store`"));
        }
    }
    let (spec, files) = spec_text::spec_text(&estate);
    Import {
        spec,
        files,
        report,
    }
}

/// The team a label names in any environment, as a team's name; else one of the service's
/// own, named after it.
fn team_of(service: &str, by_env: &[(&str, Found)]) -> String {
    by_env
        .iter()
        .find_map(|(_, found)| found.team.as_deref())
        .map(dns_label)
        .filter(|team| !team.is_empty())
        .unwrap_or_else(|| service.to_owned())
}

/// The host the environment's Ingresses route the most paths on (the first such in the
/// order of the objects where several tie), or a placeholder the report names.
fn domain(documents: &[Value], env: &str, name: &str) -> String {
    let hosts: Vec<&str> = documents
        .iter()
        .filter(|d| workload::kind_of(d) == "Ingress")
        .flat_map(|d| d["spec"]["rules"].as_array().into_iter().flatten())
        .flat_map(|rule| {
            let paths = rule
                .pointer("/http/paths")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            rule["host"]
                .as_str()
                .into_iter()
                .flat_map(move |host| std::iter::repeat_n(host, paths))
        })
        .collect();
    let mut best: Option<(&str, usize)> = None;
    for host in &hosts {
        let count = hosts.iter().filter(|h| *h == host).count();
        if best.is_none_or(|(_, most)| count > most) {
            best = Some((host, count));
        }
    }
    best.map_or_else(
        || format!("{env}.{name}.example"),
        |(host, _)| host.to_owned(),
    )
}

/// A route fleetc can serve: a plain path prefix under the environment's domain. Another
/// host's route, or a pattern, is left out with a note.
fn fit_route(service: &mut Found, domain: &str, report: &mut Report, env: &str) {
    let Some(route) = &service.route else {
        return;
    };
    let host = service.route_host.as_deref().unwrap_or(domain);
    let why = if host != domain {
        format!(
            "it is served on `{host}`, and fleetc serves every route under the environment's domain `{domain}`"
        )
    } else if let Some(problem) = crate::validate::routes::route_problem(route) {
        format!("it {problem}: a route is a path prefix")
    } else {
        return;
    };
    report.note(format!(
        "{env}: the route `{route}` of `{}` is not imported: {why}",
        service.name
    ));
    service.route = None;
}

/// A drain budget fleetc can keep: one that leaves a drain a pod to evict.
fn fit_budget(service: &mut Found, report: &mut Report, env: &str) {
    let Some(("min_available", value)) = &service.disruption else {
        return;
    };
    let replicas = service
        .autoscaling
        .map_or(service.replicas, |(min, _, _)| Some(min))
        .unwrap_or(1);
    if value.as_i64().is_some_and(|min| min >= replicas) {
        report.note(format!(
            "{env}: the drain budget of `{}` (`minAvailable: {value}`, with {replicas} {}) leaves a drain no pod to evict; it is not imported, and fleetc's (one pod at a time) applies",
            service.name,
            if replicas == 1 { "replica" } else { "replicas" }
        ));
        service.disruption = None;
    }
}

/// Literal values that hold a secret become references to a secret of the same name, which
/// the report asks to be put in the secret store.
fn secrets_in_literals(service: &mut Found, report: &mut Report, env: &str) {
    let secret: Vec<String> = service
        .env
        .iter()
        .filter(|(name, value)| named_like_a_secret(name) || credential_in(value).is_some())
        .map(|(name, _)| name.clone())
        .collect();
    for variable in secret {
        service.env.shift_remove(&variable);
        let reference = format!(
            "{}/{}#value",
            service.name,
            variable.to_ascii_lowercase().replace('_', "-")
        );
        report.note(format!(
            "{env}: `{}` set `{variable}` as a literal that looks like a secret; it is now the secret reference `{reference}`: put the value in the secret store, and rotate it, since it was in the repository",
            service.name
        ));
        service.secrets.insert(variable, reference);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_domain_is_the_host_most_paths_are_routed_on() {
        let ingress = |name: &str, host: &str, paths: usize| {
            let paths: Vec<Value> = (0..paths)
                .map(|i| json!({ "path": format!("/{i}") }))
                .collect();
            json!({ "kind": "Ingress", "metadata": { "name": name },
                    "spec": { "rules": [{ "host": host, "http": { "paths": paths } }] } })
        };
        let documents = [
            ingress("admin", "admin.dev.shop.example", 1),
            ingress("shop", "dev.shop.example", 3),
        ];
        assert_eq!(domain(&documents, "dev", "shop"), "dev.shop.example");
        assert_eq!(domain(&[], "dev", "shop"), "dev.shop.example");
    }
}
