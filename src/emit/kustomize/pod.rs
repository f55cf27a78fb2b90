//! The pod every workload of a service runs: its container, hardened and probed, the sidecars
//! and init containers beside it, and its volumes.

use indexmap::IndexMap;
use serde_json::{Value, json};

use crate::model::{
    ExtraContainerModel, ProbeCheck, ProbeModel, ScratchMount, SecurityModel, ServiceModel,
};
use crate::naming::table::{self, CONFIG_FILES_VOLUME, SECRET_FILES_VOLUME};

/// The pod every workload of the service runs: hardened and probed. Environments patch in
/// image, the base image that version was built on, resources and variables.
pub(super) fn pod_template(service: &ServiceModel, pod_labels: &IndexMap<String, String>) -> Value {
    let mut container = json!({
        "name": service.name,
        "image": service.repository,
        "imagePullPolicy": "Always",
        "ports": service.ports.iter().map(|p| json!({
            "name": p.name,
            "containerPort": p.port,
            "protocol": p.protocol.transport(),
        })).collect::<Vec<_>>(),
        "securityContext": container_security(&service.security),
    });
    // Metrics on a port of their own get a container port named for them.
    if let Some(endpoint) = &service.monitoring.metrics
        && !service.ports.iter().any(|p| p.port == endpoint.port)
    {
        container["ports"]
            .as_array_mut()
            .expect("ports is a list")
            .push(json!({
                "name": "metrics",
                "containerPort": endpoint.port,
                "protocol": "TCP",
            }));
    }
    for (field, given) in [("command", &service.command), ("args", &service.args)] {
        if let Some(given) = given {
            container[field] = json!(given);
        }
    }
    let mounts = mounts(service);
    if !mounts.is_empty() {
        container["volumeMounts"] = Value::Array(mounts);
    }
    let probes = &service.probes;
    let c = container.as_object_mut().expect("container is an object");
    for (field, probe) in [
        ("livenessProbe", &probes.liveness),
        ("readinessProbe", &probes.readiness),
        ("startupProbe", &probes.startup),
    ] {
        if let Some(probe) = probe {
            c.insert(field.into(), probe_object(probe));
        }
    }
    let security = &service.security;
    let mut pod = json!({
        "metadata": { "labels": pod_labels },
        "spec": {
            "serviceAccountName": service.name,
            "automountServiceAccountToken": false,
            "securityContext": {
                "runAsNonRoot": !security.runs_as_root(),
                "runAsUser": security.user,
                "runAsGroup": security.group,
                "fsGroup": security.fs_group,
                "seccompProfile": { "type": "RuntimeDefault" },
            },
            "containers": [container],
        },
    });
    let volumes = volumes(service);
    if !volumes.is_empty() {
        pod["spec"]["volumes"] = Value::Array(volumes);
    }
    if !service.extra_containers.is_empty() {
        pod["spec"]["initContainers"] = service
            .extra_containers
            .iter()
            .map(|extra| extra_container(service, extra))
            .collect();
    }
    pod
}

/// The container's mounts: `/tmp`, the persistent volumes, the scratch volumes, the secret
/// files, then the configuration files.
fn mounts(service: &ServiceModel) -> Vec<Value> {
    let scratch = service
        .security
        .tmp
        .then(|| json!({ "name": "tmp", "mountPath": "/tmp" }));
    scratch
        .into_iter()
        .chain(
            service
                .storage
                .iter()
                .map(|storage| json!({ "name": storage.name, "mountPath": storage.path })),
        )
        .chain(
            service
                .scratch
                .iter()
                .map(|volume| json!({ "name": volume.name, "mountPath": volume.path })),
        )
        .chain(service.secret_files.iter().map(|(path, key)| {
            json!({ "name": SECRET_FILES_VOLUME, "mountPath": path, "subPath": key, "readOnly": true })
        }))
        .chain(service.config_mounts.iter().map(|mount| {
            json!({ "name": CONFIG_FILES_VOLUME, "mountPath": mount.path, "subPath": mount.key, "readOnly": true })
        }))
        .collect()
}

/// The pod's volumes: `/tmp`, the scratch volumes, the Secret the secret files come from,
/// then the ConfigMap the configuration files come from (the one of the service's own
/// files: an overlay that gives others names its own, at [`config_volume_index`]).
fn volumes(service: &ServiceModel) -> Vec<Value> {
    service
        .security
        .tmp
        .then(|| json!({ "name": "tmp", "emptyDir": {} }))
        .into_iter()
        .chain(service.scratch.iter().map(scratch_volume))
        .chain((!service.secret_files.is_empty()).then(|| {
            json!({
                "name": SECRET_FILES_VOLUME,
                "secret": {
                    "secretName": table::SERVICE_SECRET.build(&[&service.name]),
                    // Read by the container's user alone.
                    "defaultMode": 0o400,
                },
            })
        }))
        .chain(
            service
                .config_name
                .as_ref()
                .map(|name| json!({ "name": CONFIG_FILES_VOLUME, "configMap": { "name": name } })),
        )
        .collect()
}

