//! Names that change during a build: a prefix, a suffix, a content hash. Each object keeps
//! the names it had, so a patch naming an object by its first name still finds it and every
//! reference to an old name is rewritten to the last one, as kustomize does.

use serde_json::{Value, json};

use super::references::{REFERENCES, Reference, referrers};

/// Where an object keeps what the build knows of it beyond its fields; removed before the
/// build is printed.
const STATE: &str = "__fleetc_render";

/// Kinds kustomize never prefixes nor suffixes.
const KEEP_NAME: &[&str] = &["Namespace", "CustomResourceDefinition", "APIService"];

fn name(document: &Value) -> &str {
    document["metadata"]["name"].as_str().unwrap_or("")
}

/// The names `document` had before its current one, first to last.
fn previous(document: &Value) -> Vec<String> {
    document[STATE]["names"]
        .as_array()
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether `document` is or was named `wanted`.
pub(super) fn known_as(document: &Value, wanted: &str) -> bool {
    name(document) == wanted || previous(document).iter().any(|n| n == wanted)
}

/// Every name `document` has had, the current one last.
pub(super) fn every_name(document: &Value) -> Vec<String> {
    let mut names = previous(document);
    names.push(name(document).to_owned());
    names
}

pub(super) fn rename(document: &mut Value, new_name: &str) {
    let old = name(document).to_owned();
    if old == new_name {
        return;
    }
    let mut names = previous(document);
    names.push(old);
    document[STATE]["names"] = json!(names);
    document["metadata"]["name"] = json!(new_name);
}

/// Marks a generated object for a content hash suffix, added when the build is assembled.
pub(super) fn mark_for_hash(document: &mut Value) {
    document[STATE]["hash"] = json!(true);
}

pub(super) fn needs_hash(document: &Value) -> bool {
    document[STATE]["hash"] == json!(true)
}

pub(super) fn prefix_suffix(documents: &mut [Value], prefix: &str, suffix: &str) {
    if prefix.is_empty() && suffix.is_empty() {
        return;
    }
    for document in documents.iter_mut() {
        if KEEP_NAME.contains(&document["kind"].as_str().unwrap_or("")) {
            continue;
        }
        let renamed = format!("{prefix}{}{suffix}", name(document));
        rename(document, &renamed);
    }
}

/// Removes what the build kept beside each object's fields.
pub(super) fn forget(documents: &mut [Value]) {
    for document in documents {
        if let Value::Object(fields) = document {
            fields.remove(STATE);
        }
    }
}

/// Rewrites each reference to an old name of a renamed object to its current name.
pub(super) fn fix_references(documents: &mut [Value]) {
    let renamed: Vec<(String, Option<String>, Vec<String>, String)> = documents
        .iter()
        .filter(|d| !previous(d).is_empty())
        .map(|d| {
            (
                d["kind"].as_str().unwrap_or("").to_owned(),
                d["metadata"]["namespace"].as_str().map(str::to_owned),
                previous(d),
                name(d).to_owned(),
            )
        })
        .collect();
    if renamed.is_empty() {
        return;
    }
    for document in documents.iter_mut() {
        let namespace = document["metadata"]["namespace"]
            .as_str()
            .map(str::to_owned);
        for reference in REFERENCES {
            for (kind, at, old, new) in &renamed {
                if reference.kind != kind {
                    continue;
                }
                for field in referrers(document, reference) {
                    rewrite(
                        field,
                        reference,
                        namespace.as_deref(),
                        at.as_deref(),
                        old,
                        new,
                    );
                }
            }
        }
    }
}

/// Rewrites one referring field: `holder` is the map holding the name.
fn rewrite(
    holder: &mut Value,
    reference: &Reference,
    namespace: Option<&str>,
    at: Option<&str>,
    old: &[String],
    new: &str,
) {
    let Some(current) = holder[reference.field].as_str() else {
        return;
    };
    if reference.same_kind && holder["kind"].as_str() != Some(reference.kind) {
        return;
    }
    let referrer_namespace = if reference.own_namespace {
        holder["namespace"].as_str()
    } else {
        namespace
    };
    let same_namespace = at.is_none() || referrer_namespace.is_none() || at == referrer_namespace;
    if same_namespace && old.iter().any(|o| o == current) {
        holder[reference.field] = json!(new);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{fix_references, forget, known_as, prefix_suffix};

    #[test]
    fn a_prefixed_config_map_is_found_by_either_name_and_its_references_follow_it() {
        let mut documents = vec![
            json!({ "kind": "ConfigMap", "metadata": { "name": "cfg" } }),
            json!({ "kind": "Namespace", "metadata": { "name": "ns" } }),
            json!({ "kind": "Deployment", "metadata": { "name": "web" }, "spec": { "template": { "spec": {
                "containers": [{ "name": "a", "envFrom": [{ "configMapRef": { "name": "cfg" } }, { "configMapRef": { "name": "other" } }] }],
                "volumes": [{ "name": "v", "configMap": { "name": "cfg" } }]
            } } } }),
        ];
        prefix_suffix(&mut documents, "p-", "-s");
        assert!(known_as(&documents[0], "cfg") && known_as(&documents[0], "p-cfg-s"));
        assert_eq!(documents[1]["metadata"]["name"], "ns");
        fix_references(&mut documents);
        forget(&mut documents);
        let pod = &documents[2]["spec"]["template"]["spec"];
        assert_eq!(
            pod["containers"][0]["envFrom"][0]["configMapRef"]["name"],
            "p-cfg-s"
        );
        assert_eq!(
            pod["containers"][0]["envFrom"][1]["configMapRef"]["name"],
            "other"
        );
        assert_eq!(pod["volumes"][0]["configMap"]["name"], "p-cfg-s");
        assert_eq!(
            documents[0],
            json!({ "kind": "ConfigMap", "metadata": { "name": "p-cfg-s" } })
        );
    }

    #[test]
    fn a_reference_from_another_namespace_is_left_alone() {
        let mut documents = vec![
            json!({ "kind": "Service", "metadata": { "name": "api", "namespace": "a" } }),
            json!({ "kind": "Ingress", "metadata": { "name": "i", "namespace": "b" }, "spec": { "rules": [
                { "http": { "paths": [{ "backend": { "service": { "name": "api" } } }] } }
            ] } }),
        ];
        prefix_suffix(&mut documents[..1], "p-", "");
        fix_references(&mut documents);
        assert_eq!(
            documents[1]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"],
            "api"
        );
    }
}
