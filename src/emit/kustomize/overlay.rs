use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use super::base::preview_service;
use super::config_files;
use super::external_secret;
use super::inputs::overlay_inputs;
use super::origins::{namespace_keys, place_keys, setting, state_keys};
use super::patch::Patch;
use super::repeated::LastWritten;
use super::rollout;
use super::scope::ServiceScope;
use super::scope::{colour_name, labels};
use super::watched::{LastBuilt, Watched};
use crate::emit::header::header_named;
use crate::formats::otel;
use crate::model::{BaseRef, ColourRun, Deployment, Hpa, RolloutModel, ServiceModel};
use crate::spec::{PodField, PullPolicy};
use crate::tree::Tree;
use crate::tree::origin::{Gathered, Origin, key};

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
        service,
        deployment,
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
    } else if service.kind.rolls_in_place() {
        in_place_workload(&mut overlay, scope, service, deployment);
    } else {
        colour_workloads(&mut overlay, scope, service, deployment);
    }
    if let Some(identity) = &deployment.identity {
        let mut origins = overlay.tree.gather();
        origins.node(0, &[], || {
            super::identity::identity_keys(service, deployment)
        });
        overlay.patch(
            super::identity::PATCH_FILE,
            super::identity::service_account_patch(identity),
            super::identity::target(service),
            origins,
        );
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
            let mut origins = overlay.tree.gather();
            super::alerts::origins(scope, service, watched, file, &mut origins);
            overlay.resource(file, documents, origins);
        }
    }
    if let Some(secrets) = &deployment.secrets {
        let mut origins = overlay.tree.gather();
        external_secret::origins(service, deployment, secrets, &mut origins);
        overlay.resource(
            external_secret::FILE,
            vec![external_secret::external_secret(service, secrets)],
            origins,
        );
    }
    config_map(&mut overlay, service, deployment);
    own_files(&mut overlay, deployment);
    let mut origins = overlay.tree.gather();
    origins.node(0, &["namespace"], || namespace_keys(deployment));
    let own = &deployment.own_manifests;
    super::escape_hatch::entry_origins("resources", &overlay.resources, own, &mut origins);
    let own = &deployment.own_patches;
    super::escape_hatch::entry_origins("patches", &overlay.patches, own, &mut origins);
    origins.file(|| place_keys(service, deployment));
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
    let path = format!("{dir}/kustomization.yaml");
    tree.record(&path, origins);
    tree.insert_yaml(path, &head, vec![kustomization]);
}

/// The ConfigMap of the configuration files of this place.
fn config_map(overlay: &mut Overlay<'_>, service: &ServiceModel, deployment: &Deployment) {
    if let Some(config) = &deployment.config {
        let mut origins = overlay.tree.gather();
        config_files::origins(service, config, &mut origins);
        let documents = vec![config_files::config_map(service, config)];
        overlay.resource(config_files::FILE, documents, origins);
    }
}

/// The files of the service's own listed for this place, after fleetc's.
fn own_files(overlay: &mut Overlay<'_>, deployment: &Deployment) {
    for file in &deployment.own_manifests {
        let name = super::escape_hatch::copy(file, overlay.dir, overlay.tree);
        overlay.resources.push(json!(name));
    }
    for file in &deployment.own_patches {
        let name = super::escape_hatch::copy(file, overlay.dir, overlay.tree);
        overlay
            .patches
            .push(super::escape_hatch::patch_entry(file, &name));
    }
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
    service: &'a ServiceModel,
    deployment: &'a Deployment,
    resources: Vec<Value>,
    patches: Vec<Value>,
    last: &'a mut LastWritten,
    tree: &'a mut Tree,
}

