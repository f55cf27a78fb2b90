//! What each kind of workload can be told: a key that means nothing for the service's kind
//! is refused where it is written, with what the kind does instead.

use super::context::Context;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{Service, WorkloadKind};

/// A key of a service (or of `overrides.<env>`, for `per_env`), and the kinds it means
/// something for.
struct KindKey {
    key: &'static str,
    per_env: bool,
    allowed: fn(WorkloadKind) -> bool,
    /// What the key is, for the message: "a Service port", "schedule"…
    what: &'static str,
}

const KEYS: &[KindKey] = &[
    KindKey {
        key: "port",
        per_env: false,
        allowed: WorkloadKind::serves,
        what: "port",
    },
    KindKey {
        key: "ports",
        per_env: false,
        allowed: WorkloadKind::serves,
        what: "ports",
    },
    KindKey {
        key: "route",
        per_env: false,
        allowed: WorkloadKind::serves,
        what: "route",
    },
    KindKey {
        key: "route_port",
        per_env: false,
        allowed: WorkloadKind::serves,
        what: "routed port",
    },
    KindKey {
        key: "analysis",
        per_env: false,
        allowed: WorkloadKind::serves,
        what: "request objectives",
    },
    KindKey {
        key: "strategy",
        per_env: false,
        allowed: is_deployment,
        what: "delivery strategy",
    },
    KindKey {
        key: "canary",
        per_env: false,
        allowed: is_deployment,
        what: "canary steps",
    },
    KindKey {
        key: "replicas",
        per_env: false,
        allowed: WorkloadKind::has_replicas,
        what: "replicas",
    },
    KindKey {
        key: "autoscaling",
        per_env: false,
        allowed: WorkloadKind::has_replicas,
        what: "autoscaling",
    },
    KindKey {
        key: "probes",
        per_env: false,
        allowed: WorkloadKind::has_replicas,
        what: "probes",
    },
    KindKey {
        key: "metrics",
        per_env: false,
        allowed: WorkloadKind::has_replicas,
        what: "metrics endpoint",
    },
    KindKey {
        key: "disruption",
        per_env: false,
        allowed: WorkloadKind::has_replicas,
        what: "disruption budget",
    },
    KindKey {
        key: "schedule",
        per_env: false,
        allowed: is_cronjob,
        what: "schedule",
    },
    KindKey {
        key: "timezone",
        per_env: false,
        allowed: is_cronjob,
        what: "time zone",
    },
    KindKey {
        key: "run",
        per_env: false,
        allowed: WorkloadKind::runs_to_completion,
        what: "run settings",
    },
    KindKey {
        key: "storage",
        per_env: false,
        allowed: is_statefulset,
        what: "persistent volumes",
    },
    KindKey {
        key: "replicas",
        per_env: true,
        allowed: WorkloadKind::has_replicas,
        what: "replicas",
    },
    KindKey {
        key: "autoscaling",
        per_env: true,
        allowed: WorkloadKind::has_replicas,
        what: "autoscaling",
    },
    KindKey {
        key: "suspend",
        per_env: true,
        allowed: is_cronjob,
        what: "suspended schedule",
    },
    KindKey {
        key: "partition",
        per_env: true,
        allowed: is_statefulset,
        what: "update partition",
    },
    KindKey {
        key: "storage",
        per_env: true,
        allowed: is_statefulset,
        what: "persistent volumes",
    },
];

/// The keys of `run` that only a schedule gives a meaning to.
const SCHEDULED_RUN_KEYS: [&str; 3] = ["concurrency", "start_within", "keep"];

fn is_deployment(kind: WorkloadKind) -> bool {
    kind == WorkloadKind::Deployment
}

fn is_cronjob(kind: WorkloadKind) -> bool {
    kind == WorkloadKind::CronJob
}

fn is_statefulset(kind: WorkloadKind) -> bool {
    kind == WorkloadKind::StatefulSet
}

/// The kinds a key means something for, as a message lists them.
fn kinds_for(allowed: fn(WorkloadKind) -> bool) -> String {
    let kinds: Vec<String> = WorkloadKind::ALL
        .into_iter()
        .filter(|kind| allowed(*kind))
        .map(|kind| format!("`{}`", kind.as_str()))
        .collect();
    match kinds.as_slice() {
        [one] => format!("a {one}"),
        [rest @ .., last] => format!("a {} or {last}", rest.join(", ")),
        [] => "no kind".to_owned(),
    }
}

