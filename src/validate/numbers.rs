use super::context::Context;
use crate::source::diagnostic::Diagnostic;
use crate::spec::PerEnv;

/// Ports, replicas, autoscaling bounds and sampling ratios must be in range.
pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    if let Some(port) = spec.defaults.port {
        check_port(cx, port, &["defaults", "port"]);
    }
    if let Some(replicas) = &spec.defaults.replicas {
        check_replicas(cx, replicas, &["defaults", "replicas"]);
    }
    if let Some(autoscaling) = &spec.defaults.autoscaling {
        check_autoscaling(cx, autoscaling, &["defaults", "autoscaling"]);
    }
    for (name, service) in &spec.services {
        if let Some(port) = service.port {
            check_port(cx, port, &["services", name, "port"]);
        }
        if let Some(replicas) = &service.replicas {
            check_replicas(cx, replicas, &["services", name, "replicas"]);
        }
        if let Some(autoscaling) = &service.autoscaling {
            check_autoscaling(cx, autoscaling, &["services", name, "autoscaling"]);
        }
        for (env, over) in &service.overrides {
            let path = ["services", name.as_str(), "overrides", env.as_str()];
            if let Some(replicas) = over.replicas {
                let at = [&path[..], &["replicas"]].concat();
                check_count(cx, "replicas", replicas, &at);
            }
            if let Some(autoscaling) = &over.autoscaling {
                let at = [&path[..], &["autoscaling"]].concat();
                check_autoscaling(cx, autoscaling, &at);
            }
            for (cluster, over) in &over.clusters {
                let path = [&path[..], &["clusters", cluster.as_str()]].concat();
                check_settings(cx, over.replicas, over.autoscaling.as_ref(), &path);
            }
        }
    }
    for (env_name, env) in &spec.environments {
        for (cluster_name, cluster) in &env.clusters {
            if let Some(over) = &cluster.overrides {
                let path = [
                    "environments",
                    env_name.as_str(),
                    "clusters",
                    cluster_name.as_str(),
                    "overrides",
                ];
                check_settings(cx, over.replicas, over.autoscaling.as_ref(), &path);
            }
        }
    }
    if let Some(ratio) = spec
        .observability
        .as_ref()
        .and_then(|o| o.sample_ratio.as_ref())
    {
        let path = ["observability", "sample_ratio"];
        for_each(ratio, &path, |at, value| {
            if !(0.0..=1.0).contains(value) {
                cx.report(
                    Diagnostic::error(format!("sample ratio {value} is out of range"))
                        .at(cx.spans.value(at))
                        .label("expected a number from 0.0 to 1.0"),
                );
            }
        });
    }
}

fn for_each<T>(value: &PerEnv<T>, path: &[&str], mut f: impl FnMut(&[&str], &T)) {
    match value {
        PerEnv::All(v) => f(path, v),
        PerEnv::ByEnv(values) => {
            for (env, v) in values {
                let at = [path, &[env.as_str()]].concat();
                f(&at, v);
            }
        }
    }
}

/// The replicas and autoscaling of an override table at `path`.
fn check_settings(
    cx: &mut Context<'_>,
    replicas: Option<i64>,
    autoscaling: Option<&crate::spec::Autoscaling>,
    path: &[&str],
) {
    if let Some(replicas) = replicas {
        check_count(cx, "replicas", replicas, &[path, &["replicas"]].concat());
    }
    if let Some(autoscaling) = autoscaling {
        check_autoscaling(cx, autoscaling, &[path, &["autoscaling"]].concat());
    }
}

pub(super) fn check_port(cx: &mut Context<'_>, port: i64, path: &[&str]) {
    if !(1..=65535).contains(&port) {
        cx.report(
            Diagnostic::error(format!("port {port} is out of range"))
                .at(cx.spans.value(path))
                .label("expected a port from 1 to 65535"),
        );
    }
}

fn check_replicas(cx: &mut Context<'_>, replicas: &PerEnv<i64>, path: &[&str]) {
    for_each(replicas, path, |at, value| {
        check_count(cx, "replicas", *value, at);
    });
}

fn check_count(cx: &mut Context<'_>, what: &str, value: i64, path: &[&str]) {
    if value < 0 {
        cx.report(
            Diagnostic::error(format!("{what} cannot be negative, found {value}"))
                .at(cx.spans.value(path))
                .label("expected 0 or more"),
        );
    } else if value > 1000 {
        cx.report(
            Diagnostic::error(format!("{what} {value} is more than 1000"))
                .at(cx.spans.value(path))
                .label("expected at most 1000"),
        );
    }
}

fn check_autoscaling(cx: &mut Context<'_>, autoscaling: &crate::spec::Autoscaling, path: &[&str]) {
    if let Some(cpu) = autoscaling.cpu
        && !(1..=100).contains(&cpu)
    {
        let at = [path, &["cpu"]].concat();
        cx.report(
            Diagnostic::error(format!("CPU utilization target {cpu}% is out of range"))
                .at(cx.spans.value(&at))
                .label("expected a percentage from 1 to 100"),
        );
    }
    if let Some(max) = &autoscaling.max {
        let at = [path, &["max"]].concat();
        for_each(max, &at, |p, v| {
            if *v < 1 {
                cx.report(
                    Diagnostic::error(format!("autoscaling maximum must be at least 1, found {v}"))
                        .at(cx.spans.value(p))
                        .label("expected 1 or more"),
                );
            } else {
                check_count(cx, "autoscaling maximum", *v, p);
            }
        });
    }
}
