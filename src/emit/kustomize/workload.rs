use indexmap::IndexMap;
use serde_json::{Value, json};

use super::scope::ServiceScope;
use super::scope::colour_name;
use crate::emit::header::{header_named, kustomization};
use crate::model::{
    Colour, ExtraContainerModel, ProbeCheck, ProbeModel, RunModel, ScratchMount, SecurityModel,
    ServiceModel, WorkloadKind,
};
use crate::tree::Tree;
use crate::tree::layout::colour_dir;
use crate::tree::origin::{Gathered, key};

/// The Deployment of one colour, as every environment starts from it. Its selector includes
/// the colour, so the two colours never claim each other's pods.
pub(super) fn emit(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    colour: Colour,
    tree: &mut Tree,
) {
    let dir = colour_dir(&service.name, colour);
    let head = header_named(scope.spec_name, &format!("services.{}", service.name));
    let path = format!("{dir}/deployment.yaml");
    let mut origins = tree.gather();
    pod_template_origins(service, &mut origins);
    tree.record(&path, origins);
    tree.insert_yaml(path, &head, vec![deployment(service, colour)]);
    let kustomization = kustomization(&[json!("deployment.yaml")]);
    let path = format!("{dir}/kustomization.yaml");
    let mut origins = tree.gather();
    origins.file(|| vec![key(&["services", &service.name])]);
    tree.record(&path, origins);
    tree.insert_yaml(path, &head, vec![kustomization]);
}

/// The one workload of a kind that rolls in place, as every environment starts from it.
pub(super) fn in_place_workload(service: &ServiceModel) -> Value {
    let mut metadata = json!({ "name": service.name, "labels": service.labels });
    let mut pod_labels = service.labels.clone();
    pod_labels.insert("app".to_owned(), service.name.clone());
    let mut template = pod_template(service, &pod_labels);
    let spec = match service.kind {
        WorkloadKind::Deployment | WorkloadKind::Worker => json!({
            "replicas": 1,
            "revisionHistoryLimit": 5,
            "selector": { "matchLabels": service.selector() },
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": { "maxSurge": "25%", "maxUnavailable": 0 },
            },
            "template": template,
        }),
        WorkloadKind::StatefulSet => json!({
            "replicas": 1,
            "revisionHistoryLimit": 5,
            "serviceName": crate::naming::table::SERVICE.build(&[&service.name]),
            "podManagementPolicy": "OrderedReady",
            "selector": { "matchLabels": service.selector() },
            "updateStrategy": { "type": "RollingUpdate" },
            "template": template,
        }),
        WorkloadKind::CronJob => {
            template["spec"]["restartPolicy"] = json!("OnFailure");
            let run = service.run.as_ref().expect("a job kind has run settings");
            let mut spec = json!({
                "schedule": run.schedule,
                "concurrencyPolicy": run.concurrency.policy(),
                "successfulJobsHistoryLimit": run.keep_succeeded,
                "failedJobsHistoryLimit": run.keep_failed,
                "jobTemplate": { "spec": job_spec(run, &template) },
            });
            if let Some(zone) = &run.timezone {
                spec["timeZone"] = json!(zone);
            }
            if let Some(seconds) = run.start_within {
                spec["startingDeadlineSeconds"] = json!(seconds);
            }
            spec
        }
        WorkloadKind::Job => {
            template["spec"]["restartPolicy"] = json!("OnFailure");
            // A Job's pod template cannot change once it exists: Argo CD replaces the Job,
            // so a new version (or any change) runs it again.
            metadata["annotations"] =
                json!({ "argocd.argoproj.io/sync-options": "Force=true,Replace=true" });
            let run = service.run.as_ref().expect("a job kind has run settings");
            job_spec(run, &template)
        }
    };
    json!({
        "apiVersion": api_version(service.kind),
        "kind": service.kind.object_kind(),
        "metadata": metadata,
        "spec": spec,
    })
}

fn api_version(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::CronJob | WorkloadKind::Job => "batch/v1",
        _ => "apps/v1",
    }
}

/// The spec of a Job (or of a CronJob's jobs): retries, deadline, the pod.
fn job_spec(run: &RunModel, template: &Value) -> Value {
    let mut spec = json!({ "backoffLimit": run.retries, "template": template });
    if let Some(seconds) = run.deadline {
        spec["activeDeadlineSeconds"] = json!(seconds);
    }
    spec
}

