//! The ApplicationSet of an environment: one Application per service in each of its
//! clusters, rolled out wave by wave where the environment lists clusters.

use serde_json::{Value, json};

use super::sync::{repo_path, sync_policy, synced_label};
use crate::emit::kustomize::overlay_input_roots;
use crate::model::{Deployment, EnvironmentModel, Model};
use crate::naming::table;

/// An HPA owns the replicas of autoscaled services; Argo CD must not fight it.
const AUTOSCALED_PATCH: &str = concat!(
    "{{- if .autoscaled }}\n",
    "spec:\n",
    "  ignoreDifferences:\n",
    "    - group: apps\n",
    "      kind: Deployment\n",
    "      jsonPointers:\n",
    "        - /spec/replicas\n",
    "    - group: argoproj.io\n",
    "      kind: Rollout\n",
    "      jsonPointers:\n",
    "        - /spec/replicas\n",
    "{{- end }}\n",
);

/// The name of the Application of one deployment: `<service>-<env>`, or
/// `<service>-<env>-<cluster>` in an environment that lists clusters.
pub(crate) fn application_name(service: &str, deployment: &Deployment) -> String {
    match &deployment.cluster {
        Some(cluster) => {
            table::CLUSTER_SERVICE_APPLICATION.build(&[service, &deployment.environment, cluster])
        }
        None => table::SERVICE_APPLICATION.build(&[service, &deployment.environment]),
    }
}

/// One list generator element per service × cluster of the environment.
fn elements(model: &Model, env: &EnvironmentModel) -> Vec<Value> {
    model
        .services
        .iter()
        .flat_map(|service| {
            service
                .deployments
                .iter()
                .filter(|d| d.environment == env.name)
                .map(move |deployment| (service, deployment))
        })
        .map(|(service, deployment)| {
            let mut element = json!({
                "service": service.name,
                "team": service.team,
                "path": repo_path(model, &deployment.overlay_dir(&service.name)),
                "manifestPaths": manifest_generate_paths(&overlay_input_roots(service, deployment)),
                "autoscaled": deployment.autoscaling.is_some(),
            });
            if let Some(cluster) = deployment
                .cluster
                .as_deref()
                .and_then(|name| env.cluster(Some(name)))
            {
                element["cluster"] = json!(cluster.name);
                element["server"] = json!(cluster.server);
                element["wave"] = json!(cluster.wave.to_string());
            }
            element
        })
        .collect()
}

pub(super) fn application_set(model: &Model, env: &EnvironmentModel) -> Value {
    let clustered = env.lists_clusters();
    let elements = elements(model, env);
    let mut labels = json!({
        "app.kubernetes.io/name": "{{ .service }}",
        "fleetc.io/team": "{{ .team }}",
        "fleetc.io/environment": env.name,
    });
    let (name, server) = if clustered {
        labels["fleetc.io/cluster"] = json!("{{ .cluster }}");
        labels["fleetc.io/wave"] = json!("{{ .wave }}");
        (
            table::CLUSTER_SERVICE_APPLICATION.build(&[
                "{{ .service }}",
                &env.name,
                "{{ .cluster }}",
            ]),
            "{{ .server }}".to_owned(),
        )
    } else {
        (
            table::SERVICE_APPLICATION.build(&["{{ .service }}", &env.name]),
            env.clusters
                .first()
                .map_or_else(String::new, |c| c.server.clone()),
        )
    };
    let mut set = json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {
            "name": env.project,
            "namespace": model.enterprise.argocd_namespace,
            "labels": { "fleetc.io/environment": env.name },
        },
        "spec": {
            "goTemplate": true,
            "goTemplateOptions": ["missingkey=error"],
            "generators": [{ "list": { "elements": elements } }],
            "template": {
                "metadata": {
                    "name": name,
                    "labels": labels,
                    "annotations": {
                        "argocd.argoproj.io/manifest-generate-paths": "{{ .manifestPaths }}",
                    },
                    "finalizers": ["resources-finalizer.argocd.argoproj.io"],
                },
                "spec": {
                    "project": env.project,
                    "source": {
                        "repoURL": model.enterprise.gitops_repo,
                        "targetRevision": model.enterprise.target_revision,
                        "path": "{{ .path }}",
                        "kustomize": synced_label(),
                    },
                    "destination": { "server": server, "namespace": env.namespace },
                    "syncPolicy": sync_policy(env),
                },
            },
            "templatePatch": AUTOSCALED_PATCH,
        },
    });
    if clustered {
        set["spec"]["strategy"] = rolling_sync(env);
    }
    set
}

/// Argo CD's progressive sync: the Applications of one wave sync, and those of the next
/// wave wait until every one of them is healthy, canary clusters first. RollingSync turns off
/// the generated Applications' automated sync and syncs them itself, so in an environment a
/// person syncs every step is `maxUpdate: 0`: the controller then syncs nothing of its own
/// accord and only orders and reports what people sync.
fn rolling_sync(env: &EnvironmentModel) -> Value {
    let mut waves: Vec<u32> = env.clusters.iter().map(|c| c.wave).collect();
    waves.sort_unstable();
    waves.dedup();
    let steps: Vec<Value> = waves
        .iter()
        .map(|wave| {
            let mut step = json!({
                "matchExpressions": [{
                    "key": "fleetc.io/wave",
                    "operator": "In",
                    "values": [wave.to_string()],
                }],
            });
            if !env.auto_sync {
                step["maxUpdate"] = json!(0);
            }
            step
        })
        .collect();
    json!({ "type": "RollingSync", "rollingSync": { "steps": steps } })
}

/// The `argocd.argoproj.io/manifest-generate-paths` value of a service's Application: its
/// overlay and the folders the overlay reads from, relative to the overlay (the Application's
/// source path), so they hold wherever `gitops_path` puts the tree. A commit that touches
/// none of them leaves the Application's manifests cached instead of regenerated.
fn manifest_generate_paths(inputs: &[String]) -> String {
    let mut paths = vec!["."];
    paths.extend(inputs.iter().map(String::as_str));
    paths.join(";")
}
