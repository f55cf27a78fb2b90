//! A service's cloud identity in one overlay: the annotation its cloud's webhook reads on the
//! ServiceAccount, and for Azure the pod label its webhook selects pods by. Both are patches
//! of the overlay, never the base: the base belongs to the service's team alone, while an
//! overlay of production belongs to its owners, and an identity is an environment's
//! credentials.

use serde_json::{Value, json};

use crate::model::{Deployment, PodIdentity, ServiceModel};
use crate::spec::IdentityProvider;
use crate::tree::origin::Origin;

pub(super) const PATCH_FILE: &str = "serviceaccount-patch.yaml";

/// The label the Azure Workload Identity webhook mutates only the pods of.
const AZURE_POD_LABEL: &str = "azure.workload.identity~1use";

/// The operations that annotate the service's ServiceAccount with `identity`.
pub(super) fn service_account_patch(identity: &PodIdentity) -> Value {
    let mut annotations = serde_json::Map::new();
    annotations.insert(identity.provider.annotation().into(), json!(identity.id));
    json!([{ "op": "add", "path": "/metadata/annotations", "value": annotations }])
}

/// What [`service_account_patch`] patches.
pub(super) fn target(service: &ServiceModel) -> Value {
    json!({ "version": "v1", "kind": "ServiceAccount", "name": service.name })
}

/// The operation that labels the pod template at `template` for the webhook of `identity`'s
/// cloud, where that webhook selects pods by a label: only Azure's does. The token it projects
/// is a volume of its own, so the pods keep `automountServiceAccountToken: false`.
pub(super) fn pod_label(identity: Option<&PodIdentity>, template: &str) -> Option<Value> {
    (identity?.provider == IdentityProvider::Azure).then(|| {
        json!({
            "op": "add",
            "path": format!("{template}/metadata/labels/{AZURE_POD_LABEL}"),
            "value": "true",
        })
    })
}

/// The keys the identity of the overlay's place can be written at, most specific first.
pub(super) fn identity_keys(service: &ServiceModel, deployment: &Deployment) -> Vec<Origin> {
    crate::emit::identity_origins::identity_keys(&service.name, deployment)
}
