use serde_json::Value;

/// The paths (object keys and array indexes) at which two documents differ, as deep as both
/// have the same shape: a list that grows or a value that changes type is one path.
pub(crate) fn differing_paths(before: &Value, after: &Value) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    walk(before, after, &mut Vec::new(), &mut found);
    found
}

fn walk(before: &Value, after: &Value, path: &mut Vec<String>, found: &mut Vec<Vec<String>>) {
    if before == after {
        return;
    }
    let empty = serde_json::Map::new();
    // A table that appears or goes is compared with an empty one, so its keys are named.
    let tables = match (before, after) {
        (Value::Null, Value::Object(new)) => Some((&empty, new)),
        (Value::Object(old), Value::Null) => Some((old, &empty)),
        _ => before.as_object().zip(after.as_object()),
    };
    if let Some((old, new)) = tables {
        let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            let none = Value::Null;
            path.push(key.clone());
            walk(
                old.get(key).unwrap_or(&none),
                new.get(key).unwrap_or(&none),
                path,
                found,
            );
            path.pop();
        }
        return;
    }
    match (before, after) {
        (Value::Array(old), Value::Array(new)) if old.len() == new.len() => {
            for (i, (old, new)) in old.iter().zip(new).enumerate() {
                path.push(i.to_string());
                walk(old, new, path, found);
                path.pop();
            }
        }
        _ => found.push(path.clone()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn names_the_deepest_paths_that_differ() {
        let before = json!({"spec": {"replicas": 1, "ports": [1, 2], "keep": "x"}});
        let after =
            json!({"spec": {"replicas": 2, "ports": [1, 2, 3], "keep": "x", "new": {"a": 1}}});
        assert_eq!(
            differing_paths(&before, &after),
            [
                vec!["spec", "new", "a"],
                vec!["spec", "ports"],
                vec!["spec", "replicas"]
            ]
        );
        assert!(differing_paths(&before, &before).is_empty());
    }
}
