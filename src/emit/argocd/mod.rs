//! Argo CD: an `AppProject` and an `ApplicationSet` per environment (one Application per service
//! in each of its clusters), an Application per cluster for its shared objects, and the root
//! app-of-apps that syncs everything under `argocd/`.

use serde_json::{Map, Value, json};

use crate::emit::header::header;
use crate::model::{ClusterModel, EnvironmentModel, Model, WindowKind, unique};
use crate::naming::table;
use crate::tree::origin::Gathered;
use crate::tree::{Tree, layout};
use sync::{repo_path, retry, sync_policy, synced_label};

pub(super) mod application_set;
mod origins;
mod sync;

pub(super) fn emit(model: &Model, tree: &mut Tree) {
    for env in &model.environments {
        let head = header(model, &format!("environments.{}", env.name));
        let mut gathered = tree.gather();
        origins::project(env, &mut gathered);
        insert(
            tree,
            layout::project_file(&env.name),
            &head,
            project(model, env),
            gathered,
        );
        for cluster in &env.clusters {
            let cluster_name = cluster.name.as_deref();
            let file = layout::environment_application_file(&env.name, cluster_name);
            let head = match cluster_name {
                Some(name) => header(model, &format!("environments.{}.clusters.{name}", env.name)),
                None => head.clone(),
            };
            let mut gathered = tree.gather();
            origins::environment_application(env, cluster_name, &mut gathered);
            insert(
                tree,
                file,
                &head,
                environment_app(model, env, cluster),
                gathered,
            );
        }
        if model
            .services
            .iter()
            .any(|s| s.deployment(&env.name).is_some())
        {
            let mut gathered = tree.gather();
            origins::application_set(model, env, &mut gathered);
            let set = application_set::application_set(model, env);
            insert(
                tree,
                layout::application_set_file(&env.name),
                &head,
                set,
                gathered,
            );
        }
    }
    let mut gathered = tree.gather();
    gathered.file(|| vec![crate::tree::origin::key(&["enterprise"])]);
    let root = root_app(model);
    insert(
        tree,
        layout::ROOT_APPLICATION.to_owned(),
        &header(model, "enterprise"),
        root,
        gathered,
    );
}

fn insert(tree: &mut Tree, path: String, head: &str, document: Value, gathered: Gathered) {
    tree.record(&path, gathered);
    tree.insert_yaml(path, head, vec![document]);
}

/// `@acme/identity` → `acme:identity`, the group name Argo CD's GitHub SSO (Dex) reports.
fn sso_group(owner: &str) -> String {
    owner.trim_start_matches('@').replacen('/', ":", 1)
}

fn project(model: &Model, env: &EnvironmentModel) -> Value {
    let team_groups = unique(
        model
            .teams
            .iter()
            .flat_map(|team| team.owners.iter().map(|o| sso_group(o))),
    );
    let sync_groups = unique(
        model
            .environment_owners(env)
            .iter()
            .map(|owner| sso_group(owner)),
    );
    let name = &env.project;
    let windows: Vec<Value> = env
        .sync_windows
        .iter()
        .map(|w| {
            let mut window = Map::new();
            let kind = match w.kind {
                WindowKind::Allow => "allow",
                WindowKind::Deny => "deny",
            };
            window.insert("kind".into(), json!(kind));
            window.insert("schedule".into(), json!(w.schedule));
            window.insert("duration".into(), json!(w.duration));
            window.insert("applications".into(), json!(["*"]));
            window.insert("manualSync".into(), json!(w.manual_sync));
            if let Some(tz) = &w.timezone {
                window.insert("timeZone".into(), json!(tz));
            }
            Value::Object(window)
        })
        .collect();
    json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {
            "name": name,
            "namespace": model.enterprise.argocd_namespace,
            "labels": { "fleetc.io/environment": env.name },
            // Argo CD keeps the project while an Application still uses it, so the
            // Applications of a removed environment can wait for their deletion to be
            // confirmed.
            "finalizers": ["resources-finalizer.argocd.argoproj.io"],
        },
        "spec": {
            "description": format!("{} services in {}", model.enterprise.name, env.name),
            "sourceRepos": [model.enterprise.gitops_repo],
            "destinations": env
                .clusters
                .iter()
                .map(|c| json!({ "server": c.server, "namespace": env.namespace }))
                .collect::<Vec<_>>(),
            "clusterResourceWhitelist": cluster_resources(env),
            "orphanedResources": { "warn": true },
            "roles": [
                {
                    "name": "read-only",
                    "description": "Teams see their applications",
                    "policies": [format!("p, proj:{name}:read-only, applications, get, {name}/*, allow")],
                    "groups": team_groups,
                },
                {
                    "name": "sync",
                    "description": "The platform team and approvers sync",
                    "policies": [
                        format!("p, proj:{name}:sync, applications, get, {name}/*, allow"),
                        format!("p, proj:{name}:sync, applications, sync, {name}/*, allow"),
                    ],
                    "groups": sync_groups,
                },
            ],
            "syncWindows": windows,
        },
    })
}

