//! What each line of a pod template comes from: probes, ports, security, the sidecars and init
//! containers, the volumes; the service for the rest.

use crate::model::ServiceModel;
use crate::tree::origin::{Gathered, key};

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
/// and the persistent volumes, and the secret files and configuration files follow them.
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
    let first_file = scratch + service.storage.len() + service.scratch.len();
    for (index, path) in service.secret_files.keys().enumerate() {
        let mount = (first_file + index).to_string();
        origins.node(0, &[&mounts[..], &[&mount]].concat(), move || {
            vec![key(&["services", svc, "secret_files", path])]
        });
    }
    if !service.secret_files.is_empty() {
        let at = (scratch + service.scratch.len()).to_string();
        origins.node(0, &[&pod[..], &["volumes", &at]].concat(), move || {
            vec![key(&["services", svc, "secret_files"])]
        });
    }
    let first_config = first_file + service.secret_files.len();
    for (index, mount) in service.config_mounts.iter().enumerate() {
        let at = (first_config + index).to_string();
        let path = mount.path.as_str();
        origins.node(0, &[&mounts[..], &[&at]].concat(), move || {
            vec![key(&["services", svc, "config_files", path])]
        });
    }
    if service.config_name.is_some() {
        let at = super::pod::config_volume_index(service).to_string();
        origins.node(0, &[&pod[..], &["volumes", &at]].concat(), move || {
            vec![key(&["services", svc, "config_files"])]
        });
    }
}
