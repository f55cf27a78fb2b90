use super::context::Context;
use crate::formats::quantity::quantity_problem;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{Limit, Resources};

/// Every CPU and memory request and limit, wherever it is written, must be a Kubernetes
/// quantity; the API server refuses the Deployment otherwise.
pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    if let Some(resources) = &spec.defaults.resources {
        check_resources(cx, resources, &["defaults", "resources"]);
    }
    for (name, service) in &spec.services {
        if let Some(resources) = &service.resources {
            check_resources(cx, resources, &["services", name, "resources"]);
        }
        for (env, over) in &service.overrides {
            if let Some(resources) = &over.resources {
                let path = [
                    "services",
                    name.as_str(),
                    "overrides",
                    env.as_str(),
                    "resources",
                ];
                check_resources(cx, resources, &path);
            }
            for (cluster, over) in &over.clusters {
                if let Some(resources) = &over.resources {
                    let path = [
                        "services",
                        name.as_str(),
                        "overrides",
                        env.as_str(),
                        "clusters",
                        cluster.as_str(),
                        "resources",
                    ];
                    check_resources(cx, resources, &path);
                }
            }
        }
    }
    for (env_name, env) in &spec.environments {
        for (cluster_name, cluster) in &env.clusters {
            if let Some(resources) = cluster
                .overrides
                .as_ref()
                .and_then(|o| o.resources.as_ref())
            {
                let path = [
                    "environments",
                    env_name.as_str(),
                    "clusters",
                    cluster_name.as_str(),
                    "overrides",
                    "resources",
                ];
                check_resources(cx, resources, &path);
            }
        }
    }
}

pub(super) fn check_resources(cx: &mut Context<'_>, resources: &Resources, path: &[&str]) {
    if resources.memory_limit == Some(Limit::Off(true)) {
        let at = [path, &["memory_limit"]].concat();
        cx.report(
            Diagnostic::error("`memory_limit = true` names no limit")
                .at(cx.spans.value(&at))
                .label("a quantity or `false`")
                .help("give the limit (`memory_limit = \"512Mi\"`), leave it out for the memory request, or write `false` for none"),
        );
    }
    let memory_limit = resources.memory_limit.as_ref().and_then(Limit::quantity);
    let fields = [
        ("cpu", resources.cpu.as_ref(), "250m"),
        ("memory", resources.memory.as_ref(), "256Mi"),
        ("cpu_limit", resources.cpu_limit.as_ref(), "1"),
        ("memory_limit", memory_limit, "512Mi"),
    ];
    for (key, value, example) in fields {
        let Some(value) = value else { continue };
        if let Some(problem) = quantity_problem(value) {
            let at = [path, &[key]].concat();
            cx.report(
                Diagnostic::error(format!(
                    "{key} `{}` is not a Kubernetes quantity: {problem}",
                    value.escape_debug()
                ))
                .at(cx.spans.value(&at))
                .label("invalid quantity")
                .help(format!(
                    "for example `{key} = \"{example}\"`: CPU in cores or millicores (`0.5`, `250m`), memory in bytes with a unit (`256Mi`, `1Gi`)"
                )),
            );
        }
    }
}
