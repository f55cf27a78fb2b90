use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::context::Context;
use crate::source::diagnostic::Diagnostic;

/// Two environments (or two clusters) may not deploy to the same namespace of the same API
/// server: their Applications would own the same objects, and each sync would undo the
/// other's.
pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    let mut seen: HashMap<(String, String), (&str, Option<&str>)> = HashMap::new();
    for (name, env) in &spec.environments {
        let namespace = env.namespace_or_default(&spec.enterprise.name, name);
        for (cluster, server) in env.servers() {
            let key = (
                server.trim_end_matches('/').to_ascii_lowercase(),
                namespace.clone(),
            );
            let first = match seen.entry(key) {
                Entry::Occupied(entry) => *entry.get(),
                Entry::Vacant(entry) => {
                    entry.insert((name, cluster));
                    continue;
                }
            };
            report(cx, first, (name, cluster), &namespace, server);
        }
    }
}

fn report(
    cx: &mut Context<'_>,
    first: (&str, Option<&str>),
    second: (&str, Option<&str>),
    namespace: &str,
    server: &str,
) {
    let (name, cluster) = second;
    let namespace_written = cx.spans.contains(&["environments", name, "namespace"]);
    let span = match cluster {
        Some(cluster) => cx
            .spans
            .value(&["environments", name, "clusters", cluster, "server"]),
        None if namespace_written => cx.spans.value(&["environments", name, "namespace"]),
        None => cx.spans.value(&["environments", name, "cluster"]),
    };
    let message = match (first, second) {
        ((first, None), (_, None)) => format!(
            "environments `{first}` and `{name}` both deploy to namespace `{namespace}` on cluster `{server}`"
        ),
        _ => format!(
            "{} and {} both deploy to namespace `{namespace}` on cluster `{server}`",
            describe(first),
            describe(second)
        ),
    };
    let help = match cluster {
        Some(cluster) => format!(
            "give cluster `{cluster}` its own `server`, or `{name}` its own `namespace`; two Applications would otherwise own the same objects"
        ),
        None => format!(
            "give `{name}` its own `namespace` or `cluster`; two Applications would otherwise own the same objects"
        ),
    };
    let label = if cluster.is_some() {
        "same server and namespace as another cluster"
    } else {
        "same cluster and namespace as another environment"
    };
    cx.report(Diagnostic::error(message).at(span).label(label).help(help));
}

/// `environment `prod`` or `cluster `us` of environment `prod``.
fn describe((env, cluster): (&str, Option<&str>)) -> String {
    match cluster {
        Some(cluster) => format!("cluster `{cluster}` of environment `{env}`"),
        None => format!("environment `{env}`"),
    }
}
