//! Fields taken out of an object as they are read, so that what is left is exactly what was
//! not read.

use serde_json::{Map, Value};

use super::found::LeftOver;

/// Takes the value at `path` out of `value`, removing the maps it leaves empty.
pub(super) fn take(value: &mut Value, path: &[&str]) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut chain: Vec<&str> = Vec::new();
    let mut at = &mut *value;
    for part in parents {
        at = at.get_mut(*part)?;
        chain.push(part);
    }
    let taken = at.as_object_mut()?.remove(*last);
    prune(value, parents);
    taken
}

pub(super) fn take_str(value: &mut Value, path: &[&str]) -> Option<String> {
    take(value, path).and_then(|v| {
        v.as_str()
            .map(str::to_owned)
            .or_else(|| Some(v.to_string()))
    })
}

/// Removes the empty maps on `path`, deepest first.
pub(super) fn prune(value: &mut Value, path: &[&str]) {
    for depth in (1..=path.len()).rev() {
        let (last, parents) = path[..depth].split_last().expect("depth ≥ 1");
        let mut at = &mut *value;
        for part in parents {
            let Some(next) = at.get_mut(*part) else {
                return;
            };
            at = next;
        }
        let empty = at
            .get(*last)
            .is_some_and(|v| v.as_object().is_some_and(Map::is_empty));
        if empty && let Some(map) = at.as_object_mut() {
            map.remove(*last);
        }
    }
}

/// Every leaf left in `rest`, by path under `prefix`.
pub(super) fn leftovers(rest: &Value, prefix: &str, out: &mut Vec<LeftOver>, object: &str) {
    match rest {
        Value::Object(map) if !map.is_empty() => {
            for (key, value) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                leftovers(value, &path, out, object);
            }
        }
        Value::Object(_) => {}
        _ => out.push(LeftOver {
            object: object.to_owned(),
            field: prefix.to_owned(),
        }),
    }
}
