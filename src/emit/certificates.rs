//! Per environment (`envs/<env>`): the cert-manager Certificate of the environment's hosts,
//! and the ACME ClusterIssuer when the spec describes one instead of naming it. The issuer
//! lives beside the environment it signs for, in the environment's Application, and is named
//! after the environment, so two environments on one cluster each keep their own.

use serde_json::{Value, json};

use crate::model::{AcmeIssuer, AcmeSolver, CertificateModel, EnvironmentModel, Model};

/// The label cert-manager puts on the pod, Service and Ingress that answer an HTTP-01
/// challenge.
pub(super) const HTTP01_SOLVER_LABEL: (&str, &str) = ("acme.cert-manager.io/http01-solver", "true");
/// The port cert-manager's HTTP-01 solver pod listens on.
const HTTP01_SOLVER_PORT: u16 = 8089;

pub(super) fn certificate(model: &Model, env: &EnvironmentModel, cert: &CertificateModel) -> Value {
    json!({
        "apiVersion": "cert-manager.io/v1",
        "kind": "Certificate",
        "metadata": {
            "name": cert.name,
            "namespace": env.namespace,
            "labels": labels(model, env),
        },
        "spec": {
            "secretName": cert.secret_name,
            "dnsNames": cert.dns_names,
            "issuerRef": { "group": "cert-manager.io", "kind": "ClusterIssuer", "name": cert.issuer },
        },
    })
}

pub(super) fn cluster_issuer(
    model: &Model,
    env: &EnvironmentModel,
    name: &str,
    acme: &AcmeIssuer,
) -> Value {
    json!({
        "apiVersion": "cert-manager.io/v1",
        "kind": "ClusterIssuer",
        "metadata": { "name": name, "labels": labels(model, env) },
        "spec": {
            "acme": {
                "server": acme.server,
                "email": acme.email,
                "privateKeySecretRef": { "name": acme.private_key_secret },
                "solvers": [solver(&acme.solver)],
            },
        },
    })
}

fn solver(solver: &AcmeSolver) -> Value {
    match solver {
        AcmeSolver::Http01 { ingress_class } => {
            json!({ "http01": { "ingress": { "ingressClassName": ingress_class } } })
        }
        AcmeSolver::Route53 {
            region,
            hosted_zone_id,
            role,
            access_key_secret,
        } => {
            let mut route53 = serde_json::Map::new();
            let mut set = |key: &str, value: Value| {
                route53.insert(key.to_owned(), value);
            };
            if let Some(region) = region {
                set("region", json!(region));
            }
            if let Some(zone) = hosted_zone_id {
                set("hostedZoneID", json!(zone));
            }
            if let Some(role) = role {
                set("role", json!(role));
            }
            if let Some(secret) = access_key_secret {
                set(
                    "accessKeyIDSecretRef",
                    json!({ "name": secret, "key": "access-key-id" }),
                );
                set(
                    "secretAccessKeySecretRef",
                    json!({ "name": secret, "key": "secret-access-key" }),
                );
            }
            json!({ "dns01": { "route53": route53 } })
        }
        AcmeSolver::Cloudflare {
            api_token_secret,
            api_token_key,
        } => json!({
            "dns01": {
                "cloudflare": {
                    "apiTokenSecretRef": { "name": api_token_secret, "key": api_token_key },
                },
            },
        }),
    }
}

/// The environment denies all ingress by default; an HTTP-01 challenge is answered by a pod
/// cert-manager starts in the Certificate's namespace, which the ingress controller must
/// reach.
pub(super) fn http01_solver_policy(model: &Model, env: &EnvironmentModel) -> Value {
    let (key, value) = HTTP01_SOLVER_LABEL;
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {
            "name": "allow-acme-http01-solver",
            "namespace": env.namespace,
            "labels": labels(model, env),
        },
        "spec": {
            "podSelector": { "matchLabels": { key: value } },
            "policyTypes": ["Ingress"],
            "ingress": [{
                "from": [{
                    "namespaceSelector": {
                        "matchLabels": {
                            "kubernetes.io/metadata.name": model.enterprise.ingress_namespace,
                        },
                    },
                }],
                "ports": [{ "protocol": "TCP", "port": HTTP01_SOLVER_PORT }],
            }],
        },
    })
}

/// Whether the environment answers ACME challenges with pods in its own namespace.
pub(super) fn uses_http01(env: &EnvironmentModel) -> bool {
    env.certificate
        .as_ref()
        .and_then(|c| c.acme.as_ref())
        .is_some_and(|acme| matches!(acme.solver, AcmeSolver::Http01 { .. }))
}

fn labels(model: &Model, env: &EnvironmentModel) -> Value {
    json!({
        "app.kubernetes.io/part-of": model.enterprise.name,
        "app.kubernetes.io/managed-by": "fleetc",
        "fleetc.io/environment": env.name,
    })
}

/// What the environment's Kyverno rules leave to cert-manager: the pods, Services and
/// Ingresses of an HTTP-01 solver (its image is cert-manager's, not the estate's), and in
/// production the TLS Secret, which cert-manager writes rather than Argo CD.
pub(super) fn policy_exclusions(env: &EnvironmentModel, tls_secret: bool) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(cert) = env.certificate.as_ref().filter(|_| tls_secret) {
        out.push(json!({ "resources": { "kinds": ["Secret"], "names": [cert.secret_name] } }));
    }
    if uses_http01(env) {
        let (key, value) = HTTP01_SOLVER_LABEL;
        out.push(json!({ "resources": { "selector": { "matchLabels": { key: value } } } }));
    }
    out
}
