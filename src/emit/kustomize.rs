//! Per service a base (`apps/<svc>/base`) and an overlay per environment
//! (`apps/<svc>/overlays/<env>`). The base holds what no environment changes; each overlay
//! holds everything one environment decides, so a change to one environment changes only its
//! overlay. Only constructs fleetc can merge itself: resources, namespace, labels, images,
//! replicas and JSON 6902 patches.

use serde_json::{Map, Value, json};

use super::yaml::{file, header};
use crate::model::{Deployment, Model, ServiceModel};
use crate::tree::Tree;

pub fn emit(model: &Model, tree: &mut Tree) {
    for service in &model.services {
        emit_base(model, service, tree);
        for deployment in &service.deployments {
            emit_overlay(model, service, deployment, tree);
        }
    }
}

pub fn base_dir(service: &str) -> String {
    format!("apps/{service}/base")
}

pub fn overlay_dir(service: &str, env: &str) -> String {
    format!("apps/{service}/overlays/{env}")
}

fn labels(service: &ServiceModel) -> Value {
    json!(service.labels)
}

fn emit_base(model: &Model, service: &ServiceModel, tree: &mut Tree) {
    let dir = base_dir(&service.name);
    let head = header(model, &format!("services.{}", service.name));
    let files: [(&str, Value); 5] = [
        ("deployment.yaml", deployment(service)),
        ("service.yaml", service_object(service)),
        ("serviceaccount.yaml", service_account(service)),
        ("pdb.yaml", disruption_budget(service)),
        (
            "kustomization.yaml",
            json!({
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": ["deployment.yaml", "service.yaml", "serviceaccount.yaml", "pdb.yaml"],
            }),
        ),
    ];
    for (name, document) in files {
        tree.insert(format!("{dir}/{name}"), file(&head, &[document]));
    }
}

fn deployment(service: &ServiceModel) -> Value {
    let mut pod_labels = service.labels.clone();
    pod_labels.insert("fleetc.io/base-image".to_owned(), service.base.name.clone());
    pod_labels.insert(
        "fleetc.io/base-version".to_owned(),
        service.base.version.clone(),
    );
    let mut container = json!({
        "name": service.name,
        "image": service.repository,
        "imagePullPolicy": "IfNotPresent",
        "ports": [{ "name": "http", "containerPort": service.port, "protocol": "TCP" }],
        "securityContext": {
            "allowPrivilegeEscalation": false,
            "readOnlyRootFilesystem": true,
            "runAsNonRoot": true,
            "capabilities": { "drop": ["ALL"] },
        },
        "volumeMounts": [{ "name": "tmp", "mountPath": "/tmp" }],
    });
    let probes = &service.probes;
    let c = container.as_object_mut().expect("container is an object");
    c.insert("livenessProbe".into(), http_probe(&probes.liveness, 10, 3));
    c.insert("readinessProbe".into(), http_probe(&probes.readiness, 5, 3));
    if let Some(startup) = &probes.startup {
        c.insert("startupProbe".into(), http_probe(startup, 5, 30));
    }
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": { "name": service.name, "labels": labels(service) },
        "spec": {
            "replicas": 1,
            "revisionHistoryLimit": 5,
            "selector": { "matchLabels": service.selector() },
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": { "maxSurge": "25%", "maxUnavailable": 0 },
            },
            "template": {
                "metadata": { "labels": pod_labels },
                "spec": {
                    "serviceAccountName": service.name,
                    "automountServiceAccountToken": false,
                    "securityContext": {
                        "runAsNonRoot": true,
                        "runAsUser": 10001,
                        "runAsGroup": 10001,
                        "fsGroup": 10001,
                        "seccompProfile": { "type": "RuntimeDefault" },
                    },
                    "containers": [container],
                    "volumes": [{ "name": "tmp", "emptyDir": {} }],
                },
            },
        },
    })
}

