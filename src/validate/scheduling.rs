//! Where pods run, as Kubernetes would take it: node labels and taint keys are label keys,
//! their values label values, a toleration's operator and effect agree with its value and
//! seconds, a priority class is an object name, and zones are zone names.

use super::context::Context;
use super::monitoring::label_key_problem;
use super::tolerations::toleration_problems;
use crate::naming::NameRule;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{Scheduling, Spread, Toleration, TolerationOperator};

pub(super) fn check(cx: &mut Context<'_>) {
    let zoned = cx.spec.environments.values().any(|env| {
        !env.zones.is_empty()
            || env
                .clusters
                .values()
                .any(|c| c.zones.as_ref().is_some_and(|z| !z.is_empty()))
    });
    for (at, scheduling) in written(cx) {
        let at: Vec<&str> = at.iter().map(String::as_str).collect();
        check_scheduling(cx, &at, scheduling);
        // A job's pods run one at a time to completion: there is nothing to spread.
        let kind = match at[..] {
            ["services", service, ..] => cx.spec.services.get(service).map(|s| s.kind),
            _ => None,
        };
        if let Some(kind) = kind.filter(|k| k.runs_to_completion())
            && scheduling.spread.and_then(Spread::mode).is_some()
        {
            cx.report(
                Diagnostic::error(format!(
                    "`spread` means nothing for a `{}`: its pods run to completion, never several at once to spread",
                    kind.as_str()
                ))
                .at(cx.spans.value(&[&at[..], &["spread"]].concat()))
                .label("nothing to spread")
                .help("leave `spread` out; node labels, tolerations and affinity still say where its pods run"),
            );
            continue;
        }
        if !zoned && scheduling.spread.and_then(Spread::mode).is_some() {
            cx.report(
                Diagnostic::warning("`spread` has no zones to spread across: no environment or cluster declares `zones`")
                    .at(cx.spans.value(&[&at[..], &["spread"]].concat()))
                    .label("spreads nothing")
                    .help("declare the zones of the nodes, `zones = [\"eu-west-1a\", \"eu-west-1b\"]`, on the environment or cluster"),
            );
        }
    }
    let spec = cx.spec;
    for (env, environment) in &spec.environments {
        check_zones(cx, &["environments", env, "zones"], &environment.zones);
        for (name, cluster) in &environment.clusters {
            let at = ["environments", env, "clusters", name, "zones"];
            check_zones(cx, &at, cluster.zones.as_deref().unwrap_or_default());
        }
    }
}

/// Every `scheduling` table of the spec, with the key path it is written at.
fn written<'a>(cx: &Context<'a>) -> Vec<(Vec<String>, &'a Scheduling)> {
    let owned = |parts: &[&str]| -> Vec<String> { parts.iter().map(|p| (*p).to_owned()).collect() };
    let spec = cx.spec;
    let mut found = Vec::new();
    found.extend(
        spec.defaults
            .scheduling
            .iter()
            .map(|s| (owned(&["defaults", "scheduling"]), s)),
    );
    for (env, environment) in &spec.environments {
        for (name, cluster) in &environment.clusters {
            let scheduling = cluster
                .overrides
                .as_ref()
                .and_then(|o| o.scheduling.as_ref());
            let at = [
                "environments",
                env,
                "clusters",
                name,
                "overrides",
                "scheduling",
            ];
            found.extend(scheduling.map(|s| (owned(&at), s)));
        }
    }
    for (svc, service) in &spec.services {
        let own = service.scheduling.as_ref();
        found.extend(own.map(|s| (owned(&["services", svc, "scheduling"]), s)));
        for (env, over) in &service.overrides {
            let at = ["services", svc, "overrides", env, "scheduling"];
            found.extend(over.scheduling.as_ref().map(|s| (owned(&at), s)));
            for (name, cluster) in &over.clusters {
                let at = [
                    "services",
                    svc,
                    "overrides",
                    env,
                    "clusters",
                    name,
                    "scheduling",
                ];
                found.extend(cluster.scheduling.as_ref().map(|s| (owned(&at), s)));
            }
        }
    }
    found
}

