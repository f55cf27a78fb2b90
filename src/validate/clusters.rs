//! The clusters of an environment: where each is, the wave it rolls out in, and that the
//! names fleetc joins from an environment and a cluster stay distinct.

use std::collections::HashMap;

use super::context::Context;
use super::formats::{preview_host, report, shown, subdomain, url};
use super::names::dns_label_problem;
use crate::source::diagnostic::{Diagnostic, did_you_mean};
use crate::spec::Environment;

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (name, env) in &spec.environments {
        placement(cx, name, env);
        for (cluster_name, cluster) in &env.clusters {
            let at = [
                "environments",
                name.as_str(),
                "clusters",
                cluster_name.as_str(),
            ];
            let key = |k: &'static str| [&at[..], &[k]].concat();
            url(cx, "server", &cluster.server, &["https://"], &key("server"));
            if let Some(domain) = &cluster.domain {
                subdomain(cx, "domain", domain, &key("domain"));
            }
            match (&cluster.preview_domain, &cluster.domain) {
                (Some(preview), _) => {
                    subdomain(cx, "preview_domain", preview, &key("preview_domain"));
                }
                // A cluster with a domain of its own previews under it.
                (None, Some(domain)) => preview_host(cx, domain, &key("domain")),
                (None, None) => {}
            }
            if let Some(region) = &cluster.region
                && let Some(problem) = dns_label_problem(region)
            {
                report(
                    cx,
                    &key("region"),
                    format!(
                        "region `{}` is not a valid region name: {problem}",
                        shown(region)
                    ),
                    "use lowercase letters, digits and `-`, like `us-east-1`",
                );
            }
            if let Some(wave) = cluster.wave {
                wave_in_range(cx, wave, &key("wave"));
            }
        }
    }
    joined_names(cx);
    service_overrides(cx);
}

/// An environment runs in the one cluster `cluster` names or in those `clusters` lists:
/// exactly one of them.
fn placement(cx: &mut Context<'_>, name: &str, env: &Environment) {
    let listed = cx.spans.contains(&["environments", name, "clusters"]);
    match (&env.cluster, listed) {
        (None, false) => cx.report(
            Diagnostic::error(format!("environment `{name}` names no cluster"))
                .at(cx.spans.key(&["environments", name]))
                .label("no `cluster` or `clusters`")
                .help(format!(
                    "give its API server, `cluster = \"https://{name}.k8s.example.internal\"`, or its clusters, `[environments.{name}.clusters.<name>]` each with `server = \"https://…\"`"
                )),
        ),
        (Some(_), true) => cx.report(
            Diagnostic::error(format!(
                "environment `{name}` gives both `cluster` and `clusters`"
            ))
            .at(cx.spans.key(&["environments", name, "cluster"]))
            .label("one cluster here, more under `clusters`")
            .help(
                "an environment runs in one cluster (`cluster`) or in several (`clusters`): move this server into a cluster's `server`, or drop `clusters`",
            ),
        ),
        (None, true) if env.clusters.is_empty() => cx.report(
            Diagnostic::error(format!("`environments.{name}.clusters` lists no cluster"))
                .at(cx.spans.key(&["environments", name, "clusters"]))
                .label("empty")
                .help(format!(
                    "list at least one, `[environments.{name}.clusters.<name>]` with `server = \"https://…\"`, or give the environment's one `cluster`"
                )),
        ),
        _ => {}
    }
}

fn wave_in_range(cx: &mut Context<'_>, wave: i64, path: &[&str]) {
    if u32::try_from(wave).is_err() {
        cx.report(
            Diagnostic::error(format!(
                "wave must be a non-negative integer, found {wave}"
            ))
            .at(cx.spans.value(path))
            .label("expected 0 or more")
            .help("waves count from 0, the first to roll out: `wave = 0` for a canary cluster, `wave = 1` for those after it"),
        );
    }
}

