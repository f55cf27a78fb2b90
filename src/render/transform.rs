use serde_json::{Value, json};

use super::kinds::TEMPLATE_KINDS;
use super::kustomization::{Image, Labels, Replicas};

/// Kinds without a namespace: the namespace transformer leaves them alone.
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
    "ClusterPolicy",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "IngressClass",
    "RuntimeClass",
    "APIService",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "CertificateSigningRequest",
    "Node",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
];

fn kind(document: &Value) -> &str {
    document["kind"].as_str().unwrap_or("")
}

/// Sets the namespace of each namespaced object; a Namespace object takes the namespace's
/// name, and a binding's subject naming one of the service accounts moved moves with it.
pub(super) fn namespace(documents: &mut [Value], namespace: &str) {
    let accounts: Vec<(String, String)> = documents
        .iter()
        .filter(|d| kind(d) == "ServiceAccount")
        .flat_map(|d| {
            let at = d["metadata"]["namespace"].as_str().unwrap_or("default");
            super::names::every_name(d)
                .into_iter()
                .map(move |name| (name, at.to_owned()))
        })
        .collect();
    for document in documents.iter_mut() {
        match kind(document) {
            "Namespace" => document["metadata"]["name"] = json!(namespace),
            "RoleBinding" | "ClusterRoleBinding" => move_subjects(document, &accounts, namespace),
            _ => {}
        }
        if !CLUSTER_SCOPED.contains(&kind(document)) {
            document["metadata"]["namespace"] = json!(namespace);
        }
    }
}

fn move_subjects(binding: &mut Value, accounts: &[(String, String)], namespace: &str) {
    let Some(subjects) = binding["subjects"].as_array_mut() else {
        return;
    };
    for subject in subjects
        .iter_mut()
        .filter(|s| s["kind"] == "ServiceAccount")
    {
        let name = subject["name"].as_str().unwrap_or("");
        let at = subject["namespace"].as_str();
        if accounts
            .iter()
            .any(|(n, a)| n == name && at.is_none_or(|at| at == a))
        {
            subject["namespace"] = json!(namespace);
        }
    }
}

pub(super) fn labels(documents: &mut [Value], labels: &Labels) {
    // Labels that reach selectors go everywhere `commonLabels` go, templates included.
    if labels.include_selectors {
        super::common::labels(documents, &labels.pairs);
        return;
    }
    for document in documents.iter_mut() {
        let kind = kind(document).to_owned();
        add_labels(&mut document["metadata"]["labels"], labels);
        if labels.include_templates && TEMPLATE_KINDS.contains(&kind.as_str()) {
            add_labels(
                &mut document["spec"]["template"]["metadata"]["labels"],
                labels,
            );
        }
        if kind == "CronJob" && labels.include_templates {
            add_labels(
                &mut document["spec"]["jobTemplate"]["metadata"]["labels"],
                labels,
            );
            add_labels(
                &mut document["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"],
                labels,
            );
        }
        // Each claim a StatefulSet's pods make is labelled like its pods.
        if kind == "StatefulSet"
            && labels.include_templates
            && let Some(claims) = document["spec"]["volumeClaimTemplates"].as_array_mut()
        {
            for claim in claims {
                add_labels(&mut claim["metadata"]["labels"], labels);
            }
        }
    }
}

fn add_labels(target: &mut Value, labels: &Labels) {
    if !target.is_object() {
        *target = json!({});
    }
    for (key, value) in &labels.pairs {
        target[key] = json!(value);
    }
}

/// Retags (and renames) every container image whose name is `image.name`.
pub(super) fn image(documents: &mut [Value], image: &Image) {
    for document in documents.iter_mut() {
        for pod in pod_specs(document) {
            for list in ["containers", "initContainers"] {
                let Some(containers) = pod[list].as_array_mut() else {
                    continue;
                };
                for container in containers {
                    let Some(current) = container["image"].as_str() else {
                        continue;
                    };
                    let name = current.split(['@']).next().unwrap_or(current);
                    let name = match name.rfind(':') {
                        Some(i) if !name[i..].contains('/') => &name[..i],
                        _ => name,
                    };
                    if name != image.name {
                        continue;
                    }
                    let mut reference = image.new_name.clone().unwrap_or_else(|| name.to_owned());
                    if let Some(digest) = &image.digest {
                        reference = format!("{reference}@{digest}");
                    } else if let Some(tag) = &image.new_tag {
                        reference = format!("{reference}:{tag}");
                    }
                    container["image"] = json!(reference);
                }
            }
        }
    }
}

fn pod_specs(document: &mut Value) -> Vec<&mut Value> {
    match kind(document) {
        "Pod" => vec![&mut document["spec"]],
        "CronJob" => vec![&mut document["spec"]["jobTemplate"]["spec"]["template"]["spec"]],
        _ if document["spec"]["template"]["spec"].is_object() => {
            vec![&mut document["spec"]["template"]["spec"]]
        }
        _ => Vec::new(),
    }
}

pub(super) fn replicas(documents: &mut [Value], replicas: &Replicas) {
    for document in documents.iter_mut() {
        let scalable = [
            "Deployment",
            "ReplicaSet",
            "StatefulSet",
            "ReplicationController",
        ];
        if scalable.contains(&kind(document)) && super::names::known_as(document, &replicas.name) {
            document["spec"]["replicas"] = json!(replicas.count);
        }
    }
}
