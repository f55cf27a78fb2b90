use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use super::base::preview_service;
use super::external_secret;
use super::inputs::overlay_inputs;
use super::repeated::LastWritten;
use super::rollout;
use super::scope::ServiceScope;
use super::scope::{colour_name, labels};
use super::watched::{LastBuilt, Watched};
use crate::emit::header::header_named;
use crate::model::{BaseRef, ColourRun, Deployment, Hpa, RolloutModel, ServiceModel};
use crate::tree::Tree;

/// One environment of one service: the workloads that run there with their image, replicas,
/// resources and variables, and how traffic reaches them.
pub(super) fn emit<'a>(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    deployment: &'a Deployment,
    (last, built): (&mut LastWritten, &mut LastBuilt<'a>),
    tree: &mut Tree,
) {
    let dir = deployment.overlay_dir(&service.name);
    let place = match &deployment.cluster {
        Some(cluster) => format!("{}/{cluster}", deployment.environment),
        None => deployment.environment.clone(),
    };
    let head = header_named(
        scope.spec_name,
        &format!("services.{} in {place}", service.name),
    );
    let mut overlay = Overlay {
        dir: &dir,
        head: &head,
        resources: overlay_inputs(service, deployment)
            .into_iter()
            .map(Value::String)
            .collect(),
        patches: Vec::new(),
        last,
        tree,
    };
    if let Some(rollout) = &service.rollout {
        rollout_workload(&mut overlay, scope, service, rollout, deployment);
    } else {
        colour_workloads(&mut overlay, scope, service, deployment);
    }
    if service.monitoring.metrics.is_some() {
        let watched = Watched::of(deployment);
        for (file, emitter) in [
            (
                "prometheusrule.yaml",
                super::alerts::prometheus_rule as Monitoring,
            ),
            ("dashboard.yaml", super::dashboard::config_map),
        ] {
            let documents_of = |w| vec![emitter(scope, service, w)];
            // An environment of one cluster has nothing to share them with.
            let documents = match deployment.cluster {
                Some(_) => built.documents(file, watched, documents_of),
                None => documents_of(watched),
            };
            overlay.resource(file, documents);
        }
    }
    if let Some(secrets) = &deployment.secrets {
        overlay.resource(
            external_secret::FILE,
            vec![external_secret::external_secret(service, secrets)],
        );
    }
    let Overlay {
        resources,
        patches,
        tree,
        ..
    } = overlay;
    let kustomization = json!({
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "namespace": deployment.namespace,
        "resources": resources,
        "labels": [{
            "pairs": place_labels(deployment),
            "includeSelectors": false,
            "includeTemplates": true,
        }],
        "patches": patches,
    });
    tree.insert_yaml(
        format!("{dir}/kustomization.yaml"),
        &head,
        vec![kustomization],
    );
}

/// How an overlay's alert rules or dashboard is built.
type Monitoring = fn(&ServiceScope<'_>, &ServiceModel, Watched<'_>) -> Value;

/// The labels of everything an overlay deploys: its environment, and its cluster when the
/// environment lists clusters.
fn place_labels(deployment: &Deployment) -> Value {
    let mut pairs = Map::new();
    pairs.insert(
        "fleetc.io/environment".into(),
        json!(deployment.environment),
    );
    if let Some(cluster) = &deployment.cluster {
        pairs.insert("fleetc.io/cluster".into(), json!(cluster));
    }
    Value::Object(pairs)
}

/// The files of an overlay as they are gathered.
struct Overlay<'a> {
    dir: &'a str,
    head: &'a str,
    resources: Vec<Value>,
    patches: Vec<Value>,
    last: &'a mut LastWritten,
    tree: &'a mut Tree,
}

impl Overlay<'_> {
    fn resource(&mut self, name: &str, documents: Vec<Value>) {
        self.resources.push(json!(name));
        self.last
            .insert(self.tree, self.dir, name, self.head, documents);
    }

    fn patch(&mut self, name: &str, ops: Value, target: Value) {
        self.last
            .insert(self.tree, self.dir, name, self.head, vec![ops]);
        let mut entry = Map::new();
        entry.insert("path".into(), json!(name));
        entry.insert("target".into(), target);
        self.patches.push(Value::Object(entry));
    }
}