fn environment_app(model: &Model, env: &EnvironmentModel, cluster: &ClusterModel) -> Value {
    let (name, labels) = match &cluster.name {
        Some(name) => (
            table::CLUSTER_PLATFORM_APPLICATION.build(&[&model.enterprise.name, &env.name, name]),
            json!({ "fleetc.io/environment": env.name, "fleetc.io/cluster": name }),
        ),
        None => (
            table::ENVIRONMENT_APPLICATION.build(&[&model.enterprise.name, &env.name]),
            json!({ "fleetc.io/environment": env.name }),
        ),
    };
    json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {
            "name": name,
            "namespace": model.enterprise.argocd_namespace,
            "labels": labels,
            // The namespace and Ingress exist before the services that live in them.
            "annotations": { "argocd.argoproj.io/sync-wave": "-1" },
            "finalizers": ["resources-finalizer.argocd.argoproj.io"],
        },
        "spec": {
            "project": env.project,
            "source": {
                "repoURL": model.enterprise.gitops_repo,
                "targetRevision": model.enterprise.target_revision,
                "path": repo_path(model, &layout::environment_dir(&env.name, cluster.name.as_deref())),
                "kustomize": synced_label(),
            },
            "destination": { "server": cluster.server, "namespace": env.namespace },
            "syncPolicy": sync_policy(env),
        },
    })
}

fn root_app(model: &Model) -> Value {
    json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {
            "name": table::ROOT_APPLICATION.build(&[&model.enterprise.name]),
            "namespace": model.enterprise.argocd_namespace,
        },
        "spec": {
            "project": "default",
            "source": {
                "repoURL": model.enterprise.gitops_repo,
                "targetRevision": model.enterprise.target_revision,
                "path": repo_path(model, "argocd"),
                "directory": { "recurse": true },
            },
            "destination": {
                "server": "https://kubernetes.default.svc",
                "namespace": model.enterprise.argocd_namespace,
            },
            "syncPolicy": {
                "automated": { "prune": true, "selfHeal": true },
                "retry": retry(),
            },
        },
    })
}

/// The cluster-scoped kinds an environment's Application may create.
fn cluster_resources(env: &EnvironmentModel) -> Value {
    let mut kinds = vec![
        json!({ "group": "", "kind": "Namespace" }),
        json!({ "group": "kyverno.io", "kind": "ClusterPolicy" }),
    ];
    if env.secret_store.is_some() {
        kinds.push(json!({ "group": "external-secrets.io", "kind": "ClusterSecretStore" }));
    }
    if env.certificate.as_ref().is_some_and(|c| c.acme.is_some()) {
        kinds.push(json!({ "group": "cert-manager.io", "kind": "ClusterIssuer" }));
    }
    Value::Array(kinds)
}