/// What a service of `kind` does instead of what a refused key asks for.
fn instead(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::Deployment => "a `deployment` serves requests",
        WorkloadKind::Worker => "a `worker` serves nothing: no ports, Service, route or callers",
        WorkloadKind::StatefulSet => "a `statefulset` rolls in place, one pod at a time",
        WorkloadKind::CronJob => "a `cronjob` runs to completion on its schedule",
        WorkloadKind::Job => "a `job` runs to completion once per version",
    }
}

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (name, service) in &spec.services {
        let kind = service.kind;
        for rule in KEYS.iter().filter(|rule| !(rule.allowed)(kind)) {
            let places: Vec<Vec<&str>> = if rule.per_env {
                // A cluster's settings are the environment's, one level down.
                service
                    .overrides
                    .iter()
                    .flat_map(|(env, over)| {
                        let clusters = over.clusters.keys().map(move |cluster| {
                            vec![
                                "services",
                                name,
                                "overrides",
                                env,
                                "clusters",
                                cluster,
                                rule.key,
                            ]
                        });
                        std::iter::once(vec!["services", name, "overrides", env, rule.key])
                            .chain(clusters)
                    })
                    .collect()
            } else {
                vec![vec!["services", name, rule.key]]
            };
            for path in places.iter().filter(|path| cx.spans.contains(path)) {
                refuse(cx, name, kind, path, rule.what, &kinds_for(rule.allowed));
            }
        }
        if kind == WorkloadKind::CronJob && service.schedule.is_none() {
            cx.report(
                Diagnostic::error(format!("`{name}` is a `cronjob` without a `schedule`"))
                    .at(cx.spans.key(&["services", name, "kind"]))
                    .label("needs a schedule")
                    .help("add `schedule = \"0 3 * * *\"` (five cron fields: minute hour day-of-month month day-of-week) or `@daily`"),
            );
        }
        if kind == WorkloadKind::Job {
            for key in SCHEDULED_RUN_KEYS {
                let path = ["services", name, "run", key];
                if cx.spans.contains(&path) {
                    refuse(
                        cx,
                        name,
                        kind,
                        &path,
                        "setting of scheduled runs",
                        "a `cronjob`",
                    );
                }
            }
        }
        check_callees(cx, name, service);
    }
}

fn refuse(
    cx: &mut Context<'_>,
    name: &str,
    kind: WorkloadKind,
    path: &[&str],
    what: &str,
    kinds: &str,
) {
    let key = path.last().copied().unwrap_or_default();
    cx.report(
        Diagnostic::error(format!(
            "`{name}` is a `{}`, which takes no {what}: `{key}` is for {kinds}",
            kind.as_str()
        ))
        .at(cx.spans.key(path))
        .label(format!("not for a {}", kind.as_str()))
        .help(format!(
            "{}; remove `{key}`, or set `kind` to {kinds}",
            instead(kind)
        )),
    );
}

/// A service can only call what serves: its NetworkPolicy would open nothing.
fn check_callees(cx: &mut Context<'_>, name: &str, service: &Service) {
    for (index, callee) in service.depends_on.iter().enumerate() {
        let Some(target) = cx.spec.services.get(callee) else {
            continue;
        };
        if target.kind.serves() {
            continue;
        }
        let index = index.to_string();
        cx.report(
            Diagnostic::error(format!(
                "`{name}` depends on `{callee}`, a `{}` that serves nothing to call",
                target.kind.as_str()
            ))
            .at(cx.spans.value(&["services", name, "depends_on", &index]))
            .label("nothing to call")
            .help(format!(
                "remove `{callee}` from `depends_on`; a service that takes calls is a `deployment` or a `statefulset`"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::kinds_for;
    use crate::spec::WorkloadKind;

    #[test]
    fn the_kinds_a_key_is_for_read_as_a_list() {
        assert_eq!(
            kinds_for(WorkloadKind::serves),
            "a `deployment` or `statefulset`"
        );
        assert_eq!(kinds_for(|k| k == WorkloadKind::Job), "a `job`");
        assert_eq!(
            kinds_for(WorkloadKind::has_replicas),
            "a `deployment`, `worker` or `statefulset`"
        );
    }
}
