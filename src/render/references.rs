//! Where objects name other objects, for the kinds a prefix, suffix or hash renames: the
//! part of kustomize's `nameReference` configuration that hand-written repositories rely on.

use serde_json::Value;

use super::kinds::TEMPLATE_KINDS;

/// One kind of reference: objects of a kind in `from` (pod templates of the built-in
/// workloads when empty) name an object of `kind` in `field` of the maps at `path`.
pub(super) struct Reference {
    pub kind: &'static str,
    pub from: &'static [&'static str],
    pub path: &'static [&'static str],
    pub field: &'static str,
    /// The map says which kind it names in its own `kind` field (subjects, roleRef).
    pub same_kind: bool,
    /// The map says which namespace it names in its own `namespace` field (subjects).
    pub own_namespace: bool,
}

const fn of(
    kind: &'static str,
    from: &'static [&'static str],
    path: &'static [&'static str],
    field: &'static str,
) -> Reference {
    Reference {
        kind,
        from,
        path,
        field,
        same_kind: false,
        own_namespace: false,
    }
}

const fn pod(kind: &'static str, path: &'static [&'static str], field: &'static str) -> Reference {
    of(kind, &[], path, field)
}

const BINDINGS: &[&str] = &["RoleBinding", "ClusterRoleBinding"];
const INGRESS: &[&str] = &["Ingress"];

pub(super) const REFERENCES: &[Reference] = &[
    pod("ConfigMap", &["volumes", "configMap"], "name"),
    pod(
        "ConfigMap",
        &["volumes", "projected", "sources", "configMap"],
        "name",
    ),
    pod(
        "ConfigMap",
        &["containers", "env", "valueFrom", "configMapKeyRef"],
        "name",
    ),
    pod(
        "ConfigMap",
        &["initContainers", "env", "valueFrom", "configMapKeyRef"],
        "name",
    ),
    pod(
        "ConfigMap",
        &["containers", "envFrom", "configMapRef"],
        "name",
    ),
    pod(
        "ConfigMap",
        &["initContainers", "envFrom", "configMapRef"],
        "name",
    ),
    pod("Secret", &["volumes", "secret"], "secretName"),
    pod(
        "Secret",
        &["volumes", "projected", "sources", "secret"],
        "name",
    ),
    pod(
        "Secret",
        &["containers", "env", "valueFrom", "secretKeyRef"],
        "name",
    ),
    pod(
        "Secret",
        &["initContainers", "env", "valueFrom", "secretKeyRef"],
        "name",
    ),
    pod("Secret", &["containers", "envFrom", "secretRef"], "name"),
    pod(
        "Secret",
        &["initContainers", "envFrom", "secretRef"],
        "name",
    ),
    pod("Secret", &["imagePullSecrets"], "name"),
    of("Secret", INGRESS, &["spec", "tls"], "secretName"),
    of("Secret", &["ServiceAccount"], &["imagePullSecrets"], "name"),
    pod("ServiceAccount", &[], "serviceAccountName"),
    pod("ServiceAccount", &[], "serviceAccount"),
    pod(
        "PersistentVolumeClaim",
        &["volumes", "persistentVolumeClaim"],
        "claimName",
    ),
    of(
        "Service",
        INGRESS,
        &["spec", "rules", "http", "paths", "backend", "service"],
        "name",
    ),
    of(
        "Service",
        INGRESS,
        &["spec", "defaultBackend", "service"],
        "name",
    ),
    of(
        "Service",
        INGRESS,
        &["spec", "rules", "http", "paths", "backend"],
        "serviceName",
    ),
    of("Service", INGRESS, &["spec", "backend"], "serviceName"),
    of("Service", &["StatefulSet"], &["spec"], "serviceName"),
    Reference {
        own_namespace: true,
        same_kind: true,
        ..of("ServiceAccount", BINDINGS, &["subjects"], "name")
    },
    Reference {
        same_kind: true,
        ..of("Role", BINDINGS, &["roleRef"], "name")
    },
    Reference {
        same_kind: true,
        ..of("ClusterRole", BINDINGS, &["roleRef"], "name")
    },
    Reference {
        same_kind: true,
        ..of(
            "Deployment",
            &["HorizontalPodAutoscaler"],
            &["spec", "scaleTargetRef"],
            "name",
        )
    },
    Reference {
        same_kind: true,
        ..of(
            "StatefulSet",
            &["HorizontalPodAutoscaler"],
            &["spec", "scaleTargetRef"],
            "name",
        )
    },
];

/// The maps of `document` that may hold a reference of this kind.
pub(super) fn referrers<'a>(document: &'a mut Value, reference: &Reference) -> Vec<&'a mut Value> {
    let kind = document["kind"].as_str().unwrap_or("").to_owned();
    let mut found = Vec::new();
    if reference.from.is_empty() {
        let pod = match kind.as_str() {
            "Pod" => document.get_mut("spec"),
            "CronJob" => document.pointer_mut("/spec/jobTemplate/spec/template/spec"),
            k if TEMPLATE_KINDS.contains(&k) => document.pointer_mut("/spec/template/spec"),
            _ => None,
        };
        if let Some(pod) = pod {
            holders(pod, reference.path, &mut found);
        }
    } else if reference.from.contains(&kind.as_str()) {
        holders(document, reference.path, &mut found);
    }
    found
}

/// The maps at `path` below `value`, each item of a list on the way taken in turn.
fn holders<'a>(value: &'a mut Value, path: &[&str], found: &mut Vec<&'a mut Value>) {
    if let Value::Array(items) = value {
        for item in items {
            holders(item, path, found);
        }
        return;
    }
    let Some((first, rest)) = path.split_first() else {
        if value.is_object() {
            found.push(value);
        }
        return;
    };
    if let Some(next) = value.get_mut(*first) {
        holders(next, rest, found);
    }
}
