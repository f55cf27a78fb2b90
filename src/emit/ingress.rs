//! Per environment (`envs/<env>`): the namespace the services run in, its default-deny
//! NetworkPolicy and Kyverno policies, the path-based Ingresses that route to services, the
//! certificate of their hosts, and the overview dashboard.

use serde_json::{Value, json};

use super::certificates;
use super::kustomize::preview_name;
use crate::emit::header::{header, kustomization};
use crate::model::{EnvironmentModel, Model};
use crate::naming::table;
use crate::tree::Tree;
use crate::tree::layout::environment_dir;

pub(super) fn emit(model: &Model, tree: &mut Tree) {
    for environment in &model.environments {
        for cluster in &environment.clusters {
            emit_cluster(model, &environment.in_cluster(cluster), tree);
        }
    }
}

/// The shared objects of `env` as one cluster holds them (`in_cluster`).
fn emit_cluster(model: &Model, env: &EnvironmentModel, tree: &mut Tree) {
    let cluster = env.clusters.first().and_then(|c| c.name.as_deref());
    {
        let dir = environment_dir(&env.name, cluster);
        let head = match cluster {
            Some(cluster) => header(
                model,
                &format!("environments.{}.clusters.{cluster}", env.name),
            ),
            None => header(model, &format!("environments.{}", env.name)),
        };
        let mut resources = vec![json!("namespace.yaml"), json!("networkpolicy.yaml")];
        tree.insert_yaml(
            format!("{dir}/namespace.yaml"),
            &head,
            vec![namespace(model, env)],
        );
        tree.insert_yaml(
            format!("{dir}/networkpolicy.yaml"),
            &head,
            vec![default_deny(model, env)],
        );
        resources.push(json!("policies.yaml"));
        tree.insert_yaml(
            format!("{dir}/policies.yaml"),
            &head,
            super::policies::policies(model, env),
        );
        if let Some(store) = super::secret_store::cluster_secret_store(model, env) {
            resources.push(json!(super::secret_store::FILE));
            tree.insert_yaml(
                format!("{dir}/{}", super::secret_store::FILE),
                &head,
                vec![store],
            );
        }
        if let Some(cert) = &env.certificate {
            let head = header(model, &format!("environments.{}.certificates", env.name));
            let mut documents = vec![certificates::certificate(model, env, cert)];
            if certificates::uses_http01(env) {
                documents.push(certificates::http01_solver_policy(model, env));
            }
            resources.push(json!("certificate.yaml"));
            tree.insert_yaml(format!("{dir}/certificate.yaml"), &head, documents);
            if let Some(acme) = &cert.acme {
                resources.push(json!("cluster-issuer.yaml"));
                tree.insert_yaml(
                    format!("{dir}/cluster-issuer.yaml"),
                    &head,
                    vec![certificates::cluster_issuer(model, env, &cert.issuer, acme)],
                );
            }
        }
        if let Some(ingress) = ingress(model, env, Traffic::Live) {
            resources.push(json!("ingress.yaml"));
            tree.insert_yaml(format!("{dir}/ingress.yaml"), &head, vec![ingress]);
        }
        if let Some(ingress) = ingress(model, env, Traffic::Preview) {
            resources.push(json!("ingress-preview.yaml"));
            tree.insert_yaml(format!("{dir}/ingress-preview.yaml"), &head, vec![ingress]);
        }
        resources.push(json!("dashboard.yaml"));
        tree.insert_yaml(
            format!("{dir}/dashboard.yaml"),
            &head,
            vec![super::overview::config_map(model, env)],
        );
        let kustomization = kustomization(&resources);
        tree.insert_yaml(
            format!("{dir}/kustomization.yaml"),
            &head,
            vec![kustomization],
        );
    }
}

/// Nothing reaches a pod of the environment unless a service's own policy lets it.
fn default_deny(model: &Model, env: &EnvironmentModel) -> Value {
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {
            "name": "default-deny-ingress",
            "namespace": env.namespace,
            "labels": {
                "app.kubernetes.io/part-of": model.enterprise.name,
                "app.kubernetes.io/managed-by": "fleetc",
            },
        },
        "spec": { "podSelector": {}, "policyTypes": ["Ingress"] },
    })
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

/// Live traffic goes to each service's main Service, which selects the live colour, so a
/// colour switch never changes an Ingress. Preview traffic goes to the idle colour of the
/// services with a release in flight, on the environment's preview host.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Traffic {
    Live,
    Preview,
}

fn ingress(model: &Model, env: &EnvironmentModel, traffic: Traffic) -> Option<Value> {
    let paths: Vec<Value> = model
        .services
        .iter()
        .filter_map(|service| {
            let cluster = env.clusters.first().and_then(|c| c.name.as_deref());
            let deployment = service.deployment_at(&env.name, cluster)?;
            let route = service.route.as_ref()?;
            let backend = match traffic {
                Traffic::Live => service.name.clone(),
                Traffic::Preview => {
                    deployment.idle_run()?;
                    preview_name(&service.name)
                }
            };
            Some(json!({
                "path": route,
                "pathType": "Prefix",
                "backend": { "service": { "name": backend, "port": { "name": "http" } } },
            }))
        })
        .collect();
    if paths.is_empty() {
        return None;
    }
    let enterprise = &model.enterprise.name;
    let (name, tls, host) = match traffic {
        Traffic::Live => (
            table::INGRESS.build(&[enterprise]),
            table::TLS_SECRET.build(&[enterprise, ""]),
            &env.domain,
        ),
        Traffic::Preview => (
            table::PREVIEW_INGRESS.build(&[enterprise]),
            table::TLS_SECRET.build(&[enterprise, "-preview"]),
            &env.preview_domain,
        ),
    };
    // With a Certificate, both hosts are on it, and both Ingresses read the Secret it writes.
    let tls = env
        .certificate
        .as_ref()
        .map_or(tls, |cert| cert.secret_name.clone());
    let mut annotations = serde_json::Map::new();
    if model.enterprise.telemetry.is_some() {
        // The controller joins the caller's trace (W3C traceparent) or starts one.
        annotations.insert(
            "nginx.ingress.kubernetes.io/enable-opentelemetry".into(),
            json!("true"),
        );
        annotations.insert(
            "nginx.ingress.kubernetes.io/opentelemetry-trust-incoming-span".into(),
            json!("true"),
        );
    }
    let mut ingress = json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {
            "name": name,
            "namespace": env.namespace,
            "labels": {
                "app.kubernetes.io/part-of": model.enterprise.name,
                "app.kubernetes.io/managed-by": "fleetc",
                "fleetc.io/environment": env.name,
            },
        },
        "spec": {
            "ingressClassName": model.enterprise.ingress_class,
            "tls": [{ "hosts": [host], "secretName": tls }],
            "rules": [{ "host": host, "http": { "paths": paths } }],
        },
    });
    if !annotations.is_empty() {
        ingress["metadata"]["annotations"] = serde_json::Value::Object(annotations);
    }
    Some(ingress)
}
