//! The service's own container: its image, command, resources, port, probes and variables,
//! each taken out of the container as it is read.

use serde_json::Value;

use super::fields::{take, take_str};
use super::found::Port;
use super::found::{Found, Quantities};
use super::ports::{Exposed, port_named, read_ports};

/// Reads the service's own container into `found`, taking out what it reads.
pub(super) fn container(main: &mut Value, found: &mut Found, exposed: &[Exposed]) {
    take(main, &["name"]);
    let image = take_str(main, &["image"]).unwrap_or_default();
    (found.image, found.version) = split_image(&image);
    found.command = take(main, &["command"]).as_ref().and_then(strings);
    found.args = take(main, &["args"]).as_ref().and_then(strings);
    found.resources = Quantities {
        cpu: take_str(main, &["resources", "requests", "cpu"]),
        memory: take_str(main, &["resources", "requests", "memory"]),
        cpu_limit: take_str(main, &["resources", "limits", "cpu"]),
        memory_limit: take_str(main, &["resources", "limits", "memory"]),
    };
    let ports = read_ports(main, exposed);
    (found.port, found.ports, found.metrics_port) = (ports.single, ports.named, ports.metrics);
    for (field, kind) in [
        ("livenessProbe", "liveness"),
        ("readinessProbe", "readiness"),
        ("startupProbe", "startup"),
    ] {
        let Some(probe) = main.get(field) else {
            continue;
        };
        match probe_text(probe, found.port, &found.ports) {
            Some(text) => {
                found.probes.push((kind, text));
                take(main, &[field]);
            }
            None => found.probes_left = true,
        }
    }
    if let Some(Value::Array(vars)) = take(main, &["env"]) {
        let mut kept = Vec::new();
        for var in vars {
            let name = var["name"].as_str().unwrap_or_default().to_owned();
            if let Some(value) = var["value"].as_str() {
                found.env.insert(name, value.to_owned());
            } else if let (Some(secret), Some(key)) = (
                var.pointer("/valueFrom/secretKeyRef/name")
                    .and_then(Value::as_str),
                var.pointer("/valueFrom/secretKeyRef/key")
                    .and_then(Value::as_str),
            ) {
                found.secrets.insert(name, format!("{secret}#{key}"));
            } else {
                kept.push(var);
            }
        }
        if !kept.is_empty() {
            main["env"] = Value::Array(kept);
        }
    }
}

/// A probe as the spec's inline table, when the spec can say it: an HTTP GET, a gRPC health
/// check or a TCP connection on one of the container's ports, or a command, with its timings.
pub(super) fn probe_text(probe: &Value, single: Option<i64>, ports: &[Port]) -> Option<String> {
    let object = probe.as_object()?;
    let quoted = |text: &str| toml_edit::Value::from(text).to_string().trim().to_owned();
    // A named port is said by name; the one HTTP port is the default.
    let on = |check: &Value| -> Option<Option<String>> {
        let name = port_named(&check["port"], single, ports)?;
        Some((single.is_none()).then(|| quoted(name)))
    };
    let mut said = Vec::new();
    let mut known = 0;
    if let Some(get) = object.get("httpGet") {
        let path = get["path"].as_str()?;
        if get.as_object()?.len() != 2 {
            return None;
        }
        said.push(format!("http = {}", quoted(path)));
        if let Some(port) = on(get)? {
            said.push(format!("port = {port}"));
        }
        known += 1;
    } else if let Some(grpc) = object.get("grpc") {
        let name = port_named(&grpc["port"], single, ports)?;
        let service = grpc.get("service").and_then(Value::as_str);
        if grpc.as_object()?.len() != 1 + usize::from(service.is_some()) {
            return None;
        }
        said.push(format!("grpc = {}", quoted(name)));
        if let Some(service) = service {
            said.push(format!("service = {}", quoted(service)));
        }
        known += 1;
    } else if let Some(tcp) = object.get("tcpSocket") {
        if tcp.as_object()?.len() != 1 {
            return None;
        }
        let name = port_named(&tcp["port"], single, ports)?;
        said.push(format!("tcp = {}", quoted(name)));
        known += 1;
    } else if let Some(exec) = object.get("exec") {
        let command = strings(&exec["command"])?;
        let quoted: Vec<String> = command
            .iter()
            .map(|c| {
                toml_edit::Value::from(c.as_str())
                    .to_string()
                    .trim()
                    .to_owned()
            })
            .collect();
        said.push(format!("exec = [{}]", quoted.join(", ")));
        known += 1;
    } else {
        return None;
    }
    for (field, key) in [
        ("periodSeconds", "period"),
        ("timeoutSeconds", "timeout"),
        ("failureThreshold", "failures"),
        ("initialDelaySeconds", "delay"),
    ] {
        if let Some(value) = object.get(field) {
            said.push(format!("{key} = {}", value.as_i64()?));
            known += 1;
        }
    }
    (known == object.len()).then(|| format!("{{ {} }}", said.join(", ")))
}

/// `registry/repo:tag@digest` → (`registry/repo`, `tag@digest`); a missing tag is `latest`.
pub(crate) fn split_image(image: &str) -> (String, String) {
    let (named, digest) = match image.split_once('@') {
        Some((named, digest)) => (named, Some(digest)),
        None => (image, None),
    };
    let slash = named.rfind('/').map_or(0, |at| at + 1);
    let (repository, tag) = match named[slash..].rfind(':') {
        Some(at) => (&named[..slash + at], &named[slash + at + 1..]),
        None => (named, "latest"),
    };
    let version = match digest {
        Some(digest) => format!("{tag}@{digest}"),
        None => tag.to_owned(),
    };
    (in_registry(repository), version)
}

/// `repository` with the registry it is pulled from: Docker Hub's where it names none
/// (`postgres` is `docker.io/library/postgres`, `fluent/fluent-bit` `docker.io/fluent/…`).
fn in_registry(repository: &str) -> String {
    let first = repository.split('/').next().unwrap_or_default();
    let names_registry = repository.contains('/')
        && (first.contains('.') || first.contains(':') || first == "localhost");
    match (names_registry, repository.contains('/')) {
        (true, _) => repository.to_owned(),
        (false, true) => format!("docker.io/{repository}"),
        (false, false) => format!("docker.io/library/{repository}"),
    }
}

pub(super) fn strings(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_splits_into_repository_and_version() {
        assert_eq!(
            split_image("ghcr.io/acme/cart:1.4.2"),
            ("ghcr.io/acme/cart".into(), "1.4.2".into())
        );
        assert_eq!(
            split_image("fluent/fluent-bit:3.1"),
            ("docker.io/fluent/fluent-bit".into(), "3.1".into())
        );
        assert_eq!(
            split_image("localhost:5000/cart"),
            ("localhost:5000/cart".into(), "latest".into())
        );
        assert_eq!(
            split_image("postgres:16.4@sha256:abc"),
            (
                "docker.io/library/postgres".into(),
                "16.4@sha256:abc".into()
            )
        );
    }
}
