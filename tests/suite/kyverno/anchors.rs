//! The structure of a validate pattern, read as Kyverno reads it: a map asks for each key, a
//! list of one map asks it of every element, a scalar against a list asks it of every item.
//! Anchors change what a key asks: `(key)` is a condition (when it fails, the map is not
//! judged: the rule skips it), `=(key)` is checked only where present, `X(key)` must be
//! absent, `^(key)` a list where some element matches. Anchors are read before plain keys,
//! in the order of their keys, as Kyverno sorts them, so `(name)` decides before `X(value)`.

use serde_json::{Map, Value};

use super::Mismatch;
use super::values::satisfies;

/// Why a pattern does not pass: a condition did not hold, so the rule does not apply, or the
/// resource fails it.
#[derive(Debug)]
pub(super) enum Miss {
    Skip(String),
    Fail(Mismatch),
}

pub(super) fn check(resource: &Value, pattern: &Value) -> Result<(), Miss> {
    element(Some(resource), pattern, "")
}

enum Anchor<'a> {
    Condition(&'a str),
    Equality(&'a str),
    Negation(&'a str),
    Existence(&'a str),
}

impl<'a> Anchor<'a> {
    fn parse(key: &'a str) -> Option<Self> {
        let inner = |prefix: &str| key.strip_prefix(prefix)?.strip_suffix(')');
        if let Some(key) = inner("(") {
            return Some(Self::Condition(key));
        }
        if let Some(key) = inner("=(") {
            return Some(Self::Equality(key));
        }
        if let Some(key) = inner("X(") {
            return Some(Self::Negation(key));
        }
        if let Some(key) = inner("^(") {
            return Some(Self::Existence(key));
        }
        assert!(
            inner("<(").is_none() && inner("+(").is_none(),
            "the anchor `{key}` is not one this evaluator reads"
        );
        None
    }
}

fn element(resource: Option<&Value>, pattern: &Value, path: &str) -> Result<(), Miss> {
    match (pattern, resource) {
        (Value::Object(pattern), Some(Value::Object(resource))) => map(resource, pattern, path),
        (Value::Object(_), found) => Err(fail(path, found, "a map")),
        (Value::Array(pattern), Some(Value::Array(items))) => list(items, pattern, path),
        (Value::Array(_), found) => Err(fail(path, found, "a list")),
        (scalar, Some(Value::Array(items))) => {
            for (index, item) in items.iter().enumerate() {
                element(Some(item), scalar, &format!("{path}/{index}"))?;
            }
            Ok(())
        }
        (scalar, found) if satisfies(found, scalar) => Ok(()),
        (scalar, found) => Err(fail(path, found, &scalar.to_string())),
    }
}

fn map(resource: &Map<String, Value>, pattern: &Map<String, Value>, path: &str) -> Result<(), Miss> {
    let mut anchored: Vec<(&str, &Value)> = Vec::new();
    let mut plain: Vec<(&str, &Value)> = Vec::new();
    for (key, value) in pattern {
        let side = if Anchor::parse(key).is_some() { &mut anchored } else { &mut plain };
        side.push((key, value));
    }
    anchored.sort_by_key(|(key, _)| *key);
    for (key, value) in anchored {
        anchor(resource, Anchor::parse(key).expect("an anchor"), value, path)?;
    }
    // Keys holding anchors further down go first, as Kyverno orders them: a condition deep
    // inside decides whether the map is judged at all.
    plain.sort_by_key(|(_, value)| !holds_anchor(value));
    for (key, value) in plain {
        assert!(
            !key.contains(['*', '?']),
            "the wildcard key `{key}` is not one this evaluator reads"
        );
        let found = resource.get(key);
        let path = child(path, key);
        if value == "*" {
            if found.is_none_or(Value::is_null) {
                return Err(fail(&path, found, "any value"));
            }
            continue;
        }
        element(found, value, &path)?;
    }
    Ok(())
}

fn anchor(
    resource: &Map<String, Value>,
    anchor: Anchor<'_>,
    pattern: &Value,
    path: &str,
) -> Result<(), Miss> {
    match anchor {
        Anchor::Condition(key) => {
            let path = child(path, key);
            let Some(found) = resource.get(key) else {
                return Err(Miss::Skip(format!("{path} is absent")));
            };
            element(Some(found), pattern, &path).map_err(|miss| match miss {
                Miss::Skip(why) => Miss::Skip(why),
                Miss::Fail(mismatch) => Miss::Skip(mismatch.to_string()),
            })
        }
        Anchor::Equality(key) => match resource.get(key) {
            Some(found) => element(Some(found), pattern, &child(path, key)),
            None => Ok(()),
        },
        Anchor::Negation(key) => match resource.get(key) {
            Some(found) => Err(fail(&child(path, key), Some(found), "absent")),
            None => Ok(()),
        },
        Anchor::Existence(key) => {
            let path = child(path, key);
            match (resource.get(key), pattern) {
                (None, _) => Ok(()),
                (Some(Value::Array(items)), Value::Array(wanted)) => {
                    for each in wanted {
                        if !items.iter().any(|item| element(Some(item), each, &path).is_ok()) {
                            return Err(fail(&path, Some(&Value::Array(items.clone())), &format!("an element matching {each}")));
                        }
                    }
                    Ok(())
                }
                (found, _) => Err(fail(&path, found, "a list")),
            }
        }
    }
}

/// A list pattern of one map judges every element; an element a condition leaves out is
/// skipped, and the list is skipped only when every element is.
fn list(items: &[Value], pattern: &[Value], path: &str) -> Result<(), Miss> {
    let [each] = pattern else {
        panic!("{path}: a list pattern of {} elements is not one this evaluator reads", pattern.len());
    };
    assert!(!each.is_array(), "{path}: a list in a list is not a pattern this evaluator reads");
    if !each.is_object() {
        let list = Value::Array(items.to_vec());
        return element(Some(&list), each, path);
    }
    let mut judged = 0;
    let mut skipped = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match element(Some(item), each, &format!("{path}/{index}")) {
            Ok(()) => judged += 1,
            Err(Miss::Skip(why)) => skipped.push(why),
            Err(fail) => return Err(fail),
        }
    }
    if judged == 0 && !skipped.is_empty() {
        return Err(Miss::Skip(skipped.join("; ")));
    }
    Ok(())
}

fn holds_anchor(pattern: &Value) -> bool {
    match pattern {
        Value::Object(map) => map
            .iter()
            .any(|(key, value)| Anchor::parse(key).is_some() || holds_anchor(value)),
        Value::Array(items) => items.iter().any(holds_anchor),
        _ => false,
    }
}

/// A JSON pointer one key deeper.
fn child(path: &str, key: &str) -> String {
    format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn fail(path: &str, found: Option<&Value>, expected: &str) -> Miss {
    Miss::Fail(Mismatch {
        path: path.to_owned(),
        found: found.map_or_else(|| "absent".to_owned(), Value::to_string),
        expected: expected.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::{Miss, check};
    use serde_json::{Value, json};

    fn failed_at(resource: &Value, pattern: &Value) -> String {
        match check(resource, pattern) {
            Err(Miss::Fail(mismatch)) => mismatch.path,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    fn skipped(resource: &Value, pattern: &Value) -> bool {
        matches!(check(resource, pattern), Err(Miss::Skip(_)))
    }

    #[test]
    fn a_plain_key_must_be_present_and_match() {
        let pattern = json!({ "spec": { "securityContext": { "runAsNonRoot": true } } });
        assert!(check(&json!({ "spec": { "securityContext": { "runAsNonRoot": true } } }), &pattern).is_ok());
        assert_eq!(failed_at(&json!({ "spec": { "securityContext": {} } }), &pattern), "/spec/securityContext/runAsNonRoot");
        assert_eq!(failed_at(&json!({ "spec": {} }), &pattern), "/spec/securityContext");
    }

    #[test]
    fn a_list_of_one_map_judges_every_element() {
        let pattern = json!({ "containers": [{ "image": "r/*" }] });
        assert!(check(&json!({ "containers": [{ "image": "r/a" }, { "image": "r/b" }] }), &pattern).is_ok());
        assert_eq!(
            failed_at(&json!({ "containers": [{ "image": "r/a" }, { "image": "s/b" }] }), &pattern),
            "/containers/1/image"
        );
    }

    #[test]
    fn a_scalar_against_a_list_asks_it_of_every_item() {
        let pattern = json!({ "args": "!--debug" });
        assert!(check(&json!({ "args": ["--port", "80"] }), &pattern).is_ok());
        assert_eq!(failed_at(&json!({ "args": ["--port", "--debug"] }), &pattern), "/args/1");
    }

    #[test]
    fn an_equality_anchor_judges_only_what_is_present() {
        let pattern = json!({ "=(initContainers)": [{ "image": "r/*" }] });
        assert!(check(&json!({}), &pattern).is_ok());
        assert!(check(&json!({ "initContainers": [{ "image": "r/a" }] }), &pattern).is_ok());
        assert_eq!(failed_at(&json!({ "initContainers": [{ "image": "s/a" }] }), &pattern), "/initContainers/0/image");
    }

    #[test]
    fn a_negation_anchor_refuses_the_key_whatever_its_value() {
        let pattern = json!({ "X(hostPath)": "null" });
        assert!(check(&json!({ "emptyDir": {} }), &pattern).is_ok());
        assert_eq!(failed_at(&json!({ "hostPath": { "path": "/" } }), &pattern), "/hostPath");
    }

    #[test]
    fn a_failed_condition_leaves_the_element_out_before_a_negation_is_read() {
        let pattern = json!({ "=(env)": [{ "(name)": "*_PASSWORD | *_TOKEN", "X(value)": "null" }] });
        let env = |items: Value| json!({ "env": items });
        assert!(skipped(&env(json!([{ "name": "LOG_FORMAT", "value": "json" }])), &pattern));
        assert!(check(&env(json!([{ "name": "DB_PASSWORD", "valueFrom": {} }, { "name": "LOG", "value": "x" }])), &pattern).is_ok());
        assert_eq!(
            failed_at(&env(json!([{ "name": "LOG", "value": "x" }, { "name": "DB_PASSWORD", "value": "hunter2" }])), &pattern),
            "/env/1/value"
        );
    }

    #[test]
    fn a_condition_on_an_absent_key_skips_the_map() {
        let pattern = json!({ "(hostNetwork)": true, "dnsPolicy": "ClusterFirstWithHostNet" });
        assert!(skipped(&json!({ "dnsPolicy": "Default" }), &pattern));
        assert!(skipped(&json!({ "hostNetwork": false, "dnsPolicy": "Default" }), &pattern));
        assert_eq!(failed_at(&json!({ "hostNetwork": true, "dnsPolicy": "Default" }), &pattern), "/dnsPolicy");
    }

    #[test]
    fn an_existence_anchor_asks_for_some_matching_element() {
        let pattern = json!({ "^(containers)": [{ "name": "app" }] });
        assert!(check(&json!({ "containers": [{ "name": "sidecar" }, { "name": "app" }] }), &pattern).is_ok());
        assert_eq!(failed_at(&json!({ "containers": [{ "name": "sidecar" }] }), &pattern), "/containers");
    }

    #[test]
    fn a_star_value_asks_only_for_presence() {
        let pattern = json!({ "metadata": { "labels": { "team": "*" } } });
        assert!(check(&json!({ "metadata": { "labels": { "team": "" } } }), &pattern).is_ok());
        assert_eq!(failed_at(&json!({ "metadata": { "labels": {} } }), &pattern), "/metadata/labels/team");
    }

    #[test]
    fn a_path_escapes_slashes_in_keys_as_a_json_pointer() {
        let pattern = json!({ "metadata": { "labels": { "fleetc.io/synced-by": "argocd" } } });
        let resource = json!({ "metadata": { "labels": { "fleetc.io/synced-by": "kubectl" } } });
        let path = failed_at(&resource, &pattern);
        assert_eq!(path, "/metadata/labels/fleetc.io~1synced-by");
        assert_eq!(resource.pointer(&path), Some(&json!("kubectl")));
    }
}