impl Overlay<'_> {
    fn resource(&mut self, name: &str, documents: Vec<Value>, mut origins: Gathered) {
        self.resources.push(json!(name));
        origins.file(|| place_keys(self.service, self.deployment));
        if origins.is_on() {
            self.tree.record(&format!("{}/{name}", self.dir), origins);
        }
        self.last
            .insert(self.tree, self.dir, name, self.head, documents);
    }

    fn patch(&mut self, name: &str, ops: Value, target: Value, mut origins: Gathered) {
        origins.file(|| place_keys(self.service, self.deployment));
        if origins.is_on() {
            self.tree.record(&format!("{}/{name}", self.dir), origins);
        }
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
        let mut origins = overlay.tree.gather();
        let ops = workload_patch(scope, service, deployment, run, true, &mut origins);
        overlay.patch(
            &format!("deployment-{}-patch.yaml", run.colour.as_str()),
            Value::Array(ops),
            json!({
                "group": "apps",
                "version": "v1",
                "kind": "Deployment",
                "name": colour_name(&service.name, run.colour),
            }),
            origins,
        );
    }
    let mut origins = overlay.tree.gather();
    origins.node(0, &[], || state_keys(service, deployment, &["live"]));
    overlay.patch(
        "service-patch.yaml",
        json!([{ "op": "add", "path": "/spec/selector/version", "value": deployment.live.as_str() }]),
        json!({ "version": "v1", "kind": "Service", "name": service.name }),
        origins,
    );
    // A routed service keeps its preview Service whatever its state, so the environment's
    // preview Ingress never changes with a release: only this Service's selector does.
    let idle = deployment.idle_run().map(|run| run.colour);
    let routed = service.route.is_some();
    if let Some(colour) = idle.or(routed.then_some(deployment.live)) {
        let mut origins = overlay.tree.gather();
        origins.node(0, &[], || {
            let mut keys = state_keys(service, deployment, &["live"]);
            if idle.is_none() {
                keys.push(key(&["services", &service.name, "route"]));
            }
            keys
        });
        overlay.resource(
            "service-preview.yaml",
            vec![preview_service(service, Some(colour))],
            origins,
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
        let origins = autoscaler_origins(overlay, hpas.len());
        overlay.resource("hpa.yaml", hpas, origins);
    }
}

/// A kind that rolls in place: its one workload gets this environment's image and settings,
/// and what its kind decides per environment.
fn in_place_workload(
    overlay: &mut Overlay<'_>,
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    deployment: &Deployment,
) {
    let svc = service.name.as_str();
    let env = deployment.environment.as_str();
    let kind = service.kind.object_kind();
    let workload = OneWorkload {
        file: format!("{}-patch.yaml", kind.to_ascii_lowercase()),
        api_version: if service.kind.runs_to_completion() {
            "batch/v1"
        } else {
            "apps/v1"
        },
        kind,
    };
    one_workload(overlay, scope, service, deployment, &workload, |push| {
        if deployment.suspend {
            push(
                json!({ "op": "add", "path": "/spec/suspend", "value": true }),
                vec![key(&["services", svc, "overrides", env, "suspend"])],
            );
        }
        if let Some(partition) = deployment.partition {
            push(
                json!({
                    "op": "add",
                    "path": "/spec/updateStrategy/rollingUpdate",
                    "value": { "partition": partition },
                }),
                vec![key(&["services", svc, "overrides", env, "partition"])],
            );
        }
        if !deployment.claims.is_empty() {
            let claims: Vec<Value> = deployment.claims.iter().map(volume_claim).collect();
            let mut found = vec![key(&["services", svc, "overrides", env, "storage"])];
            found.extend(
                deployment
                    .claims
                    .iter()
                    .map(|claim| key(&["services", svc, "storage", &claim.name])),
            );
            push(
                json!({ "op": "add", "path": "/spec/volumeClaimTemplates", "value": claims }),
                found,
            );
        }
    });
}

/// The one workload of a service that runs no colours: its patch file, and what it is.
struct OneWorkload {
    file: String,
    api_version: &'static str,
    kind: &'static str,
}

