//! `validate.deny`: the resource is refused when its conditions hold (`any`: one of them,
//! `all`: every one, a bare list: every one). A condition's key is read only in the form
//! fleetc writes, a label of the object with a default, `{{ request.object.metadata.labels."KEY"
//! || 'default' }}`; its operator is `AnyIn`, `AllIn`, `AnyNotIn`, `AllNotIn`, `Equals` or
//! `NotEquals`, text compared with wildcards either way as Kyverno compares it. Anything else
//! panics.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::Mismatch;
use super::wildcard::wildcard;

pub(super) fn check(deny: &Value, resource: &Value) -> Result<(), Mismatch> {
    let fields = deny.as_object().expect("deny is a map");
    for key in fields.keys() {
        assert!(key == "conditions", "deny.{key} is not read here");
    }
    let conditions = &fields["conditions"];
    let (any, all): (Option<&Vec<Value>>, Option<&Vec<Value>>) = match conditions {
        Value::Array(all) => (None, Some(all)),
        Value::Object(blocks) => {
            for key in blocks.keys() {
                assert!(
                    key == "any" || key == "all",
                    "deny.conditions.{key} is not read here"
                );
            }
            let list = |key: &str| {
                blocks
                    .get(key)
                    .map(|v| v.as_array().expect("a list of conditions"))
            };
            (list("any"), list("all"))
        }
        other => panic!("deny.conditions is a list or a map, not {other}"),
    };
    let held: Vec<Held> = any
        .into_iter()
        .chain(all)
        .flatten()
        .filter_map(|c| holds(c, resource))
        .collect();
    let denied = any.is_none_or(|any| any.iter().any(|c| holds(c, resource).is_some()))
        && all.is_none_or(|all| all.iter().all(|c| holds(c, resource).is_some()));
    match held.into_iter().next() {
        Some(held) if denied => Err(Mismatch {
            path: format!(
                "/metadata/labels/{}",
                held.label.replace('~', "~0").replace('/', "~1")
            ),
            found: Value::String(held.found).to_string(),
            expected: format!("not {} {}", held.operator, held.value),
        }),
        _ => Ok(()),
    }
}

/// A condition that holds, and what made it hold.
struct Held {
    label: String,
    found: String,
    operator: String,
    value: Value,
}

fn holds(condition: &Value, resource: &Value) -> Option<Held> {
    let key = condition["key"]
        .as_str()
        .expect("a condition's key is text");
    let (label, default) = label_key(key);
    let found = resource["metadata"]["labels"][&label]
        .as_str()
        .filter(|found| !found.is_empty())
        .unwrap_or(&default)
        .to_owned();
    let operator = condition["operator"]
        .as_str()
        .expect("a condition's operator");
    let value = &condition["value"];
    let within = || -> bool {
        let values: Vec<&str> = match value {
            Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().expect("text values"))
                .collect(),
            Value::String(one) => vec![one],
            other => panic!("{operator} against {other} is not read here"),
        };
        values
            .iter()
            .any(|v| wildcard(v, &found) || wildcard(&found, v))
    };
    let equal = || match value {
        Value::String(wanted) => wildcard(wanted, &found),
        other => panic!("{operator} against {other} is not read here"),
    };
    // The key is one label, so any and all of it are the same.
    let held = match operator {
        "AnyIn" | "AllIn" => within(),
        "AnyNotIn" | "AllNotIn" => !within(),
        "Equals" => equal(),
        "NotEquals" => !equal(),
        other => panic!("the deny operator {other} is not read here"),
    };
    held.then(|| Held {
        label,
        found,
        operator: operator.to_owned(),
        value: value.clone(),
    })
}

/// The label and default of `{{ request.object.metadata.labels."KEY" || 'default' }}`.
fn label_key(key: &str) -> (String, String) {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"^\{\{\s*request\.object\.metadata\.labels\."([^"]+)"\s*\|\|\s*'([^']*)'\s*\}\}$"#,
        )
        .unwrap()
    });
    let captures = LABEL.captures(key).unwrap_or_else(|| {
        panic!("the deny key {key} is not a label with a default, the one form read here")
    });
    (captures[1].to_owned(), captures[2].to_owned())
}

#[cfg(test)]
mod tests {
    use super::check;
    use serde_json::{Value, json};

    const VERSION: &str = "{{ request.object.metadata.labels.\"fleetc.io/base-version\" || '' }}";

    fn pod(version: Option<&str>) -> Value {
        let labels = version.map_or(json!({}), |v| json!({ "fleetc.io/base-version": v }));
        json!({ "kind": "Pod", "metadata": { "labels": labels } })
    }

    fn deny(operator: &str, value: Value) -> Value {
        let mut condition = json!({ "key": VERSION, "operator": operator });
        condition["value"] = value;
        json!({ "conditions": { "any": [condition] } })
    }

    #[test]
    fn any_in_refuses_a_label_among_the_values() {
        let rule = deny("AnyIn", json!(["3.11-r9", "3.12-r1"]));
        let refused = check(&rule, &pod(Some("3.11-r9"))).unwrap_err();
        assert_eq!(refused.path, "/metadata/labels/fleetc.io~1base-version");
        assert_eq!(refused.found, "\"3.11-r9\"");
        assert!(check(&rule, &pod(Some("3.11-r10"))).is_ok());
        assert!(
            check(&rule, &pod(None)).is_ok(),
            "a missing label reads as the default"
        );
    }

    #[test]
    fn values_are_wildcards() {
        let rule = deny("AnyIn", json!(["3.11-*"]));
        assert!(check(&rule, &pod(Some("3.11-r2"))).is_err());
        assert!(check(&rule, &pod(Some("3.12-r2"))).is_ok());
    }

    #[test]
    fn not_in_and_equals_read_the_same_label() {
        assert!(check(&deny("AnyNotIn", json!(["1", "2"])), &pod(Some("3"))).is_err());
        assert!(check(&deny("AnyNotIn", json!(["1", "2"])), &pod(Some("2"))).is_ok());
        assert!(check(&deny("Equals", json!("3.*")), &pod(Some("3.1"))).is_err());
        assert!(check(&deny("Equals", json!("3.*")), &pod(Some("4.1"))).is_ok());
        assert!(check(&deny("NotEquals", json!("3.1")), &pod(Some("4.1"))).is_err());
        assert!(check(&deny("NotEquals", json!("3.1")), &pod(Some("3.1"))).is_ok());
    }

    #[test]
    fn all_asks_every_condition() {
        let rule = json!({ "conditions": { "all": [
            { "key": VERSION, "operator": "AnyIn", "value": ["3.*"] },
            { "key": VERSION, "operator": "NotEquals", "value": "3.12" },
        ] } });
        assert!(check(&rule, &pod(Some("3.11"))).is_err());
        assert!(check(&rule, &pod(Some("3.12"))).is_ok());
    }

    #[test]
    #[should_panic(expected = "the one form read here")]
    fn another_key_form_panics() {
        let rule = json!({ "conditions": { "any": [{ "key": "{{ request.operation }}", "operator": "Equals", "value": "DELETE" }] } });
        let _ = check(&rule, &pod(None));
    }
}