/// What the lines of the one workload of a kind that rolls in place come from: its pod, and
/// the keys of its kind.
pub(super) fn in_place_origins(service: &ServiceModel, origins: &mut Gathered) {
    let svc = service.name.as_str();
    pod_template_origins(service, origins);
    let kind_keys = || vec![key(&["services", svc, "kind"])];
    origins.node(0, &["kind"], kind_keys);
    origins.node(0, &["apiVersion"], kind_keys);
    for (field, setting) in [("schedule", "schedule"), ("timeZone", "timezone")] {
        origins.node(0, &["spec", field], || {
            vec![key(&["services", svc, setting])]
        });
    }
    let run = |setting: &'static str| {
        move || {
            vec![
                key(&["services", svc, "run", setting]),
                key(&["services", svc, "run"]),
                key(&["services", svc, "kind"]),
            ]
        }
    };
    origins.node(0, &["spec", "concurrencyPolicy"], run("concurrency"));
    origins.node(0, &["spec", "startingDeadlineSeconds"], run("start_within"));
    origins.node(0, &["spec", "successfulJobsHistoryLimit"], run("keep"));
    origins.node(0, &["spec", "failedJobsHistoryLimit"], run("keep"));
    let job: &[&str] = match service.kind {
        WorkloadKind::CronJob => &["spec", "jobTemplate", "spec"],
        _ => &["spec"],
    };
    origins.node(0, &[job, &["backoffLimit"]].concat(), run("retries"));
    origins.node(
        0,
        &[job, &["activeDeadlineSeconds"]].concat(),
        run("deadline"),
    );
    let mounts: Vec<&str> = [
        service.kind.pod_template_at(),
        &["spec", "containers", "0", "volumeMounts"],
    ]
    .concat();
    let scratch = usize::from(service.security.tmp);
    for (index, storage) in service.storage.iter().enumerate() {
        // /tmp, where the pod has it, is the first mount.
        let index = (index + scratch).to_string();
        let pointer = [&mounts[..], &[&index]].concat();
        origins.node(0, &pointer, || {
            vec![key(&["services", svc, "storage", &storage.name])]
        });
    }
}

/// The file the one workload of a kind that rolls in place is written to, in the base.
pub(super) fn in_place_file(kind: WorkloadKind) -> String {
    format!("{}.yaml", kind.object_kind().to_ascii_lowercase())
}

/// What the lines of a workload's pod template (at the kind's pod template of the file's
/// first document) come from: probes, ports, and the service for the rest.
pub(super) fn pod_template_origins(service: &ServiceModel, origins: &mut Gathered) {
    let svc = service.name.as_str();
    let container: Vec<&str> =
        [service.kind.pod_template_at(), &["spec", "containers", "0"]].concat();
    let at = |rest: &[&'static str]| -> Vec<&'static str> { [&container[..], rest].concat() };
    // Probes are the spec's paths, or else what the probed port speaks.
    let probed = crate::resolve::ports::probed_port(&service.ports);
    for (probe, which) in [
        ("livenessProbe", "liveness"),
        ("readinessProbe", "readiness"),
        ("startupProbe", "startup"),
    ] {
        origins.node(0, &at(&[probe]), || {
            let mut found = vec![
                key(&["services", svc, "probes", which]),
                key(&["services", svc, "probes"]),
                key(&["defaults", "probes", which]),
                key(&["defaults", "probes"]),
            ];
            found.extend(
                probed
                    .map(|port| super::origins::port_keys(svc, port))
                    .unwrap_or_default(),
            );
            found
        });
    }
    for field in ["command", "args"] {
        origins.node(0, &at(&[field]), || vec![key(&["services", svc, field])]);
    }
    security_origins(service, origins);
    extra_container_origins(service, origins);
    scratch_origins(service, origins);
    for (index, port) in service.ports.iter().enumerate() {
        let index = index.to_string();
        let pointer = [&container[..], &["ports", &index]].concat();
        origins.node(0, &pointer, || super::origins::port_keys(svc, port));
    }
    let metrics = service.ports.len().to_string();
    let pointer = [&container[..], &["ports", &metrics]].concat();
    origins.node(0, &pointer, || super::origins::metrics_keys(svc, "port"));
    origins.file(|| vec![key(&["services", svc])]);
}

/// The lines of the pod's and its container's security settings come from the service's
/// `security` keys, each from its own where it is written.
fn security_origins(service: &ServiceModel, origins: &mut Gathered) {
    let svc = service.name.as_str();
    let pod: Vec<&str> = [service.kind.pod_template_at(), &["spec"]].concat();
    let container: Vec<&str> = [&pod[..], &["containers", "0"]].concat();
    let from = |field: &'static str| {
        move || {
            vec![
                key(&["services", svc, "security", field]),
                key(&["services", svc, "security"]),
            ]
        }
    };
    for (at, field) in [
        (&pod, ["securityContext", "runAsUser"]),
        (&pod, ["securityContext", "runAsNonRoot"]),
        (&pod, ["securityContext", "runAsGroup"]),
        (&pod, ["securityContext", "fsGroup"]),
        (&container, ["securityContext", "runAsNonRoot"]),
        (&container, ["securityContext", "readOnlyRootFilesystem"]),
        (&container, ["securityContext", "capabilities"]),
    ] {
        let setting = match field[1] {
            "runAsUser" | "runAsNonRoot" => "user",
            "runAsGroup" => "group",
            "fsGroup" => "fs_group",
            "readOnlyRootFilesystem" => "writable_root",
            _ => "capabilities",
        };
        origins.node(0, &[&at[..], &field].concat(), from(setting));
    }
    if service.security.tmp {
        origins.node(
            0,
            &[&container[..], &["volumeMounts", "0"]].concat(),
            from("tmp"),
        );
        origins.node(0, &[&pod[..], &["volumes", "0"]].concat(), from("tmp"));
    }
}

