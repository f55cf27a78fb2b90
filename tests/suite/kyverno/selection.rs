//! Which resources a rule judges: those its `match` selects and its `exclude` does not. Each
//! is `any` (one filter suffices) or `all` (every filter must hold) of `resources` filters
//! naming kinds (`Kind` or `group/version/Kind`), names, namespaces, a label selector
//! (`label_selector`) and operations; every field a filter names must hold. Every resource is judged as it is
//! created. A field this evaluator does not read panics.

use serde_json::Value;

use super::label_selector;
use super::wildcard::wildcard;

/// The operation every resource is judged under: workloads reach the cluster by creation.
const OPERATION: &str = "CREATE";

pub(super) fn selects(rule: &Value, resource: &Value) -> bool {
    let name = &rule["name"];
    let matched = block(&rule["match"], resource, name);
    matched
        && !rule
            .get("exclude")
            .is_some_and(|exclude| block(exclude, resource, name))
}

fn block(block: &Value, resource: &Value, rule: &Value) -> bool {
    let block = block
        .as_object()
        .unwrap_or_else(|| panic!("rule {rule}: match and exclude are maps"));
    for key in block.keys() {
        assert!(
            key == "any" || key == "all",
            "rule {rule}: `{key}` is not read here; only `any` and `all`"
        );
    }
    let filters = |key: &str| {
        block
            .get(key)
            .map(|filters| filters.as_array().expect("a list of filters"))
    };
    let any = filters("any");
    let all = filters("all");
    assert!(
        any.is_some() || all.is_some(),
        "rule {rule}: an empty selection"
    );
    any.is_none_or(|filters| filters.iter().any(|f| filter(f, resource, rule)))
        && all.is_none_or(|filters| filters.iter().all(|f| filter(f, resource, rule)))
}

fn filter(filter: &Value, resource: &Value, rule: &Value) -> bool {
    let fields = filter.as_object().expect("a filter is a map");
    for key in fields.keys() {
        assert!(
            key == "resources",
            "rule {rule}: `{key}` filters are not read here"
        );
    }
    let description = fields["resources"]
        .as_object()
        .expect("`resources` is a map");
    description.iter().all(|(field, wanted)| {
        let any_of = || -> Vec<&str> {
            wanted
                .as_array()
                .unwrap_or_else(|| panic!("rule {rule}: `{field}` is a list"))
                .iter()
                .map(|item| item.as_str().expect("a list of text"))
                .collect()
        };
        match field.as_str() {
            "kinds" => any_of()
                .into_iter()
                .any(|kind| kind_matches(kind, resource)),
            "names" => any_of()
                .into_iter()
                .any(|name| wildcard(name, text(resource, "/metadata/name"))),
            "namespaces" => any_of()
                .into_iter()
                .any(|namespace| wildcard(namespace, namespace_of(resource))),
            "operations" => any_of().contains(&OPERATION),
            "selector" => label_selector::selects(wanted, resource, rule),
            other => panic!("rule {rule}: the filter field `{other}` is not read here"),
        }
    })
}

/// `Kind` or `group/version/Kind`, each part a wildcard; the core group is empty.
fn kind_matches(kind: &str, resource: &Value) -> bool {
    let api_version = text(resource, "/apiVersion");
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let found = text(resource, "/kind");
    match kind.split('/').collect::<Vec<_>>().as_slice() {
        [kind] => wildcard(kind, found),
        [g, v, kind] => wildcard(g, group) && wildcard(v, version) && wildcard(kind, found),
        _ => panic!("the kind `{kind}` is neither `Kind` nor `group/version/Kind`"),
    }
}

/// A Namespace stands in its own namespace, as Kyverno reads it; a cluster-wide object in none.
fn namespace_of(resource: &Value) -> &str {
    if text(resource, "/kind") == "Namespace" {
        text(resource, "/metadata/name")
    } else {
        text(resource, "/metadata/namespace")
    }
}

