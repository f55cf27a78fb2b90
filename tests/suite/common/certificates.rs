//! The promise between the Ingresses and cert-manager, read from generated documents: in a
//! place (an environment, or one cluster of an environment that lists clusters) with a
//! Certificate, every Ingress reads the Secret a Certificate of that place writes, and every
//! host it serves is on that Certificate. ClusterIssuers are cluster-wide, so no two
//! environments write one of the same name (the clusters of one environment each hold their
//! own), and a written one is the one its place's Certificate names.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// `envs/<env>/<file>` → `<env>`, `envs/<env>/<cluster>/<file>` → `<env>/<cluster>`.
fn place(path: &str) -> Option<&str> {
    path.strip_prefix("envs/")?
        .rsplit_once('/')
        .map(|(dir, _)| dir)
}

fn environment(place: &str) -> &str {
    place.split('/').next().unwrap_or(place)
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

/// Each place of an environment that names an issuer has a Certificate.
fn every_place_certified(
    with_certificates: &[&str],
    places: &BTreeSet<&str>,
    certificates: &BTreeMap<&str, Vec<Certificate>>,
) -> Result<(), String> {
    for env in with_certificates {
        let mut own = places.iter().filter(|p| environment(p) == *env).peekable();
        if own.peek().is_none() {
            return Err(format!(
                "environment {env} names an issuer but has no files"
            ));
        }
        for place in own {
            if certificates.get(place).is_none_or(Vec::is_empty) {
                return Err(format!(
                    "environment {env} names an issuer but {place} has no Certificate"
                ));
            }
        }
    }
    Ok(())
}

/// Checks the documents of one tree (`path`, document); returns what an Ingress or issuer
/// breaks. `with_certificates` lists the environments the spec gives an issuer: each of their
/// places has a Certificate.
pub(crate) fn check<'a>(
    docs: impl IntoIterator<Item = (&'a str, &'a Value)>,
    with_certificates: &[&str],
) -> Result<(), String> {
    let mut places: BTreeSet<&str> = BTreeSet::new();
    let mut certificates: BTreeMap<&str, Vec<Certificate>> = BTreeMap::new();
    let mut ingresses = Vec::new();
    let mut issuers: Vec<(String, &str)> = Vec::new();
    let mut issuer_environments: BTreeMap<String, &str> = BTreeMap::new();
    for (path, doc) in docs {
        let Some(env) = place(path) else {
            continue;
        };
        places.insert(env);
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
                let first = *issuer_environments
                    .entry(name.clone())
                    .or_insert(environment(env));
                if first != environment(env) {
                    return Err(format!(
                        "environments {first} and {} both write ClusterIssuer {name}",
                        environment(env)
                    ));
                }
                issuers.push((name, env));
            }
            _ => {}
        }
    }
    every_place_certified(with_certificates, &places, &certificates)?;
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
