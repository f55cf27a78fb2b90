//! The structure of a validate pattern, read as Kyverno reads it: a map asks for each of its
//! keys, a list of one map asks it of every element, a scalar against a list asks it of every
//! item. Anchored keys (`anchors`) are read before plain keys, and plain keys with anchors
//! further down before the others, as Kyverno orders them.

use serde_json::{Map, Value};

use super::Mismatch;
use super::anchors::{Anchor, anchor};
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

/// `resource` (`None` for a key the resource lacks) against `pattern`, at `path`.
pub(super) fn element(resource: Option<&Value>, pattern: &Value, path: &str) -> Result<(), Miss> {
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

fn map(
    resource: &Map<String, Value>,
    pattern: &Map<String, Value>,
    path: &str,
) -> Result<(), Miss> {
    let mut anchored: Vec<(&str, Anchor<'_>, &Value)> = Vec::new();
    let mut plain: Vec<(&str, &Value)> = Vec::new();
    for (key, value) in pattern {
        match Anchor::parse(key) {
            Some(parsed) => anchored.push((key, parsed, value)),
            None => plain.push((key, value)),
        }
    }
    anchored.sort_by_key(|(key, ..)| *key);
    for (_, parsed, value) in anchored {
        anchor(resource, parsed, value, path)?;
    }
    // A condition deep inside decides whether the map is judged at all.
    plain.sort_by_key(|(_, value)| !holds_anchor(value));
    for (key, value) in plain {
        assert!(
            !key.contains(['*', '?']),
            "the wildcard key `{key}` is not read here"
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

/// A list pattern of one map judges every element; an element a condition leaves out is
/// skipped, and the list is skipped only when every element is.
fn list(items: &[Value], pattern: &[Value], path: &str) -> Result<(), Miss> {
    let [each] = pattern else {
        panic!(
            "{path}: a list pattern of {} elements is not read here",
            pattern.len()
        );
    };
    assert!(
        !each.is_array(),
        "{path}: a list in a list is not read here"
    );
    if !each.is_object() {
        return element(Some(&Value::Array(items.to_vec())), each, path);
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
pub(super) fn child(path: &str, key: &str) -> String {
    format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"))
}

pub(super) fn fail(path: &str, found: Option<&Value>, expected: &str) -> Miss {
    Miss::Fail(Mismatch {
        path: path.to_owned(),
        found: found.map_or_else(|| "absent".to_owned(), Value::to_string),
        expected: expected.to_owned(),
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::{Miss, check};
    use serde_json::{Value, json};

    pub(in super::super) fn passes(resource: &Value, pattern: &Value) -> bool {
        check(resource, pattern).is_ok()
    }

    pub(in super::super) fn failed_at(resource: &Value, pattern: &Value) -> String {
        match check(resource, pattern) {
            Err(Miss::Fail(mismatch)) => mismatch.path,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    pub(in super::super) fn skipped(resource: &Value, pattern: &Value) -> bool {
        matches!(check(resource, pattern), Err(Miss::Skip(_)))
    }

    #[test]
    fn a_plain_key_must_be_present_and_match() {
        let pattern = json!({ "spec": { "securityContext": { "runAsNonRoot": true } } });
        let context = |context: Value| json!({ "spec": { "securityContext": context } });
        assert!(passes(&context(json!({ "runAsNonRoot": true })), &pattern));
        let absent = failed_at(&context(json!({})), &pattern);
        assert_eq!(absent, "/spec/securityContext/runAsNonRoot");
        assert_eq!(
            failed_at(&json!({ "spec": {} }), &pattern),
            "/spec/securityContext"
        );
    }

    #[test]
    fn a_list_of_one_map_judges_every_element() {
        let pattern = json!({ "containers": [{ "image": "r/*" }] });
        let images = |a: &str, b: &str| json!({ "containers": [{ "image": a }, { "image": b }] });
        assert!(passes(&images("r/a", "r/b"), &pattern));
        assert_eq!(
            failed_at(&images("r/a", "s/b"), &pattern),
            "/containers/1/image"
        );
    }

    #[test]
    fn a_scalar_against_a_list_asks_it_of_every_item() {
        let pattern = json!({ "args": "!--debug" });
        assert!(passes(&json!({ "args": ["--port", "80"] }), &pattern));
        assert_eq!(
            failed_at(&json!({ "args": ["--port", "--debug"] }), &pattern),
            "/args/1"
        );
    }

    #[test]
    fn a_star_value_asks_only_for_presence() {
        let pattern = json!({ "metadata": { "labels": { "team": "*" } } });
        assert!(passes(
            &json!({ "metadata": { "labels": { "team": "" } } }),
            &pattern
        ));
        let absent = failed_at(&json!({ "metadata": { "labels": {} } }), &pattern);
        assert_eq!(absent, "/metadata/labels/team");
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
