//! Per environment (`envs/<env>`): the namespace the services run in, its default-deny
//! NetworkPolicy and Kyverno policies, the path-based Ingresses that route to services, the
//! certificate of their hosts, and the overview dashboard where a service serves metrics.

use serde_json::{Value, json};

use super::certificates;
use super::environment_origins::{self as origins_of, Shared};
use super::kustomize::preview_name;
use crate::emit::header::{header, kustomization};
use crate::model::{EnvironmentModel, Model};
use crate::naming::table;
use crate::spec::PortProtocol;
use crate::tree::Tree;
use crate::tree::layout::environment_dir;
use crate::tree::origin::{Gathered, StoreSetting, key};

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
        let shared = Shared::of(env);
        let mut files: Vec<(&str, &str, Vec<Value>, Gathered)> = Vec::new();
        let mut origins = tree.gather();
        origins.node(0, &["metadata", "name"], || shared.setting(&["namespace"]));
        super::namespace::origins(env, shared, &mut origins);
        files.push((
            "namespace.yaml",
            &head,
            vec![super::namespace::namespace(model, env)],
            origins,
        ));
        files.push((
            "networkpolicy.yaml",
            &head,
            vec![default_deny(model, env)],
            tree.gather(),
        ));
        let mut origins = tree.gather();
        let policies = super::policies::policies(model, env, shared, &mut origins);
        files.push(("policies.yaml", &head, policies, origins));
        if let Some(store) = super::secret_store::cluster_secret_store(model, env) {
            let mut origins = tree.gather();
            origins.node(0, &["spec", "provider"], || {
                shared.store(StoreSetting::Provider)
            });
            origins.node(0, &[], || shared.store(StoreSetting::Store));
            files.push((super::secret_store::FILE, &head, vec![store], origins));
        }
        let certificates_head = header(model, &format!("environments.{}.certificates", env.name));
        if let Some(cert) = &env.certificate {
            let mut documents = vec![certificates::certificate(model, env, cert)];
            if certificates::uses_http01(env) {
                documents.push(certificates::http01_solver_policy(model, env));
            }
            let mut origins = tree.gather();
            origins_of::certificate(shared, env, cert, &mut origins);
            files.push(("certificate.yaml", &certificates_head, documents, origins));
            if let Some(acme) = &cert.acme {
                let mut origins = tree.gather();
                origins_of::cluster_issuer(shared, &mut origins);
                files.push((
                    "cluster-issuer.yaml",
                    &certificates_head,
                    vec![certificates::cluster_issuer(model, env, &cert.issuer, acme)],
                    origins,
                ));
            }
        }
        for (route, file) in [
            (Route::HTTP_LIVE, "ingress.yaml"),
            (Route::HTTP_PREVIEW, "ingress-preview.yaml"),
            (Route::GRPC_LIVE, "ingress-grpc.yaml"),
            (Route::GRPC_PREVIEW, "ingress-grpc-preview.yaml"),
        ] {
            let traffic = route.traffic;
            if let Some((ingress, routed)) = ingress(model, env, route) {
                let mut origins = tree.gather();
                ingress_origins(shared, traffic, &routed, &mut origins);
                files.push((file, &head, vec![ingress], origins));
            }
        }
        if super::overview::has_metrics(model, env) {
            let mut origins = tree.gather();
            super::overview::origins(model, &mut origins);
            files.push((
                "dashboard.yaml",
                &head,
                vec![super::overview::config_map(model, env)],
                origins,
            ));
        }
        let resources: Vec<Value> = files.iter().map(|(name, ..)| json!(name)).collect();
        files.push((
            "kustomization.yaml",
            &head,
            vec![kustomization(&resources)],
            tree.gather(),
        ));
        for (name, head, documents, mut origins) in files {
            let path = format!("{dir}/{name}");
            shared.file(&mut origins);
            tree.record(&path, origins);
            tree.insert_yaml(path, head, documents);
        }
    }
}

