//! Strategic merge patches as Kustomize applies them, for the lists that matter in a pod:
//! a list of named items (containers, volumes, variables, ports of a Service) is merged item
//! by item on `name`, so a patch that adds a sidecar keeps the containers it does not name.
//! Any other list is replaced whole, `null` removes a key, and `$patch: delete` an item.
//! Kustomize knows the lists of built-in kinds only: in a custom resource every list is
//! replaced whole.

use serde_json::{Map, Value};

const DIRECTIVE: &str = "$patch";

/// API groups of the built-in kinds, whose schema kustomize knows.
const BUILT_IN_GROUPS: &[&str] = &[
    "",
    "apps",
    "batch",
    "autoscaling",
    "policy",
    "extensions",
    "networking.k8s.io",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "node.k8s.io",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "certificates.k8s.io",
];

/// Whether kustomize merges the named lists of `document` item by item.
pub(super) fn knows_schema(document: &Value) -> bool {
    let api_version = document["apiVersion"].as_str().unwrap_or("");
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    BUILT_IN_GROUPS.contains(&group)
}

pub(super) fn merge(target: &mut Value, patch: &Value, named_lists: bool) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(fields) = target else {
        return;
    };
    for (key, value) in patch {
        match value {
            Value::Null => {
                fields.remove(key);
            }
            Value::Object(_) => merge(
                fields.entry(key.clone()).or_insert(Value::Null),
                value,
                named_lists,
            ),
            Value::Array(items) => match (fields.get_mut(key), merge_key(key, items)) {
                (Some(Value::Array(existing)), merge_key)
                    if named_lists && keyed(items, merge_key) && keyed(existing, merge_key) =>
                {
                    merge_named(existing, items, merge_key);
                }
                _ => {
                    fields.insert(key.clone(), Value::Array(without_directives(items)));
                }
            },
            _ => {
                fields.insert(key.clone(), value.clone());
            }
        }
    }
}

/// The field that identifies the items of list `field`: the Kubernetes schema's merge key
/// for the lists keyed otherwise than by name.
fn merge_key(field: &str, items: &[Value]) -> &'static str {
    match field {
        "ports" if items.iter().all(|i| i.get("containerPort").is_some()) => "containerPort",
        "ports" => "port",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        _ => "name",
    }
}

fn keyed(items: &[Value], key: &str) -> bool {
    !items.is_empty()
        && items.iter().all(|item| {
            item.get(key)
                .is_some_and(|v| v.is_string() || v.is_number())
        })
}

/// The items the patch names come first, in its order (merged with the item of that name,
/// if any), then the items it does not name, in theirs: the order Kustomize prints.
fn merge_named(existing: &mut Vec<Value>, items: &[Value], key: &str) {
    let mut merged = Vec::with_capacity(existing.len() + items.len());
    for item in items {
        let position = existing.iter().position(|e| e.get(key) == item.get(key));
        let found = position.map(|at| existing.remove(at));
        if item.get(DIRECTIVE).and_then(Value::as_str) == Some("delete") {
            continue;
        }
        let mut item_merged = found.unwrap_or(Value::Null);
        merge(&mut item_merged, item, true);
        merged.push(item_merged);
    }
    merged.append(existing);
    *existing = merged;
}

fn without_directives(items: &[Value]) -> Vec<Value> {
    items
        .iter()
        .filter(|item| item.get(DIRECTIVE).is_none())
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::merge;

    #[test]
    fn a_sidecar_is_added_beside_the_containers_it_does_not_name() {
        let mut deployment = json!({ "spec": { "template": { "spec": { "containers": [
            { "name": "app", "image": "app:1", "env": [{ "name": "A", "value": "1" }] }
        ] } } } });
        let patch = json!({ "spec": { "template": { "spec": { "containers": [
            { "name": "app", "env": [{ "name": "B", "value": "2" }] },
            { "name": "proxy", "image": "proxy:2" }
        ] } } } });
        merge(&mut deployment, &patch, true);
        assert_eq!(
            deployment["spec"]["template"]["spec"]["containers"],
            json!([
                { "name": "app", "image": "app:1", "env": [{ "name": "B", "value": "2" }, { "name": "A", "value": "1" }] },
                { "name": "proxy", "image": "proxy:2" }
            ])
        );
    }

    #[test]
    fn null_removes_a_key_a_directive_an_item_and_other_lists_are_replaced() {
        let mut object = json!({ "a": 1, "b": ["x"], "c": [{ "name": "n" }, { "name": "m" }] });
        merge(
            &mut object,
            &json!({ "a": null, "b": ["y"], "c": [{ "name": "n", "$patch": "delete" }] }),
            true,
        );
        assert_eq!(object, json!({ "b": ["y"], "c": [{ "name": "m" }] }));
    }

    #[test]
    fn a_custom_resource_has_its_named_lists_replaced_whole() {
        let mut rollout = json!({ "apiVersion": "argoproj.io/v1alpha1", "spec": { "containers": [{ "name": "a" }] } });
        assert!(!super::knows_schema(&rollout));
        merge(
            &mut rollout,
            &json!({ "spec": { "containers": [{ "name": "b" }] } }),
            false,
        );
        assert_eq!(rollout["spec"]["containers"], json!([{ "name": "b" }]));
    }
}
