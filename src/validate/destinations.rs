use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::Context;
use crate::diagnostic::Diagnostic;

/// Two environments may not deploy to the same namespace of the same cluster: their
/// Applications would own the same objects, and each sync would undo the other's.
pub fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    let mut seen: HashMap<(String, String), &str> = HashMap::new();
    for (name, env) in &spec.environments {
        let namespace = env.namespace_or_default(&spec.enterprise.name, name);
        let cluster = env.cluster.trim_end_matches('/').to_ascii_lowercase();
        let key = (cluster, namespace.clone());
        let first = match seen.entry(key) {
            Entry::Occupied(entry) => *entry.get(),
            Entry::Vacant(entry) => {
                entry.insert(name);
                continue;
            }
        };
        let written = cx.spans.contains(&["environments", name, "namespace"]);
        let span = if written {
            cx.spans.value(&["environments", name, "namespace"])
        } else {
            cx.spans.value(&["environments", name, "cluster"])
        };
        cx.report(
            Diagnostic::error(format!(
                "environments `{first}` and `{name}` both deploy to namespace `{namespace}` on cluster `{}`",
                env.cluster
            ))
            .at(span)
            .label("same cluster and namespace as another environment")
            .help(format!(
                "give `{name}` its own `namespace` or `cluster`; two Applications would otherwise own the same objects"
            )),
        );
    }
}
