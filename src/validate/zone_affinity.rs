//! A service that requires nodes of some zones runs where its place has nodes in one of them:
//! where the place declares its zones and none of them is required, no node qualifies and its
//! pods would wait for ever.

use super::context::Context;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{EnvSettings, Place, inherited_at, origin_at};

/// The node label of a node's zone.
const ZONE: &str = "topology.kubernetes.io/zone";

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (name, service) in &spec.services {
        for (env, environment) in &spec.environments {
            if !service.deployed_to(env) {
                continue;
            }
            for place in Place::all_of(env, environment) {
                let zones = place
                    .cluster
                    .and_then(|c| environment.clusters[c.name].zones.as_ref())
                    .unwrap_or(&environment.zones);
                if zones.is_empty() {
                    continue;
                }
                let settings = inherited_at(&spec.defaults, service, &place);
                let required = settings
                    .scheduling
                    .node_affinity
                    .as_ref()
                    .and_then(|a| a.required.as_ref())
                    .and_then(|r| r.get(ZONE));
                let Some(required) = required else {
                    continue;
                };
                // An empty list is refused as such.
                if required.is_empty() || required.iter().any(|zone| zones.contains(zone)) {
                    continue;
                }
                let gives = |s: &EnvSettings| {
                    let affinity = s.scheduling.node_affinity.as_ref();
                    affinity.is_some_and(|a| a.required.is_some())
                };
                let Some(layer) = origin_at(&spec.defaults, service, &place, gives) else {
                    continue;
                };
                let mut at = layer.key_path(name, &place);
                at.extend(["scheduling", "node_affinity", "required", ZONE].map(str::to_owned));
                let at: Vec<&str> = at.iter().map(String::as_str).collect();
                let where_ = place
                    .cluster
                    .map_or_else(|| env.clone(), |c| format!("{env}/{}", c.name));
                cx.report(
                    Diagnostic::error(format!(
                        "`{name}` requires nodes in {}, but `{where_}` has nodes in {} only: no node there qualifies",
                        listed(required),
                        listed(zones)
                    ))
                    .at(cx.spans.value(&at))
                    .label("no zone of the place")
                    .help(format!(
                        "require one of the zones `{where_}` declares, or say so for it alone in `overrides.{env}`"
                    )),
                );
            }
        }
    }
}

fn listed(zones: &[String]) -> String {
    zones
        .iter()
        .map(|zone| format!("`{zone}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
