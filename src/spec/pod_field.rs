//! Variables a container reads from its own pod (the downward API): the path of a pod field
//! or of one of its container's resources, as Kubernetes names them.

/// Pod fields Kubernetes gives a container's variables (`fieldRef`).
const POD_FIELDS: [&str; 9] = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// The container's own resources (`resourceFieldRef`).
const RESOURCE_FIELDS: [&str; 6] = [
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
];

/// Where a variable of the pod comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PodField<'a> {
    /// A field of the pod: `fieldRef.fieldPath`.
    Pod(&'a str),
    /// A resource of the container: `resourceFieldRef.resource`.
    Resource(&'a str),
}

impl<'a> PodField<'a> {
    /// The field `path` names, or why Kubernetes would refuse it.
    pub(crate) fn parse(path: &'a str) -> Result<Self, String> {
        if POD_FIELDS.contains(&path) || is_label_or_annotation(path) {
            return Ok(Self::Pod(path));
        }
        if RESOURCE_FIELDS.contains(&path) {
            return Ok(Self::Resource(path));
        }
        Err(format!(
            "use a pod field ({}, `metadata.labels['<key>']`, `metadata.annotations['<key>']`) or a resource of the container ({})",
            quoted(&POD_FIELDS),
            quoted(&RESOURCE_FIELDS)
        ))
    }
}

/// `metadata.labels['key']` or `metadata.annotations['key']`, with a key inside.
fn is_label_or_annotation(path: &str) -> bool {
    ["metadata.labels['", "metadata.annotations['"]
        .iter()
        .filter_map(|prefix| path.strip_prefix(prefix))
        .filter_map(|rest| rest.strip_suffix("']"))
        .any(|key| !key.is_empty() && !key.contains('\''))
}

fn quoted(paths: &[&str]) -> String {
    paths
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::PodField;

    #[test]
    fn pod_fields_and_resources_are_read_as_kubernetes_names_them() {
        assert_eq!(
            PodField::parse("status.podIP"),
            Ok(PodField::Pod("status.podIP"))
        );
        assert_eq!(
            PodField::parse("metadata.labels['app.kubernetes.io/name']"),
            Ok(PodField::Pod("metadata.labels['app.kubernetes.io/name']"))
        );
        assert_eq!(
            PodField::parse("limits.memory"),
            Ok(PodField::Resource("limits.memory"))
        );
        for bad in [
            "status.podIp",
            "metadata.labels",
            "metadata.labels['']",
            "limits.gpu",
            "",
        ] {
            assert!(PodField::parse(bad).is_err(), "{bad}");
        }
    }
}
