//! Where Argo CD reads an Application's source and how it syncs it: shared by the
//! environment Applications and every ApplicationSet.

use serde_json::{Map, Value, json};

use crate::emit::policies::SYNCED_LABEL;
use crate::model::{EnvironmentModel, Model};

pub(crate) fn repo_path(model: &Model, path: &str) -> String {
    if model.enterprise.gitops_path.is_empty() || model.enterprise.gitops_path == "." {
        path.to_owned()
    } else {
        format!("{}/{path}", model.enterprise.gitops_path)
    }
}

/// Everything Argo CD syncs carries the label production's admission policy asks for;
/// selectors stay untouched.
pub(crate) fn synced_label() -> Value {
    let (key, value) = SYNCED_LABEL;
    json!({ "commonLabels": { key: value }, "labelWithoutSelector": true })
}

pub(crate) fn retry() -> Value {
    json!({
        "limit": 5,
        "backoff": { "duration": "10s", "factor": 2, "maxDuration": "3m" },
    })
}

pub(crate) fn sync_policy(env: &EnvironmentModel) -> Value {
    let mut policy = Map::new();
    if env.auto_sync {
        policy.insert(
            "automated".into(),
            json!({ "prune": true, "selfHeal": true }),
        );
    }
    // Removing an Application from the tree (a service or environment gone from the spec)
    // deletes it, and its finalizer would delete its workloads at once: `Delete=confirm`
    // keeps them running until someone confirms (`argocd app confirm-deletion`). Pruning
    // within a live Application (a retired colour) needs no confirmation.
    policy.insert(
        "syncOptions".into(),
        json!([
            "PruneLast=true",
            "ApplyOutOfSyncOnly=true",
            "Delete=confirm"
        ]),
    );
    policy.insert("retry".into(), retry());
    Value::Object(policy)
}
