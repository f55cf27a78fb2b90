//! `commonLabels` and `commonAnnotations`: the fields kustomize's default configuration writes
//! them to. Labels go to selectors as well, so they must match what the selectors select.

use indexmap::IndexMap;
use serde_json::{Value, json};

/// Where a transformer writes: objects of `kind` (any when empty) in `group` (any when
/// `None`); `create` makes the maps on the way when missing.
struct Field {
    group: Option<&'static str>,
    kind: &'static str,
    path: &'static [&'static str],
    create: bool,
}

const fn at(
    group: Option<&'static str>,
    kind: &'static str,
    path: &'static [&'static str],
    create: bool,
) -> Field {
    Field {
        group,
        kind,
        path,
        create,
    }
}

const CORE: Option<&str> = Some("");
const APPS: Option<&str> = Some("apps");
const BATCH: Option<&str> = Some("batch");
const NETWORKING: Option<&str> = Some("networking.k8s.io");
const TEMPLATE: &[&str] = &["spec", "template", "metadata", "labels"];
const MATCH: &[&str] = &["spec", "selector", "matchLabels"];
const AFFINITY_TERMS: &[&[&str]] = &[
    &[
        "spec",
        "template",
        "spec",
        "affinity",
        "podAffinity",
        "preferredDuringSchedulingIgnoredDuringExecution",
        "podAffinityTerm",
        "labelSelector",
        "matchLabels",
    ],
    &[
        "spec",
        "template",
        "spec",
        "affinity",
        "podAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution",
        "labelSelector",
        "matchLabels",
    ],
    &[
        "spec",
        "template",
        "spec",
        "affinity",
        "podAntiAffinity",
        "preferredDuringSchedulingIgnoredDuringExecution",
        "podAffinityTerm",
        "labelSelector",
        "matchLabels",
    ],
    &[
        "spec",
        "template",
        "spec",
        "affinity",
        "podAntiAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution",
        "labelSelector",
        "matchLabels",
    ],
    &[
        "spec",
        "template",
        "spec",
        "topologySpreadConstraints",
        "labelSelector",
        "matchLabels",
    ],
];

const LABELS: &[Field] = &[
    at(None, "", &["metadata", "labels"], true),
    at(CORE, "Service", &["spec", "selector"], true),
    at(CORE, "ReplicationController", &["spec", "selector"], true),
    at(CORE, "ReplicationController", TEMPLATE, true),
    at(None, "Deployment", MATCH, true),
    at(None, "Deployment", TEMPLATE, true),
    at(None, "ReplicaSet", MATCH, true),
    at(None, "ReplicaSet", TEMPLATE, true),
    at(None, "DaemonSet", MATCH, true),
    at(None, "DaemonSet", TEMPLATE, true),
    at(APPS, "StatefulSet", MATCH, true),
    at(APPS, "StatefulSet", TEMPLATE, true),
    at(
        APPS,
        "StatefulSet",
        &["spec", "volumeClaimTemplates", "metadata", "labels"],
        true,
    ),
    at(BATCH, "Job", MATCH, false),
    at(BATCH, "Job", TEMPLATE, true),
    at(
        BATCH,
        "CronJob",
        &["spec", "jobTemplate", "spec", "selector", "matchLabels"],
        false,
    ),
    at(
        BATCH,
        "CronJob",
        &["spec", "jobTemplate", "metadata", "labels"],
        true,
    ),
    at(
        BATCH,
        "CronJob",
        &[
            "spec",
            "jobTemplate",
            "spec",
            "template",
            "metadata",
            "labels",
        ],
        true,
    ),
    at(Some("policy"), "PodDisruptionBudget", MATCH, false),
    at(
        NETWORKING,
        "NetworkPolicy",
        &["spec", "podSelector", "matchLabels"],
        false,
    ),
    at(
        NETWORKING,
        "NetworkPolicy",
        &["spec", "ingress", "from", "podSelector", "matchLabels"],
        false,
    ),
    at(
        NETWORKING,
        "NetworkPolicy",
        &["spec", "egress", "to", "podSelector", "matchLabels"],
        false,
    ),
];