fn check_scheduling(cx: &mut Context<'_>, at: &[&str], scheduling: &Scheduling) {
    let node_selector = [at, &["node_selector"]].concat();
    for (label, value) in &scheduling.node_selector {
        check_label(cx, &node_selector, label, "node selector");
        let at = [&node_selector[..], &[label]].concat();
        check_value(cx, &at, "node selector value", value);
    }
    for (index, toleration) in scheduling.tolerations.iter().flatten().enumerate() {
        let index = index.to_string();
        check_toleration(cx, &[at, &["tolerations", &index]].concat(), toleration);
    }
    let affinity = scheduling.node_affinity.as_ref();
    for (which, labels) in [
        ("required", affinity.and_then(|a| a.required.as_ref())),
        ("preferred", affinity.and_then(|a| a.preferred.as_ref())),
    ] {
        let table = [at, &["node_affinity", which]].concat();
        for (label, values) in labels.into_iter().flatten() {
            check_label(cx, &table, label, "node affinity");
            let entry = [&table[..], &[label]].concat();
            if values.is_empty() {
                cx.report(
                    Diagnostic::error(format!(
                        "node affinity `{}` lists no values: no node could match it",
                        label.escape_debug()
                    ))
                    .at(cx.spans.value(&entry))
                    .label("empty")
                    .help("list the values the label may take, for example [\"eu-west-1a\"]"),
                );
            }
            for (index, value) in values.iter().enumerate() {
                let index = index.to_string();
                let at = [&entry[..], &[&index]].concat();
                check_value(cx, &at, "node affinity value", value);
            }
        }
    }
    if let Some(class) = &scheduling.priority_class
        && let Some(problem) = NameRule::Dns1123Subdomain.problem(class)
    {
        cx.report(
            Diagnostic::error(format!(
                "priority class `{}` is not a PriorityClass name: {problem}",
                class.escape_debug()
            ))
            .at(cx.spans.value(&[at, &["priority_class"]].concat()))
            .label("invalid name")
            .help("a DNS-1123 subdomain, for example `business-critical`"),
        );
    }
}

/// A label key of a node: `[prefix/]name`.
fn check_label(cx: &mut Context<'_>, table: &[&str], label: &str, what: &str) {
    if let Some(problem) = label_key_problem(label) {
        cx.report(
            Diagnostic::error(format!(
                "{what} `{}` is not a label key: {problem}",
                label.escape_debug()
            ))
            .at(cx.spans.key(&[table, &[label]].concat()))
            .label("invalid label key")
            .help("a label key is `[prefix/]name`: a DNS subdomain, `/`, then at most 63 of `A-Za-z0-9-_.`, for example `topology.kubernetes.io/zone`"),
        );
    }
}

fn check_value(cx: &mut Context<'_>, at: &[&str], what: &str, value: &str) {
    if let Some(problem) = NameRule::LabelValue.problem(value) {
        cx.report(
            Diagnostic::error(format!(
                "{what} `{}` is not a label value: {problem}",
                value.escape_debug()
            ))
            .at(cx.spans.value(at))
            .label("invalid label value")
            .help("at most 63 of `A-Za-z0-9-_.`, starting and ending with a letter or digit"),
        );
    }
}

fn check_toleration(cx: &mut Context<'_>, at: &[&str], toleration: &Toleration) {
    for (field, diagnostic) in toleration_problems(toleration) {
        let span = match field {
            Some(field) => cx.spans.value(&[at, &[field]].concat()),
            None => cx.spans.value(at),
        };
        cx.report(diagnostic.at(span));
    }
    let exists = toleration.operator == Some(TolerationOperator::Exists);
    if let Some(value) = toleration.value.as_ref().filter(|_| !exists) {
        check_value(cx, &[at, &["value"]].concat(), "toleration value", value);
    }
}

/// Zones are node label values, named once each.
fn check_zones(cx: &mut Context<'_>, at: &[&str], zones: &[String]) {
    for (position, zone) in zones.iter().enumerate() {
        let index = position.to_string();
        let entry = [at, &[&index]].concat();
        if zone.is_empty() {
            cx.report(
                Diagnostic::error("a zone is empty")
                    .at(cx.spans.value(&entry))
                    .label("empty zone")
                    .help("the value of the nodes' `topology.kubernetes.io/zone` label, for example `eu-west-1a`"),
            );
        } else if zones[..position].contains(zone) {
            cx.report(
                Diagnostic::error(format!("zone `{}` is listed twice", zone.escape_debug()))
                    .at(cx.spans.value(&entry))
                    .label("listed before")
                    .help("list each zone once"),
            );
        } else {
            check_value(cx, &entry, "zone", zone);
        }
    }
}