fn text<'a>(resource: &'a Value, pointer: &str) -> &'a str {
    resource
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::selects;
    use serde_json::{Value, json};

    fn rule(matching: Value) -> Value {
        let mut rule = json!({ "name": "r", "match": { "any": [{}] } });
        rule["match"]["any"][0]["resources"] = matching;
        rule
    }

    fn object(api_version: &str, kind: &str, namespace: &str, labels: Value) -> Value {
        let mut object = json!({
            "apiVersion": api_version,
            "kind": kind,
            "metadata": { "name": "svc", "namespace": namespace },
        });
        object["metadata"]["labels"] = labels;
        object
    }

    fn pod(namespace: &str, labels: Value) -> Value {
        object("v1", "Pod", namespace, labels)
    }

    #[test]
    fn kinds_name_a_kind_or_its_group_version_and_kind() {
        let rule = rule(json!({ "kinds": ["Deployment", "argoproj.io/v1alpha1/Rollout"] }));
        assert!(selects(
            &rule,
            &object("apps/v1", "Deployment", "ns", json!({}))
        ));
        assert!(selects(
            &rule,
            &object("argoproj.io/v1alpha1", "Rollout", "ns", json!({}))
        ));
        assert!(!selects(
            &rule,
            &object("example.io/v1", "Rollout", "ns", json!({}))
        ));
        assert!(!selects(&rule, &pod("ns", json!({}))));
    }

    #[test]
    fn namespaces_and_names_are_wildcards() {
        let rule = rule(json!({ "kinds": ["Pod"], "namespaces": ["shop-*"], "names": ["s?c"] }));
        assert!(selects(&rule, &pod("shop-prod", json!({}))));
        assert!(!selects(&rule, &pod("other", json!({}))));
        let mut renamed = pod("shop-prod", json!({}));
        renamed["metadata"]["name"] = json!("sc");
        assert!(!selects(&rule, &renamed));
    }

    #[test]
    fn a_namespace_stands_in_its_own_namespace() {
        let rule = rule(json!({ "kinds": ["Namespace"], "namespaces": ["shop-prod"] }));
        let namespace = |name: &str| json!({ "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": name } });
        assert!(selects(&rule, &namespace("shop-prod")));
        assert!(!selects(&rule, &namespace("shop-dev")));
    }

    #[test]
    fn operations_hold_for_a_creation() {
        assert!(selects(
            &rule(json!({ "kinds": ["Pod"], "operations": ["CREATE", "UPDATE"] })),
            &pod("ns", json!({}))
        ));
        assert!(!selects(
            &rule(json!({ "kinds": ["Pod"], "operations": ["DELETE"] })),
            &pod("ns", json!({}))
        ));
    }

    #[test]
    fn an_exclusion_leaves_out_what_it_selects() {
        let mut rule = rule(json!({ "kinds": ["Pod", "Secret"] }));
        rule["exclude"] = json!({ "any": [
            { "resources": { "selector": { "matchLabels": { "acme.cert-manager.io/http01-solver": "true" } } } },
            { "resources": { "kinds": ["Secret"], "names": ["tls"] } },
        ] });
        assert!(selects(&rule, &pod("ns", json!({}))));
        assert!(!selects(
            &rule,
            &pod(
                "ns",
                json!({ "acme.cert-manager.io/http01-solver": "true" })
            )
        ));
        let mut secret = object("v1", "Secret", "ns", json!({}));
        assert!(selects(&rule, &secret));
        secret["metadata"]["name"] = json!("tls");
        assert!(!selects(&rule, &secret));
    }

    #[test]
    fn all_asks_every_filter() {
        let rule = json!({ "name": "r", "match": { "all": [
            { "resources": { "kinds": ["Pod"] } },
            { "resources": { "namespaces": ["prod"] } },
        ] } });
        assert!(selects(&rule, &pod("prod", json!({}))));
        assert!(!selects(&rule, &pod("dev", json!({}))));
    }

    #[test]
    #[should_panic(expected = "not read here")]
    fn a_filter_this_evaluator_does_not_read_panics() {
        selects(
            &rule(json!({ "kinds": ["Pod"], "namespaceSelector": {} })),
            &pod("ns", json!({})),
        );
    }
}
