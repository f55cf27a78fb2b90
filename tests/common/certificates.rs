//! The promise between the Ingresses and cert-manager, read from generated documents: in an
//! environment with a Certificate, every Ingress reads the Secret a Certificate of that
//! environment writes, and every host it serves is on that Certificate. ClusterIssuers are
//! cluster-wide, so no two environments write one of the same name, and a written one is the
//! one its environment's Certificate names.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// `envs/<env>/…` → `<env>`.
fn environment(path: &str) -> Option<&str> {
    path.strip_prefix("envs/")?.split('/').next()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// A Certificate as the check reads it: its Secret, its hosts and its issuer.
struct Certificate {
    secret: String,
    hosts: BTreeSet<String>,
    issuer: String,
}

/// Checks the documents of one tree (`path`, document); returns what an Ingress or issuer
/// breaks. `with_certificates` lists the environments the spec gives an issuer.
pub fn check<'a>(
    docs: impl IntoIterator<Item = (&'a str, &'a Value)>,
    with_certificates: &[&str],
) -> Result<(), String> {
    let mut certificates: BTreeMap<&str, Vec<Certificate>> = BTreeMap::new();
    let mut ingresses = Vec::new();
    let mut issuers: BTreeMap<String, &str> = BTreeMap::new();
    for (path, doc) in docs {
        let Some(env) = environment(path) else {
            continue;
        };
        match doc["kind"].as_str() {
            Some("Certificate") => certificates.entry(env).or_default().push(Certificate {
                secret: doc["spec"]["secretName"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                hosts: strings(&doc["spec"]["dnsNames"]).into_iter().collect(),
                issuer: doc["spec"]["issuerRef"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            }),
            Some("Ingress") => ingresses.push((env, path, doc)),
            Some("ClusterIssuer") => {
                let name = doc["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                if let Some(other) = issuers.insert(name.clone(), env) {
                    return Err(format!(
                        "environments {other} and {env} both write ClusterIssuer {name}"
                    ));
                }
            }
            _ => {}
        }
    }
    for env in with_certificates {
        if certificates.get(env).is_none_or(Vec::is_empty) {
            return Err(format!(
                "environment {env} names an issuer but has no Certificate"
            ));
        }
    }
    for (name, env) in &issuers {
        let certs = certificates.get(env).map(Vec::as_slice).unwrap_or_default();
        if !certs.iter().any(|c| &c.issuer == name) {
            return Err(format!(
                "{env} writes ClusterIssuer {name}, which no Certificate of it names"
            ));
        }
    }
    for (env, path, ingress) in ingresses {
        let Some(certs) = certificates.get(env) else {
            continue;
        };
        let tls = ingress["spec"]["tls"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if tls.is_empty() {
            return Err(format!(
                "{path}: an Ingress without TLS beside a Certificate"
            ));
        }
        let rule_hosts: Vec<String> = ingress["spec"]["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["host"].as_str().map(str::to_owned))
            .collect();
        for entry in &tls {
            let secret = entry["secretName"].as_str().unwrap_or_default();
            let Some(Certificate { hosts: names, .. }) = certs.iter().find(|c| c.secret == secret)
            else {
                return Err(format!(
                    "{path}: TLS Secret {secret} is written by no Certificate of {env}"
                ));
            };
            for host in strings(&entry["hosts"]).iter().chain(&rule_hosts) {
                if !names.contains(host) {
                    return Err(format!(
                        "{path}: host {host} is not on the Certificate writing {secret} ({names:?})"
                    ));
                }
            }
        }
    }
    Ok(())
}