/// The one workload gets this environment's image and settings, then what `more` adds (each
/// operation with the keys it comes from), and its autoscaler.
fn one_workload(
    overlay: &mut Overlay<'_>,
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    deployment: &Deployment,
    workload: &OneWorkload,
    more: impl FnOnce(&mut dyn FnMut(Value, Vec<Origin>)),
) {
    let mut origins = overlay.tree.gather();
    let run = deployment.live_run();
    let mut ops = workload_patch(scope, service, deployment, run, false, &mut origins);
    more(&mut |op: Value, found: Vec<Origin>| {
        let at = ops.len().to_string();
        origins.node(0, &[&at], || found);
        ops.push(op);
    });
    let (group, version) = workload
        .api_version
        .rsplit_once('/')
        .unwrap_or(("", workload.api_version));
    overlay.patch(
        &workload.file,
        Value::Array(ops),
        json!({
            "group": group,
            "version": version,
            "kind": workload.kind,
            "name": service.name,
        }),
        origins,
    );
    if let Some(hpa) = &deployment.autoscaling {
        let documents = vec![autoscaler(
            service,
            hpa,
            &service.name,
            workload.api_version,
            workload.kind,
        )];
        let origins = autoscaler_origins(overlay, documents.len());
        overlay.resource("hpa.yaml", documents, origins);
    }
}

/// The claim each pod of a statefulset makes for one of its volumes.
fn volume_claim(claim: &crate::model::StorageClaim) -> Value {
    let mut spec = json!({
        "accessModes": ["ReadWriteOnce"],
        "resources": { "requests": { "storage": claim.size } },
    });
    if let Some(class) = &claim.class {
        spec["storageClassName"] = json!(class);
    }
    json!({ "metadata": { "name": claim.name }, "spec": spec })
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
    let workload = OneWorkload {
        file: "rollout-patch.yaml".to_owned(),
        api_version: "argoproj.io/v1alpha1",
        kind: "Rollout",
    };
    one_workload(overlay, scope, service, deployment, &workload, |push| {
        push(
            rollout::namespace_argument(&rollout.kind, &deployment.namespace),
            namespace_keys(deployment),
        );
    });
}

/// JSON 6902 operations that give one colour's Deployment its image, version label, base
/// image labels, replicas, resources and variables in this environment; what each comes from
/// goes to `origins`.
fn workload_patch(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    deployment: &Deployment,
    run: &ColourRun,
    coloured: bool,
    origins: &mut Gathered,
) -> Vec<Value> {
    let svc = service.name.as_str();
    let template = service.kind.pod_template_pointer();
    let container = format!("{template}/spec/containers/0");
    let mut ops = Patch {
        ops: Vec::new(),
        origins,
    };
    let version = || {
        let mut found = Vec::new();
        if coloured {
            found.extend(state_keys(service, deployment, &[run.colour.as_str()]));
        }
        found.extend(state_keys(service, deployment, &[]));
        found.push(key(&["services", svc, "version"]));
        found
    };
    image_ops(&mut ops, service, run, &template, version);
    if is_label_value(&run.image.tag) {
        for labels in [
            "/metadata/labels".to_owned(),
            format!("{template}/metadata/labels"),
        ] {
            ops.push(
                json!({
                    "op": "add",
                    "path": format!("{labels}/app.kubernetes.io~1version"),
                    "value": run.image.tag,
                }),
                version,
            );
        }
    }
    for op in run
        .base
        .iter()
        .flat_map(|base| base_image_ops(base, &template))
    {
        ops.push(op, || {
            vec![
                key(&["services", svc, "built_on", &run.image.tag]),
                key(&["services", svc, "base"]),
            ]
        });
    }
    if let Some(op) = config_files::volume_op(service, deployment, &template) {
        let config = deployment.config.as_ref();
        ops.push(op, || {
            config.map_or_else(Vec::new, |c| config_files::entry_keys(service, c))
        });
    }
    if let Some(op) = super::identity::pod_label(deployment.identity.as_ref(), &template) {
        ops.push(op, || super::identity::identity_keys(service, deployment));
    }
    if service.kind.has_replicas() {
        ops.push(
            json!({ "op": "replace", "path": "/spec/replicas", "value": deployment.replicas }),
            || vec![setting(service, deployment, &["replicas"])],
        );
    }
    let r = &deployment.resources;
    let mut limits = Map::new();
    if let Some(cpu) = &r.cpu_limit {
        limits.insert("cpu".into(), json!(cpu));
    }
    if let Some(memory) = &r.memory_limit {
        limits.insert("memory".into(), json!(memory));
    }
    ops.push(
        json!({
            "op": "add",
            "path": format!("{container}/resources"),
            "value": { "requests": { "cpu": r.cpu, "memory": r.memory }, "limits": limits },
        }),
        || vec![setting(service, deployment, &["resources"])],
    );
    let colour = coloured.then_some(run.colour);
    super::scheduling::ops(service, deployment, colour, &mut ops);
    let telemetry = telemetry_env(scope, service, deployment, run, coloured);
    variable_ops(service, deployment, &telemetry, &mut ops);
    ops.ops
}

