//! Where an overlay's pods run: the JSON 6902 operations that give a workload's pod its node
//! selector, tolerations, node affinity, priority class and spreading in one place, each
//! recorded with the key it comes from.

use serde_json::{Map, Value, json};

use super::origins::setting;
use super::patch::Patch;
use crate::model::{Colour, Deployment, SchedulingModel, ServiceModel, ZoneSpread};
use crate::spec::Toleration;
use crate::tree::origin::{Origin, key};

/// The node label the scheduler spreads pods across zones by.
pub(crate) const ZONE_KEY: &str = "topology.kubernetes.io/zone";
/// The node label that names each node.
pub(crate) const HOSTNAME_KEY: &str = "kubernetes.io/hostname";
/// Each preferred node label counts alike: the scheduler's highest weight.
const PREFERRED_WEIGHT: u32 = 100;

/// The operations that place the pods of `colour` (none for a workload without colours) of
/// `service` in `deployment`'s place.
pub(super) fn ops(
    service: &ServiceModel,
    deployment: &Deployment,
    colour: Option<Colour>,
    ops: &mut Patch<'_>,
) {
    let pod = format!("{}/spec", service.kind.pod_template_pointer());
    let from = |rest: &[&str]| {
        let path: Vec<&str> = [&["scheduling"][..], rest].concat();
        setting(service, deployment, &path)
    };
    let scheduling = &deployment.scheduling;
    if !scheduling.node_selector.is_empty() {
        let at = ops.ops.len().to_string();
        for label in scheduling.node_selector.keys() {
            ops.origins.node(0, &[&at, "value", label], || {
                vec![from(&["node_selector", label])]
            });
        }
        ops.push(
            json!({ "op": "add", "path": format!("{pod}/nodeSelector"), "value": scheduling.node_selector }),
            || vec![from(&["node_selector"])],
        );
    }
    if !scheduling.tolerations.is_empty() {
        let value: Vec<Value> = scheduling.tolerations.iter().map(toleration).collect();
        ops.push(
            json!({ "op": "add", "path": format!("{pod}/tolerations"), "value": value }),
            || vec![from(&["tolerations"])],
        );
    }
    if let Some(affinity) = node_affinity(scheduling) {
        let at = ops.ops.len().to_string();
        let terms = "nodeAffinity";
        for (field, which) in [
            ("requiredDuringSchedulingIgnoredDuringExecution", "required"),
            (
                "preferredDuringSchedulingIgnoredDuringExecution",
                "preferred",
            ),
        ] {
            ops.origins.node(0, &[&at, "value", terms, field], || {
                vec![from(&["node_affinity", which]), from(&["node_affinity"])]
            });
        }
        ops.push(
            json!({ "op": "add", "path": format!("{pod}/affinity"), "value": affinity }),
            || vec![from(&["node_affinity"])],
        );
    }
    if let Some(class) = &scheduling.priority_class {
        ops.push(
            json!({ "op": "add", "path": format!("{pod}/priorityClassName"), "value": class }),
            || vec![from(&["priority_class"])],
        );
    }
    if let Some(spread) = scheduling.spread {
        let mut selector = service.selector();
        if let Some(colour) = colour {
            selector.insert("version".to_owned(), colour.as_str().to_owned());
        }
        let selector = json!({ "matchLabels": selector });
        ops.push(
            json!({
                "op": "add",
                "path": format!("{pod}/topologySpreadConstraints"),
                "value": constraints(spread, &selector),
            }),
            || zone_keys(deployment, from(&["spread"])),
        );
    }
}

/// What spreading comes from: the service's `spread` where a layer writes it, else the zones
/// of the place (a cluster's own first).
fn zone_keys(deployment: &Deployment, spread: Origin) -> Vec<Origin> {
    let env = deployment.environment.as_str();
    let mut found = vec![spread];
    if let Some(cluster) = &deployment.cluster {
        found.push(key(&["environments", env, "clusters", cluster, "zones"]));
    }
    found.push(key(&["environments", env, "zones"]));
    found
}

/// One pod more in a zone (or on a node) than in another at most. Zones follow the service's
/// mode; nodes are always a preference, so a pod never waits for a node of its own.
fn constraints(spread: ZoneSpread, selector: &Value) -> Value {
    let zone = if spread.strict {
        "DoNotSchedule"
    } else {
        "ScheduleAnyway"
    };
    json!([
        {
            "maxSkew": 1,
            "topologyKey": ZONE_KEY,
            "whenUnsatisfiable": zone,
            "labelSelector": selector,
        },
        {
            "maxSkew": 1,
            "topologyKey": HOSTNAME_KEY,
            "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": selector,
        },
    ])
}

fn toleration(toleration: &Toleration) -> Value {
    let mut entry = Map::new();
    if let Some(key) = &toleration.key {
        entry.insert("key".into(), json!(key));
    }
    let operator = toleration
        .operator
        .unwrap_or(crate::spec::TolerationOperator::Equal);
    entry.insert("operator".into(), json!(operator.as_str()));
    if let Some(value) = &toleration.value {
        entry.insert("value".into(), json!(value));
    }
    if let Some(effect) = toleration.effect {
        entry.insert("effect".into(), json!(effect.as_str()));
    }
    if let Some(seconds) = toleration.seconds {
        entry.insert("tolerationSeconds".into(), json!(seconds));
    }
    Value::Object(entry)
}

/// Required labels as one term every node must match; each preferred label a term of its own.
fn node_affinity(scheduling: &SchedulingModel) -> Option<Value> {
    let expression = |(key, values): (&String, &Vec<String>)| json!({ "key": key, "operator": "In", "values": values });
    let affinity = &scheduling.node_affinity;
    let mut node = Map::new();
    if let Some(required) = affinity.required.as_ref().filter(|r| !r.is_empty()) {
        let expressions: Vec<Value> = required.iter().map(expression).collect();
        node.insert(
            "requiredDuringSchedulingIgnoredDuringExecution".into(),
            json!({ "nodeSelectorTerms": [{ "matchExpressions": expressions }] }),
        );
    }
    if let Some(preferred) = affinity.preferred.as_ref().filter(|p| !p.is_empty()) {
        let terms: Vec<Value> = preferred
            .iter()
            .map(|label| {
                json!({
                    "weight": PREFERRED_WEIGHT,
                    "preference": { "matchExpressions": [expression(label)] },
                })
            })
            .collect();
        node.insert(
            "preferredDuringSchedulingIgnoredDuringExecution".into(),
            json!(terms),
        );
    }
    (!node.is_empty()).then(|| json!({ "nodeAffinity": node }))
}