/// Each sidecar and init container comes from its own table of the spec.
fn extra_container_origins(service: &ServiceModel, origins: &mut Gathered) {
    let svc = service.name.as_str();
    let init: Vec<&str> = [service.kind.pod_template_at(), &["spec", "initContainers"]].concat();
    for (index, extra) in service.extra_containers.iter().enumerate() {
        let index = index.to_string();
        let table = if extra.sidecar {
            "sidecars"
        } else {
            "init_containers"
        };
        let name = extra.name.as_str();
        origins.node(0, &[&init[..], &[&index]].concat(), move || {
            vec![key(&["services", svc, table, name])]
        });
        for field in ["command", "args", "env", "resources", "ports", "image"] {
            let spec_field = if field == "image" { "version" } else { field };
            origins.node(0, &[&init[..], &[&index, field]].concat(), move || {
                vec![
                    key(&["services", svc, table, name, spec_field]),
                    key(&["services", svc, table, name, "image"]),
                    key(&["services", svc, table, name]),
                ]
            });
        }
    }
}

/// Each scratch volume and its mount come from its entry of `volumes`; they follow `/tmp`
/// and the persistent volumes.
fn scratch_origins(service: &ServiceModel, origins: &mut Gathered) {
    let svc = service.name.as_str();
    let scratch = usize::from(service.security.tmp);
    let mounts: Vec<&str> = [
        service.kind.pod_template_at(),
        &["spec", "containers", "0", "volumeMounts"],
    ]
    .concat();
    let pod: Vec<&str> = [service.kind.pod_template_at(), &["spec"]].concat();
    for (index, volume) in service.scratch.iter().enumerate() {
        let name = volume.name.as_str();
        let mount = (index + scratch + service.storage.len()).to_string();
        origins.node(0, &[&mounts[..], &[&mount]].concat(), move || {
            vec![key(&["services", svc, "volumes", name])]
        });
        let at = (index + scratch).to_string();
        origins.node(0, &[&pod[..], &["volumes", &at]].concat(), move || {
            vec![key(&["services", svc, "volumes", name])]
        });
    }
}

fn deployment(service: &ServiceModel, colour: Colour) -> Value {
    let mut selector = service.selector();
    selector.insert("version".to_owned(), colour.as_str().to_owned());
    let mut metadata_labels = service.labels.clone();
    metadata_labels.insert("app".to_owned(), service.name.clone());
    metadata_labels.insert("version".to_owned(), colour.as_str().to_owned());
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": { "name": colour_name(&service.name, colour), "labels": metadata_labels },
        "spec": {
            "replicas": 1,
            "revisionHistoryLimit": 5,
            "selector": { "matchLabels": selector },
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": { "maxSurge": "25%", "maxUnavailable": 0 },
            },
            "template": pod_template(service, &metadata_labels),
        },
    })
}

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
    let scratch = service
        .security
        .tmp
        .then(|| json!({ "name": "tmp", "mountPath": "/tmp" }));
    let mounts: Vec<Value> = scratch
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
        .collect();
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
    let volumes: Vec<Value> = security
        .tmp
        .then(|| json!({ "name": "tmp", "emptyDir": {} }))
        .into_iter()
        .chain(service.scratch.iter().map(scratch_volume))
        .collect();
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
    if !extra.env.is_empty() {
        container["env"] = extra
            .env
            .iter()
            .map(|(name, value)| json!({ "name": name, "value": value }))
            .collect();
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
