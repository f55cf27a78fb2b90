//! Per environment (`envs/<env>`): the namespace the services run in and one path-based
//! Ingress that routes to each service's Service.

use serde_json::{Value, json};

use super::yaml::{file, header};
use crate::model::{EnvironmentModel, Model};
use crate::tree::Tree;

pub fn environment_dir(env: &str) -> String {
    format!("envs/{env}")
}

pub fn emit(model: &Model, tree: &mut Tree) {
    for env in &model.environments {
        let dir = environment_dir(&env.name);
        let head = header(model, &format!("environments.{}", env.name));
        let mut resources = vec![json!("namespace.yaml")];
        tree.insert(
            format!("{dir}/namespace.yaml"),
            file(&head, &[namespace(model, env)]),
        );
        if let Some(ingress) = ingress(model, env) {
            resources.push(json!("ingress.yaml"));
            tree.insert(format!("{dir}/ingress.yaml"), file(&head, &[ingress]));
        }
        let kustomization = json!({
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": resources,
        });
        tree.insert(
            format!("{dir}/kustomization.yaml"),
            file(&head, &[kustomization]),
        );
    }
}

fn namespace(model: &Model, env: &EnvironmentModel) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": env.namespace,
            "labels": {
                "app.kubernetes.io/part-of": model.enterprise.name,
                "app.kubernetes.io/managed-by": "fleetc",
                "fleetc.io/environment": env.name,
                "pod-security.kubernetes.io/enforce": "restricted",
            },
        },
    })
}

fn ingress(model: &Model, env: &EnvironmentModel) -> Option<Value> {
    let paths: Vec<Value> = model
        .services
        .iter()
        .filter(|service| service.deployment(&env.name).is_some())
        .filter_map(|service| {
            let route = service.route.as_ref()?;
            Some(json!({
                "path": route,
                "pathType": "Prefix",
                "backend": { "service": { "name": service.name, "port": { "name": "http" } } },
            }))
        })
        .collect();
    if paths.is_empty() {
        return None;
    }
    Some(json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {
            "name": model.enterprise.name,
            "namespace": env.namespace,
            "labels": {
                "app.kubernetes.io/part-of": model.enterprise.name,
                "app.kubernetes.io/managed-by": "fleetc",
                "fleetc.io/environment": env.name,
            },
        },
        "spec": {
            "ingressClassName": "nginx",
            "tls": [{ "hosts": [env.domain], "secretName": format!("{}-tls", model.enterprise.name) }],
            "rules": [{ "host": env.domain, "http": { "paths": paths } }],
        },
    }))
}