/// What the lines of an Ingress come from: its host, its certificate, each path's route.
fn ingress_origins(shared: Shared<'_>, traffic: Traffic, routed: &[&str], origins: &mut Gathered) {
    let preview = traffic == Traffic::Preview;
    origins.node(0, &["spec", "rules", "0", "host"], || shared.host(preview));
    origins.node(0, &["spec", "tls", "0", "hosts"], || shared.host(preview));
    origins.node(0, &["spec", "tls", "0", "secretName"], || {
        vec![shared.environment(&["certificates"])]
    });
    for (index, service) in routed.iter().enumerate() {
        let index = index.to_string();
        origins.node(0, &["spec", "rules", "0", "http", "paths", &index], || {
            vec![key(&["services", service, "route"])]
        });
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

/// Live traffic goes to each service's main Service, which selects the live colour, so a
/// colour switch never changes an Ingress. Preview traffic, on the environment's preview host,
/// goes to each service's preview Service, which selects the idle colour while a release is in
/// flight and the live colour otherwise, so a previewed frontend finds the rest of the estate
/// behind it, and a release changes its service's files only.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Traffic {
    Live,
    Preview,
}

/// Which Ingress a route is on: by its traffic, and by what the port it reaches speaks. The
/// controller proxies to gRPC backends for a whole Ingress (ingress-nginx's
/// `backend-protocol: GRPC`), so gRPC routes have Ingresses of their own on the same hosts.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Route {
    traffic: Traffic,
    grpc: bool,
}

impl Route {
    const HTTP_LIVE: Self = Self {
        traffic: Traffic::Live,
        grpc: false,
    };
    const HTTP_PREVIEW: Self = Self {
        traffic: Traffic::Preview,
        grpc: false,
    };
    const GRPC_LIVE: Self = Self {
        traffic: Traffic::Live,
        grpc: true,
    };
    const GRPC_PREVIEW: Self = Self {
        traffic: Traffic::Preview,
        grpc: true,
    };

    /// The Ingress's name.
    fn name(self, enterprise: &str) -> String {
        match (self.grpc, self.traffic) {
            (false, Traffic::Live) => table::INGRESS.build(&[enterprise]),
            (false, Traffic::Preview) => table::PREVIEW_INGRESS.build(&[enterprise]),
            (true, Traffic::Live) => table::GRPC_INGRESS.build(&[enterprise, "-grpc"]),
            (true, Traffic::Preview) => table::GRPC_INGRESS.build(&[enterprise, "-grpc-preview"]),
        }
    }
}

/// The Ingress of `route`, and the services its paths route to, in the order of its paths.
fn ingress<'a>(
    model: &'a Model,
    env: &EnvironmentModel,
    route: Route,
) -> Option<(Value, Vec<&'a str>)> {
    let traffic = route.traffic;
    let cluster = env.clusters.first().and_then(|c| c.name.as_deref());
    let (routed, paths): (Vec<&str>, Vec<Value>) = model
        .services
        .iter()
        .filter_map(|service| {
            service.deployment_at(&env.name, cluster)?;
            let path = service.route.as_ref()?;
            let port = service.route_port.as_ref()?;
            let grpc = service
                .ports
                .iter()
                .any(|p| &p.name == port && p.protocol == PortProtocol::Grpc);
            if grpc != route.grpc {
                return None;
            }
            let backend = match traffic {
                Traffic::Preview if service.previews_through_own_service() => {
                    preview_name(&service.name)
                }
                _ => service.name.clone(),
            };
            Some((
                service.name.as_str(),
                json!({
                    "path": path,
                    "pathType": "Prefix",
                    "backend": { "service": { "name": backend, "port": { "name": port } } },
                }),
            ))
        })
        .unzip();
    if paths.is_empty() {
        return None;
    }
    let enterprise = &model.enterprise.name;
    let name = route.name(enterprise);
    let (tls, host) = match traffic {
        Traffic::Live => (table::TLS_SECRET.build(&[enterprise, ""]), &env.domain),
        Traffic::Preview => (
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
    if route.grpc {
        annotations.insert(
            "nginx.ingress.kubernetes.io/backend-protocol".into(),
            json!("GRPC"),
        );
    }
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
    Some((ingress, routed))
}