/// The operations that give the container its variables (fleetc's telemetry, the spec's,
/// those read from the service's Secret) and the annotation that restarts it when the Secret
/// changes.
fn variable_ops(
    service: &ServiceModel,
    deployment: &Deployment,
    telemetry: &IndexMap<String, String>,
    ops: &mut Patch<'_>,
) {
    let svc = service.name.as_str();
    let container = format!("{}/spec/containers/0", service.kind.pod_template_pointer());
    // fleetc's telemetry first (a value of the spec's for one of them takes its place), then
    // what the pod says of itself and what the secret store holds, then the spec's own: so
    // `$(NAME)` in a value of `env` expands to any of the others.
    let mut leading = telemetry.clone();
    let mut own: IndexMap<String, String> = IndexMap::new();
    for (name, value) in &deployment.env {
        // Merged into fleetc's own attributes (validation refuses one of the same key).
        if name == otel::RESOURCE_ATTRIBUTES && leading.contains_key(name) {
            continue;
        }
        let block = if leading.contains_key(name) {
            &mut leading
        } else {
            &mut own
        };
        block.insert(name.clone(), value.clone());
    }
    let literal = |(name, value): (&String, &String)| json!({ "name": name, "value": value });
    let variable_origins = |name: &str| {
        let mut found = Vec::new();
        if deployment.env.contains_key(name) {
            found.push(setting(service, deployment, &["env", name]));
        }
        if telemetry.contains_key(name) {
            found.push(key(&["observability"]));
        }
        found
    };
    let mut vars: Vec<Value> = leading.iter().map(literal).collect();
    let mut variables: Vec<Vec<Origin>> = Vec::new();
    let recording = ops.origins.is_on();
    if recording {
        variables.extend(leading.keys().map(|name| variable_origins(name)));
    }
    vars.extend(
        service
            .pod_env
            .iter()
            .map(|(name, path)| pod_variable(name, path)),
    );
    if recording {
        variables.extend(
            service
                .pod_env
                .keys()
                .map(|name| vec![key(&["services", svc, "pod_env", name])]),
        );
    }
    if let Some(secrets) = &deployment.secrets {
        vars.extend(external_secret::variables(service, secrets));
        if recording {
            let as_variables = secrets
                .variables
                .keys()
                .filter(|name| !service.secret_files.values().any(|v| v == *name));
            variables.extend(as_variables.map(|name| {
                vec![
                    setting(service, deployment, &["secrets", name]),
                    key(&["services", svc, "secrets"]),
                ]
            }));
        }
        ops.push(
            json!({
                "op": "add",
                "path": "/metadata/annotations",
                "value": { external_secret::RELOAD_ANNOTATION: secrets.target },
            }),
            || vec![key(&["services", svc, "secrets"])],
        );
    }
    vars.extend(own.iter().map(literal));
    if recording {
        variables.extend(own.keys().map(|name| variable_origins(name)));
    }
    if !vars.is_empty() {
        let at = ops.ops.len().to_string();
        for (index, found) in variables.into_iter().enumerate() {
            let index = index.to_string();
            ops.origins.node(0, &[&at, "value", &index], || found);
        }
        ops.push(
            json!({ "op": "add", "path": format!("{container}/env"), "value": vars }),
            || keys_of_variables(svc),
        );
    }
}

/// A variable the pod gives its container: one of its fields, or a resource of the container.
fn pod_variable(name: &str, path: &str) -> Value {
    let from = match PodField::parse(path) {
        Ok(PodField::Resource(resource)) => json!({ "resourceFieldRef": { "resource": resource } }),
        // Validation refused any other path.
        _ => json!({ "fieldRef": { "fieldPath": path } }),
    };
    json!({ "name": name, "valueFrom": from })
}

fn keys_of_variables(svc: &str) -> Vec<Origin> {
    vec![key(&["services", svc, "env"]), key(&["defaults", "env"])]
}

