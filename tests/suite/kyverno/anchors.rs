//! Anchors change what a pattern's key asks: `(key)` is a condition (when it fails, the map is
//! not judged: the rule skips it), `=(key)` is checked only where present, `X(key)` must be
//! absent, `^(key)` a list where some element matches. They are read in the order of their
//! keys, as Kyverno sorts them, so `(name)` decides before `X(value)` is read.

use serde_json::{Map, Value};

use super::pattern::{Miss, child, element, fail};

#[derive(Clone, Copy)]
pub(super) enum Anchor<'a> {
    Condition(&'a str),
    Equality(&'a str),
    Negation(&'a str),
    Existence(&'a str),
}

impl<'a> Anchor<'a> {
    pub(super) fn parse(key: &'a str) -> Option<Self> {
        let inner = |prefix: &str| key.strip_prefix(prefix)?.strip_suffix(')');
        let parsed = [
            ("(", Self::Condition as fn(&'a str) -> Self),
            ("=(", Self::Equality),
            ("X(", Self::Negation),
            ("^(", Self::Existence),
        ]
        .into_iter()
        .find_map(|(prefix, anchor)| inner(prefix).map(anchor));
        assert!(
            inner("<(").is_none() && inner("+(").is_none(),
            "the anchor `{key}` is not read here"
        );
        parsed
    }
}

/// The anchored key of `resource` against `pattern`, at `path`.
pub(super) fn anchor(
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
        Anchor::Equality(key) => resource.get(key).map_or(Ok(()), |found| {
            element(Some(found), pattern, &child(path, key))
        }),
        Anchor::Negation(key) => match resource.get(key) {
            Some(found) => Err(fail(&child(path, key), Some(found), "absent")),
            None => Ok(()),
        },
        Anchor::Existence(key) => {
            let path = child(path, key);
            let (Some(found), Value::Array(wanted)) = (resource.get(key), pattern) else {
                return Ok(());
            };
            let Value::Array(items) = found else {
                return Err(fail(&path, Some(found), "a list"));
            };
            match wanted.iter().find(|each| {
                !items
                    .iter()
                    .any(|item| element(Some(item), each, &path).is_ok())
            }) {
                Some(missing) => Err(fail(
                    &path,
                    Some(found),
                    &format!("an element matching {missing}"),
                )),
                None => Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::pattern::tests::{failed_at, passes, skipped};
    use serde_json::{Value, json};

    #[test]
    fn an_equality_anchor_judges_only_what_is_present() {
        let pattern = json!({ "=(initContainers)": [{ "image": "r/*" }] });
        let init = |image: &str| json!({ "initContainers": [{ "image": image }] });
        assert!(passes(&json!({}), &pattern));
        assert!(passes(&init("r/a"), &pattern));
        assert_eq!(failed_at(&init("s/a"), &pattern), "/initContainers/0/image");
    }

    #[test]
    fn a_negation_anchor_refuses_the_key_whatever_its_value() {
        let pattern = json!({ "X(hostPath)": "null" });
        assert!(passes(&json!({ "emptyDir": {} }), &pattern));
        assert_eq!(
            failed_at(&json!({ "hostPath": { "path": "/" } }), &pattern),
            "/hostPath"
        );
    }

    #[test]
    fn a_failed_condition_leaves_the_element_out_before_a_negation_is_read() {
        let pattern =
            json!({ "=(env)": [{ "(name)": "*_PASSWORD | *_TOKEN", "X(value)": "null" }] });
        let env = |items: Value| json!({ "env": items });
        let literal = |name: &str| json!({ "name": name, "value": "x" });
        let reference = json!({ "name": "DB_PASSWORD", "valueFrom": {} });
        assert!(skipped(&env(json!([literal("LOG_FORMAT")])), &pattern));
        assert!(passes(&env(json!([reference, literal("LOG")])), &pattern));
        let leaked = env(json!([literal("LOG"), literal("DB_PASSWORD")]));
        assert_eq!(failed_at(&leaked, &pattern), "/env/1/value");
    }

    #[test]
    fn a_condition_on_an_absent_key_skips_the_map() {
        let pattern = json!({ "(hostNetwork)": true, "dnsPolicy": "ClusterFirstWithHostNet" });
        let pod = |host: Value| json!({ "hostNetwork": host, "dnsPolicy": "Default" });
        assert!(skipped(&json!({ "dnsPolicy": "Default" }), &pattern));
        assert!(skipped(&pod(json!(false)), &pattern));
        assert_eq!(failed_at(&pod(json!(true)), &pattern), "/dnsPolicy");
    }

    #[test]
    fn an_existence_anchor_asks_for_some_matching_element() {
        let pattern = json!({ "^(containers)": [{ "name": "app" }] });
        let names = |names: &[&str]| json!({ "containers": names.iter().map(|n| json!({ "name": n })).collect::<Vec<_>>() });
        assert!(passes(&names(&["sidecar", "app"]), &pattern));
        assert_eq!(failed_at(&names(&["sidecar"]), &pattern), "/containers");
    }
}