/// fleetc names a cluster's Applications after its environment and itself, joined by `-`
/// (`users-prod-us`), and those of an environment without clusters after the environment
/// alone (`users-prod-us` again, for an environment `prod-us`): no two may join the same.
fn joined_names(cx: &mut Context<'_>) {
    let spec = cx.spec;
    let mut seen: HashMap<String, (&str, Option<&str>)> = HashMap::new();
    for (name, env) in &spec.environments {
        let joined: Vec<(String, Option<&str>)> = env
            .cluster_slots()
            .into_iter()
            .map(|slot| match slot {
                None => (name.clone(), None),
                Some(c) => (format!("{name}-{c}"), Some(c)),
            })
            .collect();
        for (text, cluster) in joined {
            if let Some(&first) = seen.get(&text) {
                let (blamed, other) = if cluster.is_some() {
                    ((name.as_str(), cluster), first)
                } else {
                    (first, (name.as_str(), cluster))
                };
                collision(cx, &text, blamed, other);
            } else {
                seen.insert(text, (name, cluster));
            }
        }
    }
}

fn collision(
    cx: &mut Context<'_>,
    joined: &str,
    (env, cluster): (&str, Option<&str>),
    other: (&str, Option<&str>),
) {
    let cluster = cluster.unwrap_or_default();
    let other = match other {
        (env, Some(cluster)) => format!("cluster `{cluster}` of environment `{env}`"),
        (env, None) => format!("environment `{env}`"),
    };
    cx.report(
        Diagnostic::error(format!(
            "cluster `{cluster}` of environment `{env}` cannot be used: fleetc names its Applications `<service>-{joined}`, and so it does those of {other}"
        ))
        .at(cx.spans.key(&["environments", env, "clusters", cluster]))
        .label("same generated names as another")
        .help("rename the cluster (or the other environment) so that `<environment>-<cluster>` names one place"),
    );
}

/// `services.<svc>.overrides.<env>.clusters.<c>` and `services.<svc>.deploy.<env>.clusters.<c>`
/// name a cluster of that environment.
fn service_overrides(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (service, definition) in &spec.services {
        let overrides = definition
            .overrides
            .iter()
            .map(|(env, o)| ("overrides", env, o.clusters.keys().collect::<Vec<_>>()));
        let states = definition
            .deploy
            .iter()
            .map(|(env, d)| ("deploy", env, d.clusters.keys().collect::<Vec<_>>()));
        for (table, env_name, clusters) in overrides.chain(states) {
            let Some(env) = spec.environments.get(env_name) else {
                continue;
            };
            let declared: Vec<&str> = env.clusters.keys().map(String::as_str).collect();
            for cluster in clusters {
                if declared.contains(&cluster.as_str()) {
                    continue;
                }
                let path = [
                    "services",
                    service.as_str(),
                    table,
                    env_name.as_str(),
                    "clusters",
                    cluster.as_str(),
                ];
                let span = cx.spans.key(&path);
                let diagnostic = if declared.is_empty() {
                    Diagnostic::error(format!(
                        "environment `{env_name}` lists no clusters, so `{service}` has no cluster `{cluster}` there"
                    ))
                    .label("unknown cluster")
                    .help(format!(
                        "set these keys in `{table}.{env_name}` for the whole environment, or list the cluster under `[environments.{env_name}.clusters.{cluster}]`"
                    ))
                } else {
                    let mut diagnostic = Diagnostic::error(format!(
                        "cluster `{cluster}` is not declared in environment `{env_name}`; its clusters: {}",
                        declared.join(", ")
                    ))
                    .label("unknown cluster");
                    if let Some(suggestion) = did_you_mean(cluster, declared.iter().copied()) {
                        diagnostic = diagnostic.help(format!("did you mean `{suggestion}`?"));
                    }
                    diagnostic
                };
                cx.report(diagnostic.at(span));
            }
        }
    }
}
