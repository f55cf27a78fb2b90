//! The order `kubectl kustomize` prints documents in: kustomize's legacy sort, which it
//! applies by default once the whole build is assembled.

use std::cmp::Ordering;

use serde_json::Value;

/// Kinds placed first, in this order (kustomize's `defaultOrderFirst`).
const ORDER_FIRST: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];

/// Kinds placed last, in this order (kustomize's `defaultOrderLast`).
const ORDER_LAST: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

pub(super) fn sort(documents: &mut [Value]) {
    documents.sort_by(compare);
}

/// Listed kinds by their place in the lists; every other kind shares one rank between the
/// two lists, where the `group_version_kind` text decides, so a Rollout
/// (`argoproj.io_…`) comes before an HPA (`autoscaling_…`). Objects of one type are ordered
/// by `gvk|namespace|name`, with kustomize's placeholders for empty parts.
fn compare(a: &Value, b: &Value) -> Ordering {
    let (a_gvk, b_gvk) = (gvk(a), gvk(b));
    if a_gvk == b_gvk {
        return id(a, &a_gvk).cmp(&id(b, &b_gvk));
    }
    rank(kind(a))
        .cmp(&rank(kind(b)))
        .then_with(|| a_gvk.cmp(&b_gvk))
}

fn rank(kind: &str) -> isize {
    let signed = |i: usize| isize::try_from(i).unwrap_or(isize::MAX);
    if let Some(i) = ORDER_FIRST.iter().position(|k| *k == kind) {
        signed(i) - signed(ORDER_FIRST.len())
    } else if let Some(i) = ORDER_LAST.iter().position(|k| *k == kind) {
        signed(i) + 1
    } else {
        0
    }
}

fn kind(document: &Value) -> &str {
    document["kind"].as_str().unwrap_or("")
}

/// `group_version_kind`, `~G`, `~V`, `~K` standing for an empty part.
fn gvk(document: &Value) -> String {
    let api_version = document["apiVersion"].as_str().unwrap_or("");
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    [
        or_placeholder(group, "~G"),
        or_placeholder(version, "~V"),
        or_placeholder(kind(document), "~K"),
    ]
    .join("_")
}

/// `gvk|namespace|name`, `~X` and `~N` standing for an empty namespace and name.
fn id(document: &Value, gvk: &str) -> String {
    let metadata = &document["metadata"];
    [
        gvk,
        or_placeholder(metadata["namespace"].as_str().unwrap_or(""), "~X"),
        or_placeholder(metadata["name"].as_str().unwrap_or(""), "~N"),
    ]
    .join("|")
}

fn or_placeholder<'a>(text: &'a str, placeholder: &'a str) -> &'a str {
    if text.is_empty() { placeholder } else { text }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::sort;

    fn object(api_version: &str, kind: &str, namespace: &str, name: &str) -> serde_json::Value {
        json!({
            "apiVersion": api_version,
            "kind": kind,
            "metadata": { "namespace": namespace, "name": name },
        })
    }

    fn sorted(mut documents: Vec<serde_json::Value>) -> Vec<String> {
        sort(&mut documents);
        documents
            .iter()
            .map(|d| {
                format!(
                    "{}/{}",
                    d["kind"].as_str().unwrap(),
                    d["metadata"]["name"].as_str().unwrap()
                )
            })
            .collect()
    }

    #[test]
    fn unlisted_kinds_are_ordered_by_group_version_kind_not_by_kind() {
        let documents = vec![
            object("networking.k8s.io/v1", "NetworkPolicy", "dev", "search"),
            object("autoscaling/v2", "HorizontalPodAutoscaler", "dev", "search"),
            object("argoproj.io/v1alpha1", "Rollout", "dev", "search"),
            object(
                "argoproj.io/v1alpha1",
                "AnalysisTemplate",
                "dev",
                "search-analysis",
            ),
        ];
        assert_eq!(
            sorted(documents),
            [
                "AnalysisTemplate/search-analysis",
                "Rollout/search",
                "HorizontalPodAutoscaler/search",
                "NetworkPolicy/search",
            ]
        );
    }

    #[test]
    fn listed_kinds_come_first_and_webhooks_last_around_unlisted_ones() {
        let documents = vec![
            object(
                "admissionregistration.k8s.io/v1",
                "ValidatingWebhookConfiguration",
                "",
                "v",
            ),
            object("argoproj.io/v1alpha1", "Rollout", "dev", "r"),
            object("policy/v1", "PodDisruptionBudget", "dev", "p"),
            object("v1", "Service", "dev", "s"),
            object("v1", "Namespace", "", "n"),
        ];
        assert_eq!(
            sorted(documents),
            [
                "Namespace/n",
                "Service/s",
                "PodDisruptionBudget/p",
                "Rollout/r",
                "ValidatingWebhookConfiguration/v"
            ]
        );
    }

    #[test]
    fn objects_of_one_type_are_ordered_by_namespace_then_name_with_empty_namespace_last() {
        let documents = vec![
            object("v1", "Service", "b", "a"),
            object("v1", "Service", "", "a"),
            object("v1", "Service", "a", "z"),
            object("v1", "Service", "a", "preview"),
        ];
        let mut sorted_documents = documents.clone();
        sort(&mut sorted_documents);
        let namespaces: Vec<_> = sorted_documents
            .iter()
            .map(|d| {
                format!(
                    "{}/{}",
                    d["metadata"]["namespace"].as_str().unwrap(),
                    d["metadata"]["name"].as_str().unwrap()
                )
            })
            .collect();
        // `~X` sorts after lower-case letters, as in kustomize.
        assert_eq!(namespaces, ["a/preview", "a/z", "b/a", "/a"]);
    }
}