/// Git-driven colours: a Deployment per running colour, the main Service on the live one,
/// a preview Service on the idle one.
fn colour_workloads(
    overlay: &mut Overlay<'_>,
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    deployment: &Deployment,
) {
    for run in &deployment.colours {
        overlay.patch(
            &format!("deployment-{}-patch.yaml", run.colour.as_str()),
            Value::Array(workload_patch(scope, service, deployment, run, true)),
            json!({
                "group": "apps",
                "version": "v1",
                "kind": "Deployment",
                "name": colour_name(&service.name, run.colour),
            }),
        );
    }
    overlay.patch(
        "service-patch.yaml",
        json!([{ "op": "add", "path": "/spec/selector/version", "value": deployment.live.as_str() }]),
        json!({ "version": "v1", "kind": "Service", "name": service.name }),
    );
    if let Some(idle) = deployment.idle_run() {
        overlay.resource(
            "service-preview.yaml",
            vec![preview_service(service, Some(idle.colour))],
        );
    }
    if let Some(hpa) = &deployment.autoscaling {
        let hpas: Vec<Value> = deployment
            .colours
            .iter()
            .map(|run| {
                let name = colour_name(&service.name, run.colour);
                autoscaler(service, hpa, &name, "apps/v1", "Deployment")
            })
            .collect();
        overlay.resource("hpa.yaml", hpas);
    }
}

/// Argo Rollouts: the one Rollout gets this environment's image and settings; the controller
/// manages the Services' selectors itself.
fn rollout_workload(
    overlay: &mut Overlay<'_>,
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    rollout: &RolloutModel,
    deployment: &Deployment,
) {
    let mut ops = workload_patch(scope, service, deployment, deployment.live_run(), false);
    ops.push(rollout::namespace_argument(
        &rollout.kind,
        &deployment.namespace,
    ));
    overlay.patch(
        "rollout-patch.yaml",
        Value::Array(ops),
        json!({
            "group": "argoproj.io",
            "version": "v1alpha1",
            "kind": "Rollout",
            "name": service.name,
        }),
    );
    if let Some(hpa) = &deployment.autoscaling {
        let documents = vec![autoscaler(
            service,
            hpa,
            &service.name,
            "argoproj.io/v1alpha1",
            "Rollout",
        )];
        overlay.resource("hpa.yaml", documents);
    }
}

/// JSON 6902 operations that give one colour's Deployment its image, version label, base
/// image labels, replicas, resources and variables in this environment.
fn workload_patch(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    deployment: &Deployment,
    run: &ColourRun,
    coloured: bool,
) -> Vec<Value> {
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
    ops.extend(base_image_ops(&run.base));
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
    let mut env = telemetry_env(scope, service, deployment, run, coloured);
    env.extend(deployment.env.clone());
    let mut vars: Vec<Value> = env
        .iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect();
    if let Some(secrets) = &deployment.secrets {
        vars.extend(external_secret::variables(secrets));
        ops.push(json!({
            "op": "add",
            "path": "/metadata/annotations",
            "value": { external_secret::RELOAD_ANNOTATION: secrets.target },
        }));
    }
    if !vars.is_empty() {
        ops.push(json!({ "op": "add", "path": format!("{container}/env"), "value": vars }));
    }
    ops
}

/// The pod's base image labels and reference: the base this colour's version was built on,
/// which stays until a new version is released, whatever `base` says the next build uses.
/// `kubectl get pods -A -l fleetc.io/base-image=python,fleetc.io/base-version=3.11` finds the
/// pods, and the cluster policy denies those on a blocked version.
fn base_image_ops(base: &BaseRef) -> [Value; 3] {
    let mut reference = format!("{}:{}", base.image, base.version);
    if let Some(digest) = &base.digest {
        reference.push('@');
        reference.push_str(digest);
    }
    let labels = "/spec/template/metadata/labels";
    [
        json!({ "op": "add", "path": format!("{labels}/fleetc.io~1base-image"), "value": base.name }),
        json!({ "op": "add", "path": format!("{labels}/fleetc.io~1base-version"), "value": base.version }),
        json!({
            "op": "add",
            "path": "/spec/template/metadata/annotations",
            "value": { "fleetc.io/base-image-ref": reference },
        }),
    ]
}

/// The OpenTelemetry SDK environment: who is speaking (service, version, environment, colour
/// as resource attributes), where to, with W3C propagation and parent-based sampling. The
/// spec's own variables come after and win.
fn telemetry_env(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    deployment: &Deployment,
    run: &ColourRun,
    coloured: bool,
) -> IndexMap<String, String> {
    let mut env = IndexMap::new();
    let (Some(telemetry), Some(ratio)) = (&scope.enterprise.telemetry, deployment.sample_ratio)
    else {
        return env;
    };
    let mut attributes = format!(
        "service.namespace={},service.version={},deployment.environment.name={}",
        scope.enterprise.name, run.image.tag, deployment.environment,
    );
    if coloured {
        attributes.push_str(&format!(",fleetc.colour={}", run.colour.as_str()));
    }
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

fn autoscaler(
    service: &ServiceModel,
    hpa: &Hpa,
    name: &str,
    api_version: &str,
    kind: &str,
) -> Value {
    json!({
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": { "name": name, "labels": labels(service) },
        "spec": {
            "scaleTargetRef": { "apiVersion": api_version, "kind": kind, "name": name },
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
    })
}
