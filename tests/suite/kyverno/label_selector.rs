//! A label selector, as a Kubernetes label selector reads: every label `matchLabels` names,
//! and every `matchExpressions` requirement (`In`, `NotIn`, `Exists`, `DoesNotExist`).

use serde_json::{Map, Value};

pub(super) fn selects(selector: &Value, resource: &Value, rule: &Value) -> bool {
    let labels = labels(resource);
    let label = |key: &str| labels.get(key).and_then(Value::as_str);
    let selector = selector.as_object().expect("a selector is a map");
    selector.iter().all(|(field, wanted)| match field.as_str() {
        "matchLabels" => wanted
            .as_object()
            .expect("matchLabels is a map")
            .iter()
            .all(|(key, value)| label(key) == value.as_str()),
        "matchExpressions" => wanted.as_array().expect("a list").iter().all(|expression| {
            let key = expression["key"]
                .as_str()
                .expect("an expression names its key");
            let values: Vec<&str> = expression["values"]
                .as_array()
                .map(|values| values.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            match (expression["operator"].as_str(), label(key)) {
                (Some("In"), found) => found.is_some_and(|found| values.contains(&found)),
                (Some("NotIn"), found) => found.is_none_or(|found| !values.contains(&found)),
                (Some("Exists"), found) => found.is_some(),
                (Some("DoesNotExist"), found) => found.is_none(),
                (operator, _) => {
                    panic!("rule {rule}: the selector operator {operator:?} is not read here")
                }
            }
        }),
        other => panic!("rule {rule}: the selector field `{other}` is not read here"),
    })
}

fn labels(resource: &Value) -> &Map<String, Value> {
    static NONE: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
    resource["metadata"]["labels"].as_object().unwrap_or(&NONE)
}

#[cfg(test)]
mod tests {
    use super::selects;
    use serde_json::{Value, json};

    fn pod(labels: Value) -> Value {
        let mut pod = json!({ "kind": "Pod", "metadata": {} });
        pod["metadata"]["labels"] = labels;
        pod
    }

    #[test]
    fn match_labels_and_each_expression_operator_select_by_label() {
        let selector = json!({
                "matchLabels": { "fleetc.io/base-image": "python" },
                "matchExpressions": [
                    { "key": "tier", "operator": "In", "values": ["web", "api"] },
                    { "key": "legacy", "operator": "DoesNotExist" },
                    { "key": "zone", "operator": "NotIn", "values": ["eu"] },
                    { "key": "app", "operator": "Exists" },
                ],
        });
        let selected = json!({ "fleetc.io/base-image": "python", "tier": "web", "app": "a" });
        let rule = json!("r");
        assert!(selects(&selector, &pod(selected), &rule));
        for refused in [
            json!({ "fleetc.io/base-image": "node", "tier": "web", "app": "a" }),
            json!({ "fleetc.io/base-image": "python", "tier": "batch", "app": "a" }),
            json!({ "fleetc.io/base-image": "python", "tier": "web", "app": "a", "legacy": "y" }),
            json!({ "fleetc.io/base-image": "python", "tier": "web", "app": "a", "zone": "eu" }),
            json!({ "fleetc.io/base-image": "python", "tier": "web" }),
        ] {
            assert!(
                !selects(&selector, &pod(refused.clone()), &rule),
                "{refused}"
            );
        }
    }
}