fn http_probe(path: &str, period: u32, failures: u32) -> Value {
    json!({
        "httpGet": { "path": path, "port": "http" },
        "periodSeconds": period,
        "failureThreshold": failures,
        "timeoutSeconds": 2,
    })
}

fn service_object(service: &ServiceModel) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": { "name": service.name, "labels": labels(service) },
        "spec": {
            "type": "ClusterIP",
            "selector": service.selector(),
            "ports": [{ "name": "http", "port": 80, "targetPort": "http", "protocol": "TCP" }],
        },
    })
}

fn service_account(service: &ServiceModel) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": { "name": service.name, "labels": labels(service) },
        "automountServiceAccountToken": false,
    })
}

fn disruption_budget(service: &ServiceModel) -> Value {
    json!({
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": { "name": service.name, "labels": labels(service) },
        "spec": {
            "maxUnavailable": 1,
            "selector": { "matchLabels": service.selector() },
        },
    })
}

fn emit_overlay(model: &Model, service: &ServiceModel, deployment: &Deployment, tree: &mut Tree) {
    let dir = overlay_dir(&service.name, &deployment.environment);
    let head = header(
        model,
        &format!("services.{} in {}", service.name, deployment.environment),
    );
    let mut resources = vec![json!("../../base")];
    if let Some(hpa) = autoscaler(service, deployment) {
        resources.push(json!("hpa.yaml"));
        tree.insert(format!("{dir}/hpa.yaml"), file(&head, &[hpa]));
    }
    let live = deployment.live_run();
    let mut image = Map::new();
    image.insert("name".into(), json!(live.image.repository));
    image.insert("newTag".into(), json!(live.image.tag));
    if let Some(digest) = &live.image.digest {
        image.insert("digest".into(), json!(digest));
    }
    let kustomization = json!({
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "namespace": deployment.namespace,
        "resources": resources,
        "labels": [{
            "pairs": {
                "fleetc.io/environment": deployment.environment,
                "version": live.colour.as_str(),
            },
            "includeSelectors": false,
            "includeTemplates": true,
        }],
        "images": [image],
        "replicas": [{ "name": service.name, "count": deployment.replicas }],
        "patches": [{
            "path": "deployment-patch.yaml",
            "target": { "group": "apps", "version": "v1", "kind": "Deployment", "name": service.name },
        }],
    });
    tree.insert(
        format!("{dir}/kustomization.yaml"),
        file(&head, &[kustomization]),
    );
    tree.insert(
        format!("{dir}/deployment-patch.yaml"),
        file(&head, &[deployment_patch(deployment)]),
    );
}

/// JSON 6902 operations that give the container its environment's resources and variables.
fn deployment_patch(deployment: &Deployment) -> Value {
    let container = "/spec/template/spec/containers/0";
    let r = &deployment.resources;
    let mut limits = Map::new();
    if let Some(cpu) = &r.cpu_limit {
        limits.insert("cpu".into(), json!(cpu));
    }
    limits.insert("memory".into(), json!(r.memory_limit));
    let mut ops = vec![json!({
        "op": "add",
        "path": format!("{container}/resources"),
        "value": { "requests": { "cpu": r.cpu, "memory": r.memory }, "limits": limits },
    })];
    let vars: Vec<Value> = deployment
        .env
        .iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect();
    if !vars.is_empty() {
        ops.push(json!({ "op": "add", "path": format!("{container}/env"), "value": vars }));
    }
    Value::Array(ops)
}

fn autoscaler(service: &ServiceModel, deployment: &Deployment) -> Option<Value> {
    let hpa = deployment.autoscaling.as_ref()?;
    Some(json!({
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": { "name": service.name, "labels": labels(service) },
        "spec": {
            "scaleTargetRef": { "apiVersion": "apps/v1", "kind": "Deployment", "name": service.name },
            "minReplicas": hpa.min,
            "maxReplicas": hpa.max,
            "metrics": [{
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": { "type": "Utilization", "averageUtilization": hpa.cpu_utilization },
                },
            }],
        },
    }))
}