/// Where in the pod's volumes the configuration files' ConfigMap is.
pub(super) fn config_volume_index(service: &ServiceModel) -> usize {
    usize::from(service.security.tmp)
        + service.scratch.len()
        + usize::from(!service.secret_files.is_empty())
}

fn scratch_volume(volume: &ScratchMount) -> Value {
    let mut empty = serde_json::Map::new();
    if volume.memory {
        empty.insert("medium".into(), json!("Memory"));
    }
    if let Some(size) = &volume.size {
        empty.insert("sizeLimit".into(), json!(size));
    }
    json!({ "name": volume.name, "emptyDir": empty })
}

/// A sidecar or an init container: hardened as the service's own container is, with its own
/// image (or the service's, which each environment's overlay sets to the version it runs).
fn extra_container(service: &ServiceModel, extra: &ExtraContainerModel) -> Value {
    let mut container = json!({
        "name": extra.name,
        "image": extra.image.clone().unwrap_or_else(|| service.repository.clone()),
        "imagePullPolicy": if extra.pinned() { "IfNotPresent" } else { "Always" },
    });
    if extra.sidecar {
        // A native sidecar: started before the service's container, stopped after it.
        container["restartPolicy"] = json!("Always");
    }
    for (field, given) in [("command", &extra.command), ("args", &extra.args)] {
        if let Some(given) = given {
            container[field] = json!(given);
        }
    }
    if !extra.ports.is_empty() {
        container["ports"] = extra
            .ports
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "containerPort": p.port,
                    "protocol": p.protocol.transport(),
                })
            })
            .collect();
    }
    let secret = table::SERVICE_SECRET.build(&[&service.name]);
    let env: Vec<Value> = extra
        .secrets
        .iter()
        .map(|name| json!({ "name": name, "valueFrom": { "secretKeyRef": { "name": secret, "key": name } } }))
        .chain(
            extra
                .env
                .iter()
                .map(|(name, value)| json!({ "name": name, "value": value })),
        )
        .collect();
    if !env.is_empty() {
        container["env"] = Value::Array(env);
    }
    let mut limits = serde_json::Map::new();
    if let Some(cpu) = &extra.cpu_limit {
        limits.insert("cpu".into(), json!(cpu));
    }
    if let Some(memory) = &extra.memory_limit {
        limits.insert("memory".into(), json!(memory));
    }
    container["resources"] = json!({
        "requests": { "cpu": extra.cpu, "memory": extra.memory },
        "limits": limits,
    });
    let probes = &extra.probes;
    for (field, probe) in [
        ("livenessProbe", &probes.liveness),
        ("readinessProbe", &probes.readiness),
        ("startupProbe", &probes.startup),
    ] {
        if let Some(probe) = probe {
            container[field] = probe_object(probe);
        }
    }
    container["securityContext"] = container_security(&service.security);
    if service.security.tmp {
        container["volumeMounts"] = json!([{ "name": "tmp", "mountPath": "/tmp" }]);
    }
    container
}

/// A container's own settings: no escalation, every capability dropped but those the
/// service adds, and a read-only root unless it needs to write there.
fn container_security(security: &SecurityModel) -> Value {
    let mut capabilities = json!({ "drop": ["ALL"] });
    if !security.capabilities.is_empty() {
        capabilities["add"] = json!(security.capabilities);
    }
    json!({
        "allowPrivilegeEscalation": false,
        "readOnlyRootFilesystem": !security.writable_root,
        "runAsNonRoot": !security.runs_as_root(),
        "capabilities": capabilities,
    })
}

fn probe_object(probe: &ProbeModel) -> Value {
    let (kind, how) = match &probe.check {
        ProbeCheck::Http { path, port } => ("httpGet", json!({ "path": path, "port": port })),
        ProbeCheck::Grpc { port, service } => {
            let mut how = json!({ "port": port });
            if let Some(service) = service {
                how["service"] = json!(service);
            }
            ("grpc", how)
        }
        ProbeCheck::Tcp { port } => ("tcpSocket", json!({ "port": port })),
        ProbeCheck::Exec { command } => ("exec", json!({ "command": command })),
    };
    let mut object = serde_json::Map::new();
    object.insert(kind.into(), how);
    if probe.delay > 0 {
        object.insert("initialDelaySeconds".into(), json!(probe.delay));
    }
    object.insert("periodSeconds".into(), json!(probe.period));
    object.insert("failureThreshold".into(), json!(probe.failures));
    object.insert("timeoutSeconds".into(), json!(probe.timeout));
    Value::Object(object)
}
