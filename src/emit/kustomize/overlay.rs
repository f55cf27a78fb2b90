use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use super::base::service_object;
use super::{colour_name, labels, overlay_dir, preview_name};
use crate::emit::yaml::{file, header};
use crate::model::{ColourRun, Deployment, Model, ServiceModel};
use crate::tree::Tree;

/// One environment of one service: the colours that run there with their image, replicas,
/// resources and variables; the main Service on the live colour; during a release, a preview
/// Service on the idle colour.
pub fn emit(model: &Model, service: &ServiceModel, deployment: &Deployment, tree: &mut Tree) {
    let dir = overlay_dir(&service.name, &deployment.environment);
    let head = header(
        model,
        &format!("services.{} in {}", service.name, deployment.environment),
    );
    let mut resources = vec![json!("../../base")];
    let mut patches = Vec::new();
    for run in &deployment.colours {
        resources.push(json!(format!("../../colours/{}", run.colour.as_str())));
        let name = colour_name(&service.name, run.colour);
        let patch_file = format!("deployment-{}-patch.yaml", run.colour.as_str());
        tree.insert(
            format!("{dir}/{patch_file}"),
            file(&head, &[colour_patch(model, service, deployment, run)]),
        );
        patches.push(json!({
            "path": patch_file,
            "target": { "group": "apps", "version": "v1", "kind": "Deployment", "name": name },
        }));
    }
    tree.insert(
        format!("{dir}/service-patch.yaml"),
        file(
            &head,
            &[json!([{ "op": "add", "path": "/spec/selector/version", "value": deployment.live.as_str() }])],
        ),
    );
    patches.push(json!({
        "path": "service-patch.yaml",
        "target": { "version": "v1", "kind": "Service", "name": service.name },
    }));
    if let Some(idle) = deployment.idle_run() {
        resources.push(json!("service-preview.yaml"));
        tree.insert(
            format!("{dir}/service-preview.yaml"),
            file(&head, &[preview_service(service, idle)]),
        );
    }
    if deployment.autoscaling.is_some() {
        let hpas: Vec<Value> = deployment
            .colours
            .iter()
            .filter_map(|run| autoscaler(service, deployment, run))
            .collect();
        resources.push(json!("hpa.yaml"));
        tree.insert(format!("{dir}/hpa.yaml"), file(&head, &hpas));
    }
    let kustomization = json!({
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "namespace": deployment.namespace,
        "resources": resources,
        "labels": [{
            "pairs": { "fleetc.io/environment": deployment.environment },
            "includeSelectors": false,
            "includeTemplates": true,
        }],
        "patches": patches,
    });
    tree.insert(
        format!("{dir}/kustomization.yaml"),
        file(&head, &[kustomization]),
    );
}

/// JSON 6902 operations that give one colour's Deployment its image, version label,
/// replicas, resources and variables in this environment.
fn colour_patch(
    model: &Model,
    service: &ServiceModel,
    deployment: &Deployment,
    run: &ColourRun,
) -> Value {
    let container = "/spec/template/spec/containers/0";
    let mut ops = vec![json!({
        "op": "replace",
        "path": format!("{container}/image"),
        "value": run.image.reference(),
    })];
    if is_label_value(&run.image.tag) {
        for labels in ["/metadata/labels", "/spec/template/metadata/labels"] {
            ops.push(json!({
                "op": "add",
                "path": format!("{labels}/app.kubernetes.io~1version"),
                "value": run.image.tag,
            }));
        }
    }
    ops.push(json!({ "op": "replace", "path": "/spec/replicas", "value": deployment.replicas }));
    let r = &deployment.resources;
    let mut limits = Map::new();
    if let Some(cpu) = &r.cpu_limit {
        limits.insert("cpu".into(), json!(cpu));
    }
    limits.insert("memory".into(), json!(r.memory_limit));
    ops.push(json!({
        "op": "add",
        "path": format!("{container}/resources"),
        "value": { "requests": { "cpu": r.cpu, "memory": r.memory }, "limits": limits },
    }));
    let mut env = telemetry_env(model, service, deployment, run);
    env.extend(deployment.env.clone());
    let vars: Vec<Value> = env
        .iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect();
    if !vars.is_empty() {
        ops.push(json!({ "op": "add", "path": format!("{container}/env"), "value": vars }));
    }
    Value::Array(ops)
}

/// The OpenTelemetry SDK environment: who is speaking (service, version, environment, colour
/// as resource attributes), where to, with W3C propagation and parent-based sampling. The
/// spec's own variables come after and win.
fn telemetry_env(
    model: &Model,
    service: &ServiceModel,
    deployment: &Deployment,
    run: &ColourRun,
) -> IndexMap<String, String> {
    let mut env = IndexMap::new();
    let (Some(telemetry), Some(ratio)) = (&model.enterprise.telemetry, deployment.sample_ratio)
    else {
        return env;
    };
    let attributes = format!(
        "service.namespace={},service.version={},deployment.environment.name={},fleetc.colour={}",
        model.enterprise.name,
        run.image.tag,
        deployment.environment,
        run.colour.as_str()
    );
    for (name, value) in [
        ("OTEL_SERVICE_NAME", service.name.clone()),
        ("OTEL_RESOURCE_ATTRIBUTES", attributes),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", telemetry.endpoint.clone()),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", telemetry.protocol.to_owned()),
        ("OTEL_PROPAGATORS", "tracecontext,baggage".to_owned()),
        ("OTEL_TRACES_SAMPLER", "parentbased_traceidratio".to_owned()),
        ("OTEL_TRACES_SAMPLER_ARG", ratio.to_string()),
    ] {
        env.insert(name.to_owned(), value);
    }
    env
}

/// Kubernetes label values: at most 63 of `A-Za-z0-9_.-`, starting and ending alphanumeric.
fn is_label_value(value: &str) -> bool {
    value.len() <= 63
        && value.starts_with(|c: char| c.is_ascii_alphanumeric())
        && value.ends_with(|c: char| c.is_ascii_alphanumeric())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

fn preview_service(service: &ServiceModel, idle: &ColourRun) -> Value {
    let mut object = service_object(service);
    object["metadata"]["name"] = json!(preview_name(&service.name));
    object["metadata"]["labels"]["fleetc.io/preview"] = json!("true");
    object["spec"]["selector"]["version"] = json!(idle.colour.as_str());
    object
}

fn autoscaler(service: &ServiceModel, deployment: &Deployment, run: &ColourRun) -> Option<Value> {
    let hpa = deployment.autoscaling.as_ref()?;
    let name = colour_name(&service.name, run.colour);
    Some(json!({
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": { "name": name, "labels": labels(service) },
        "spec": {
            "scaleTargetRef": { "apiVersion": "apps/v1", "kind": "Deployment", "name": name },
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