/// The image every container of the service's own image runs in this workload, and when
/// nodes pull it.
fn image_ops(
    ops: &mut Patch<'_>,
    service: &ServiceModel,
    run: &ColourRun,
    template: &str,
    version: impl Fn() -> Vec<Origin> + Copy,
) {
    let svc = service.name.as_str();
    ops.push(
        json!({
            "op": "replace",
            "path": format!("{template}/spec/containers/0/image"),
            "value": run.image.reference(),
        }),
        version,
    );
    // A digest names one image for ever: once on the node, pulling it again finds nothing new.
    // A tag can be moved, so the base pulls it `Always`, unless the spec says otherwise.
    let pull = service.pull.unwrap_or(if run.image.digest.is_some() {
        PullPolicy::IfNotPresent
    } else {
        PullPolicy::Always
    });
    if pull != PullPolicy::Always {
        ops.push(
            json!({
                "op": "replace",
                "path": format!("{template}/spec/containers/0/imagePullPolicy"),
                "value": pull.as_kubernetes(),
            }),
            move || {
                let mut found = vec![key(&["services", svc, "pull"])];
                found.extend(version());
                found
            },
        );
    }
    // Sidecars and init containers of the service's own image run the same version.
    for (index, extra) in service.extra_containers.iter().enumerate() {
        if extra.image.is_some() {
            continue;
        }
        let at = format!("{template}/spec/initContainers/{index}");
        ops.push(
            json!({ "op": "replace", "path": format!("{at}/image"), "value": run.image.reference() }),
            version,
        );
        if pull != PullPolicy::Always {
            ops.push(
                json!({
                    "op": "replace",
                    "path": format!("{at}/imagePullPolicy"),
                    "value": pull.as_kubernetes(),
                }),
                version,
            );
        }
    }
}

/// The bounds of each autoscaler in an overlay's `hpa.yaml`: the lower one is the replicas.
fn autoscaler_origins(overlay: &Overlay<'_>, count: usize) -> Gathered {
    let (service, deployment) = (overlay.service, overlay.deployment);
    let mut origins = overlay.tree.gather();
    for document in 0..count {
        origins.node(document, &["spec", "maxReplicas"], || {
            vec![setting(service, deployment, &["autoscaling", "max"])]
        });
        origins.node(document, &["spec", "minReplicas"], || {
            vec![setting(service, deployment, &["replicas"])]
        });
    }
    origins
}

/// The pod's base image labels and reference: the base this colour's version was built on,
/// which stays until a new version is released, whatever `base` says the next build uses.
/// `kubectl get pods -A -l fleetc.io/base-image=python,fleetc.io/base-version=3.11` finds the
/// pods, and the cluster policy denies those on a blocked version.
fn base_image_ops(base: &BaseRef, template: &str) -> [Value; 3] {
    let mut reference = format!("{}:{}", base.image, base.version);
    if let Some(digest) = &base.digest {
        reference.push('@');
        reference.push_str(digest);
    }
    let labels = format!("{template}/metadata/labels");
    [
        json!({ "op": "add", "path": format!("{labels}/fleetc.io~1base-image"), "value": base.name }),
        json!({ "op": "add", "path": format!("{labels}/fleetc.io~1base-version"), "value": base.version }),
        json!({
            "op": "add",
            "path": format!("{template}/metadata/annotations"),
            "value": { "fleetc.io/base-image-ref": reference },
        }),
    ]
}

/// The OpenTelemetry SDK environment: who is speaking (service, version, environment, colour
/// as resource attributes, then the service's own), where to, with W3C propagation and
/// parent-based sampling. A service's own endpoint and protocol replace fleetc's where
/// validation found them to agree.
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
    if let Some(own) = deployment.env.get(otel::RESOURCE_ATTRIBUTES)
        && !own.is_empty()
    {
        attributes.push(',');
        attributes.push_str(own);
    }
    let values = [
        service.name.clone(),
        attributes,
        telemetry.endpoint.clone(),
        telemetry.protocol.to_owned(),
        "tracecontext,baggage".to_owned(),
        "parentbased_traceidratio".to_owned(),
        ratio.to_string(),
    ];
    for (name, value) in otel::WRITTEN.into_iter().zip(values) {
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