const ANNOTATIONS: &[Field] = &[
    at(None, "", &["metadata", "annotations"], true),
    at(
        CORE,
        "ReplicationController",
        &["spec", "template", "metadata", "annotations"],
        true,
    ),
    at(
        None,
        "Deployment",
        &["spec", "template", "metadata", "annotations"],
        true,
    ),
    at(
        None,
        "ReplicaSet",
        &["spec", "template", "metadata", "annotations"],
        true,
    ),
    at(
        None,
        "DaemonSet",
        &["spec", "template", "metadata", "annotations"],
        true,
    ),
    at(
        APPS,
        "StatefulSet",
        &["spec", "template", "metadata", "annotations"],
        true,
    ),
    at(
        BATCH,
        "Job",
        &["spec", "template", "metadata", "annotations"],
        true,
    ),
    at(
        BATCH,
        "CronJob",
        &["spec", "jobTemplate", "metadata", "annotations"],
        true,
    ),
    at(
        BATCH,
        "CronJob",
        &[
            "spec",
            "jobTemplate",
            "spec",
            "template",
            "metadata",
            "annotations",
        ],
        true,
    ),
];

/// Workloads whose pod affinity and spread constraints select by the common labels too.
const AFFINITY_KINDS: &[(Option<&str>, &str)] = &[(APPS, "Deployment"), (APPS, "StatefulSet")];

pub(super) fn labels(documents: &mut [Value], pairs: &IndexMap<String, String>) {
    if pairs.is_empty() {
        return;
    }
    for document in documents.iter_mut() {
        for field in LABELS {
            write(document, field, pairs);
        }
        for (group, kind) in AFFINITY_KINDS {
            for path in AFFINITY_TERMS {
                write(document, &at(*group, kind, path, false), pairs);
            }
        }
    }
}

pub(super) fn annotations(documents: &mut [Value], pairs: &IndexMap<String, String>) {
    if pairs.is_empty() {
        return;
    }
    for document in documents.iter_mut() {
        for field in ANNOTATIONS {
            write(document, field, pairs);
        }
    }
}

fn write(document: &mut Value, field: &Field, pairs: &IndexMap<String, String>) {
    let kind = document["kind"].as_str().unwrap_or("");
    let api_version = document["apiVersion"].as_str().unwrap_or("");
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    if (!field.kind.is_empty() && field.kind != kind) || field.group.is_some_and(|g| g != group) {
        return;
    }
    merge_at(document, field.path, field.create, pairs);
}

/// Adds the pairs to the map at `path`, in each item of the lists on the way.
fn merge_at(value: &mut Value, path: &[&str], create: bool, pairs: &IndexMap<String, String>) {
    if let Value::Array(items) = value {
        for item in items {
            merge_at(item, path, create, pairs);
        }
        return;
    }
    let Some(fields) = value.as_object_mut() else {
        return;
    };
    let Some((first, rest)) = path.split_first() else {
        for (key, text) in pairs {
            fields.insert(key.clone(), json!(text));
        }
        return;
    };
    if !fields.contains_key(*first) || fields[*first].is_null() {
        if !create {
            return;
        }
        fields.insert((*first).to_owned(), json!({}));
    }
    if let Some(next) = fields.get_mut(*first) {
        merge_at(next, rest, create, pairs);
    }
}

#[cfg(test)]
mod tests {
    use indexmap::IndexMap;
    use serde_json::json;

    use super::labels;

    #[test]
    fn common_labels_reach_selectors_and_templates_but_create_no_job_selector() {
        let pairs: IndexMap<String, String> = [("app".to_owned(), "web".to_owned())].into();
        let mut documents = vec![
            json!({ "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "d" }, "spec": { "template": { "spec": {} } } }),
            json!({ "apiVersion": "batch/v1", "kind": "Job", "metadata": { "name": "j" }, "spec": { "template": { "spec": {} } } }),
        ];
        labels(&mut documents, &pairs);
        assert_eq!(
            documents[0]["spec"]["selector"]["matchLabels"]["app"],
            "web"
        );
        assert_eq!(
            documents[0]["spec"]["template"]["metadata"]["labels"]["app"],
            "web"
        );
        assert!(documents[1]["spec"]["selector"].is_null());
        assert_eq!(
            documents[1]["spec"]["template"]["metadata"]["labels"]["app"],
            "web"
        );
    }
}
