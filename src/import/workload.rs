//! The services one place deploys, read from its objects: each workload with what the spec
//! can say of it, and, field by field, what it cannot say yet. Nothing is dropped unseen:
//! what is read is taken out of a copy of the object, and whatever remains is left over.

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// What a spec says of a service in one place.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Found {
    pub name: String,
    /// `deployment`, `worker`, `statefulset`, `cronjob` or `job`.
    pub kind: &'static str,
    /// The image repository and the tag (`tag` or `tag@sha256:…`).
    pub image: String,
    pub version: String,
    pub replicas: Option<i64>,
    pub cpu: Option<String>,
    pub memory: Option<String>,
    pub cpu_limit: Option<String>,
    pub memory_limit: Option<String>,
    pub port: Option<i64>,
    pub env: IndexMap<String, String>,
    /// Variable → `secret#key`, from `secretKeyRef`s.
    pub secrets: IndexMap<String, String>,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    pub schedule: Option<String>,
    pub timezone: Option<String>,
    pub route: Option<String>,
    pub autoscaling: Option<(i64, i64, Option<i64>)>,
    pub depends_on: Vec<String>,
    /// Each probe of the container (`liveness`, `readiness`, `startup`) the spec can say, as
    /// its inline table; a kind the container has no probe of is absent.
    pub probes: Vec<(&'static str, String)>,
    /// Whether the container had probes the spec cannot say (they are left over).
    pub probes_left: bool,
    /// The cloud identity of the pods' ServiceAccount: its key in `identity` and the value.
    pub identity: Option<(&'static str, String)>,
    /// The ServiceAccount the identity was read from.
    pub account: Option<String>,
    /// A PodDisruptionBudget of the pods: `min_available` or `max_unavailable`, and the value.
    pub disruption: Option<(&'static str, Value)>,
    /// The fields of the place's objects the spec cannot say yet, by object and path.
    pub left_over: Vec<LeftOver>,
}

/// A field of an object the spec does not say: it goes to the service's escape hatch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LeftOver {
    /// `Kind/name` of the object.
    pub object: String,
    /// The field's path in the object (`spec.template.spec.volumes`), empty for a whole object.
    pub field: String,
}

const WORKLOADS: [&str; 4] = ["Deployment", "StatefulSet", "CronJob", "Job"];

/// The services of one place's `objects`.
pub(crate) fn services(objects: &[Value]) -> (Vec<Found>, Vec<LeftOver>) {
    let mut found: Vec<Found> = objects
        .iter()
        .filter(|o| WORKLOADS.contains(&kind_of(o)))
        .map(|o| workload(o, objects))
        .collect();
    let mut unclaimed = Vec::new();
    for object in objects {
        let kind = kind_of(object);
        if WORKLOADS.contains(&kind) {
            continue;
        }
        let claimed = match kind {
            "Service" => claim_service(object, objects, &mut found),
            "Ingress" => claim_ingress(object, &mut found),
            "HorizontalPodAutoscaler" => claim_autoscaler(object, &mut found),
            "NetworkPolicy" => claim_network_policy(object, objects, &mut found),
            "PodDisruptionBudget" => claim_budget(object, objects, &mut found),
            "ServiceAccount" => found
                .iter()
                .any(|f| f.account.as_deref() == Some(name_of(object))),
            _ => false,
        };
        if !claimed {
            unclaimed.push(LeftOver {
                object: object_name(object),
                field: String::new(),
            });
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    (found, unclaimed)
}

/// The objects of a place that belong to the service `name`: its workload, the Services
/// selecting its pods, and its autoscaler and drain budget.
pub(crate) fn objects_of<'a>(name: &str, objects: &'a [Value]) -> Vec<&'a Value> {
    let Some(workload) = objects
        .iter()
        .find(|o| WORKLOADS.contains(&kind_of(o)) && name_of(o) == name)
    else {
        return Vec::new();
    };
    let mut owned = vec![workload];
    for object in objects {
        let belongs = match kind_of(object) {
            "Service" => selects(&object["spec"]["selector"], workload),
            "PodDisruptionBudget" => object
                .pointer("/spec/selector/matchLabels")
                .is_some_and(|labels| selects(labels, workload)),
            "HorizontalPodAutoscaler" => {
                object
                    .pointer("/spec/scaleTargetRef/name")
                    .and_then(Value::as_str)
                    == Some(name)
            }
            _ => false,
        };
        if belongs {
            owned.push(object);
        }
    }
    owned
}

pub(crate) fn kind_of(object: &Value) -> &str {
    object["kind"].as_str().unwrap_or_default()
}

fn name_of(object: &Value) -> &str {
    object["metadata"]["name"].as_str().unwrap_or_default()
}

pub(crate) fn object_name(object: &Value) -> String {
    format!("{}/{}", kind_of(object), name_of(object))
}

/// The pod template of a workload, and where it lies.
fn pod_path(kind: &str) -> &'static [&'static str] {
    match kind {
        "CronJob" => &["spec", "jobTemplate", "spec", "template"],
        _ => &["spec", "template"],
    }
}

fn workload(object: &Value, objects: &[Value]) -> Found {
    let kind = kind_of(object);
    let mut rest = object.clone();
    let mut found = Found {
        name: name_of(object).to_owned(),
        kind: match kind {
            "StatefulSet" => "statefulset",
            "CronJob" => "cronjob",
            "Job" => "job",
            _ if served(object, objects) => "deployment",
            _ => "worker",
        },
        ..Found::default()
    };
    for field in ["apiVersion", "kind"] {
        take(&mut rest, &[field]);
    }
    take(&mut rest, &["metadata", "name"]);
    take(&mut rest, &["metadata", "namespace"]);
    found.replicas = take(&mut rest, &["spec", "replicas"]).and_then(|v| v.as_i64());
    take(&mut rest, &["spec", "selector"]);
    found.schedule = take_str(&mut rest, &["spec", "schedule"]);
    found.timezone = take_str(&mut rest, &["spec", "timeZone"]);
    let pod = pod_path(kind);
    take(&mut rest, &[pod, &["metadata", "labels"]].concat());
    if kind == "CronJob" || kind == "Job" {
        let restart = [pod, &["spec", "restartPolicy"]].concat();
        take(&mut rest, &restart);
    }
    let containers = [pod, &["spec", "containers"]].concat();
    if let Some(Value::Array(mut list)) = take(&mut rest, &containers)
        && !list.is_empty()
    {
        let mut main = list.remove(0);
        container(&mut main, &mut found);
        let path = containers.join(".");
        let object = object_name(object);
        leftovers(&main, &format!("{path}[0]"), &mut found.left_over, &object);
        for (index, other) in list.iter().enumerate() {
            let name = other["name"].as_str().unwrap_or("?");
            found.left_over.push(LeftOver {
                object: object.clone(),
                field: format!("{path}[{}] ({name})", index + 1),
            });
        }
    }
    let account = [pod, &["spec", "serviceAccountName"]].concat();
    if let Some(account) = rest
        .pointer(&format!("/{}", account.join("/")))
        .and_then(Value::as_str)
        && let Some(identity) = identity_of(account, objects)
    {
        found.identity = Some(identity);
        found.account = Some(account.to_owned());
        take(&mut rest, &[pod, &["spec", "serviceAccountName"]].concat());
    }
    leftovers(&rest, "", &mut found.left_over, &object_name(object));
    found
}

/// The annotations of a ServiceAccount that give pods a cloud identity, by the spec's key.
const IDENTITIES: [(&str, &str); 3] = [
    ("eks.amazonaws.com/role-arn", "aws_role"),
    ("iam.gke.io/gcp-service-account", "gcp_service_account"),
    ("azure.workload.identity/client-id", "azure_client_id"),
];

/// The identity the ServiceAccount `name` gives, when it gives one and says nothing else.
fn identity_of(name: &str, objects: &[Value]) -> Option<(&'static str, String)> {
    let account = objects
        .iter()
        .find(|o| kind_of(o) == "ServiceAccount" && name_of(o) == name)?;
    let annotations = account["metadata"]["annotations"].as_object()?;
    let [(annotation, value)] = annotations.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let (_, key) = IDENTITIES.iter().find(|(known, _)| known == annotation)?;
    Some((key, value.as_str()?.to_owned()))
}

/// Reads the service's own container into `found`, taking out what it reads.
fn container(main: &mut Value, found: &mut Found) {
    take(main, &["name"]);
    let image = take_str(main, &["image"]).unwrap_or_default();
    (found.image, found.version) = split_image(&image);
    found.command = take(main, &["command"]).as_ref().and_then(strings);
    found.args = take(main, &["args"]).as_ref().and_then(strings);
    found.cpu = take_str(main, &["resources", "requests", "cpu"]);
    found.memory = take_str(main, &["resources", "requests", "memory"]);
    found.cpu_limit = take_str(main, &["resources", "limits", "cpu"]);
    found.memory_limit = take_str(main, &["resources", "limits", "memory"]);
    if let Some(Value::Array(ports)) = main.pointer("/ports").cloned()
        && ports.len() == 1
    {
        found.port = ports[0]["containerPort"].as_i64();
        take(main, &["ports"]);
    }
    for (field, kind) in [
        ("livenessProbe", "liveness"),
        ("readinessProbe", "readiness"),
        ("startupProbe", "startup"),
    ] {
        let Some(probe) = main.get(field) else {
            continue;
        };
        match probe_text(probe, found.port) {
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

/// A probe as the spec's inline table, when the spec can say it: an HTTP GET or a TCP
/// connection on the container's one port, or a command, with its timings.
fn probe_text(probe: &Value, port: Option<i64>) -> Option<String> {
    let object = probe.as_object()?;
    let on_port = |at: &Value| at.as_i64().is_some_and(|n| Some(n) == port) || at == "http";
    let mut parts = Vec::new();
    let mut known = 0;
    if let Some(get) = object.get("httpGet") {
        let path = get["path"].as_str()?;
        let fields = get.as_object()?.len();
        if !on_port(&get["port"]) || fields != 2 {
            return None;
        }
        parts.push(format!(
            "http = {}",
            toml_edit::Value::from(path).to_string().trim()
        ));
        known += 1;
    } else if let Some(tcp) = object.get("tcpSocket") {
        if !on_port(&tcp["port"]) || tcp.as_object()?.len() != 1 {
            return None;
        }
        parts.push("tcp = \"http\"".to_owned());
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
        parts.push(format!("exec = [{}]", quoted.join(", ")));
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
            parts.push(format!("{key} = {}", value.as_i64()?));
            known += 1;
        }
    }
    (known == object.len()).then(|| format!("{{ {} }}", parts.join(", ")))
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
    (repository.to_owned(), version)
}

fn strings(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Whether a Service selects the workload's pods.
fn served(workload: &Value, objects: &[Value]) -> bool {
    objects
        .iter()
        .filter(|o| kind_of(o) == "Service")
        .any(|service| selects(&service["spec"]["selector"], workload))
}

/// Whether the label `selector` (a plain map) picks the pods of `workload`.
fn selects(selector: &Value, workload: &Value) -> bool {
    let labels = workload.pointer(&format!(
        "/{}/metadata/labels",
        pod_path(kind_of(workload)).join("/")
    ));
    let (Some(selector), Some(labels)) = (selector.as_object(), labels.and_then(Value::as_object))
    else {
        return false;
    };
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

fn claim_service(service: &Value, objects: &[Value], found: &mut [Found]) -> bool {
    objects
        .iter()
        .filter(|o| WORKLOADS.contains(&kind_of(o)))
        .find(|w| selects(&service["spec"]["selector"], w))
        .and_then(|w| found.iter_mut().find(|f| f.name == name_of(w)))
        .is_some()
}

fn claim_ingress(ingress: &Value, found: &mut [Found]) -> bool {
    let mut claimed = false;
    for rule in ingress["spec"]["rules"].as_array().into_iter().flatten() {
        for path in rule
            .pointer("/http/paths")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let backend = path
                .pointer("/backend/service/name")
                .and_then(Value::as_str);
            if let Some(service) = found.iter_mut().find(|f| Some(f.name.as_str()) == backend) {
                service.route = path["path"].as_str().map(str::to_owned);
                claimed = true;
            }
        }
    }
    claimed
}

fn claim_autoscaler(hpa: &Value, found: &mut [Found]) -> bool {
    let target = hpa
        .pointer("/spec/scaleTargetRef/name")
        .and_then(Value::as_str);
    let Some(service) = found.iter_mut().find(|f| Some(f.name.as_str()) == target) else {
        return false;
    };
    let cpu = hpa["spec"]["metrics"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|metric| {
            (metric.pointer("/resource/name") == Some(&Value::from("cpu")))
                .then(|| {
                    metric
                        .pointer("/resource/target/averageUtilization")
                        .and_then(Value::as_i64)
                })
                .flatten()
        });
    service.autoscaling = Some((
        hpa["spec"]["minReplicas"].as_i64().unwrap_or(1),
        hpa["spec"]["maxReplicas"].as_i64().unwrap_or(1),
        cpu,
    ));
    true
}

/// A budget of one workload's pods that says only how many may go.
fn claim_budget(budget: &Value, objects: &[Value], found: &mut [Found]) -> bool {
    let spec = &budget["spec"];
    let Some(labels) = spec.pointer("/selector/matchLabels") else {
        return false;
    };
    let keys = spec.as_object().map_or(0, Map::len);
    let setting = ["minAvailable", "maxUnavailable"]
        .iter()
        .zip(["min_available", "max_unavailable"])
        .find_map(|(field, key)| spec.get(*field).map(|value| (key, value.clone())));
    let (Some(setting), 2) = (setting, keys) else {
        return false;
    };
    let Some(workload) = objects
        .iter()
        .filter(|o| WORKLOADS.contains(&kind_of(o)))
        .find(|w| selects(labels, w))
    else {
        return false;
    };
    let Some(service) = found.iter_mut().find(|f| f.name == name_of(workload)) else {
        return false;
    };
    service.disruption = Some(setting);
    true
}

/// A policy letting pods of other services in says those services call this one.
fn claim_network_policy(policy: &Value, objects: &[Value], found: &mut [Found]) -> bool {
    let workloads: Vec<&Value> = objects
        .iter()
        .filter(|o| WORKLOADS.contains(&kind_of(o)))
        .collect();
    let selected = |selector: &Value| -> Option<String> {
        let labels = selector.get("matchLabels")?;
        workloads
            .iter()
            .find(|w| selects(labels, w))
            .map(|w| name_of(w).to_owned())
    };
    let Some(target) = selected(&policy["spec"]["podSelector"]) else {
        return false;
    };
    let mut callers = Vec::new();
    for rule in policy["spec"]["ingress"].as_array().into_iter().flatten() {
        for from in rule["from"].as_array().into_iter().flatten() {
            if let Some(caller) = from.get("podSelector").and_then(selected) {
                callers.push(caller);
            }
        }
    }
    for caller in callers {
        if let Some(service) = found.iter_mut().find(|f| f.name == caller)
            && !service.depends_on.contains(&target)
        {
            service.depends_on.push(target.clone());
        }
    }
    true
}

/// Takes the value at `path` out of `value`, removing the maps it leaves empty.
fn take(value: &mut Value, path: &[&str]) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut chain: Vec<&str> = Vec::new();
    let mut at = &mut *value;
    for part in parents {
        at = at.get_mut(*part)?;
        chain.push(part);
    }
    let taken = at.as_object_mut()?.remove(*last);
    prune(value, parents);
    taken
}

fn take_str(value: &mut Value, path: &[&str]) -> Option<String> {
    take(value, path).and_then(|v| {
        v.as_str()
            .map(str::to_owned)
            .or_else(|| Some(v.to_string()))
    })
}

/// Removes the empty maps on `path`, deepest first.
fn prune(value: &mut Value, path: &[&str]) {
    for depth in (1..=path.len()).rev() {
        let (last, parents) = path[..depth].split_last().expect("depth ≥ 1");
        let mut at = &mut *value;
        for part in parents {
            let Some(next) = at.get_mut(*part) else {
                return;
            };
            at = next;
        }
        let empty = at
            .get(*last)
            .is_some_and(|v| v.as_object().is_some_and(Map::is_empty));
        if empty && let Some(map) = at.as_object_mut() {
            map.remove(*last);
        }
    }
}

/// Every leaf left in `rest`, by path under `prefix`.
fn leftovers(rest: &Value, prefix: &str, out: &mut Vec<LeftOver>, object: &str) {
    match rest {
        Value::Object(map) if !map.is_empty() => {
            for (key, value) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                leftovers(value, &path, out, object);
            }
        }
        Value::Object(_) => {}
        _ => out.push(LeftOver {
            object: object.to_owned(),
            field: prefix.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_image_splits_into_repository_and_version() {
        assert_eq!(
            split_image("ghcr.io/acme/cart:1.4.2"),
            ("ghcr.io/acme/cart".into(), "1.4.2".into())
        );
        assert_eq!(
            split_image("localhost:5000/cart"),
            ("localhost:5000/cart".into(), "latest".into())
        );
        assert_eq!(
            split_image("postgres:16.4@sha256:abc"),
            ("postgres".into(), "16.4@sha256:abc".into())
        );
    }

    fn deployment(name: &str, extra: &Value) -> Value {
        let mut object = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": { "name": name, "namespace": "shop" },
            "spec": {
                "replicas": 2,
                "selector": { "matchLabels": { "app": name } },
                "template": {
                    "metadata": { "labels": { "app": name } },
                    "spec": { "containers": [{
                        "name": name, "image": format!("ghcr.io/acme/{name}:1.0.0"),
                        "ports": [{ "containerPort": 8080 }],
                        "env": [
                            { "name": "MODE", "value": "fast" },
                            { "name": "DB_PASSWORD", "valueFrom": { "secretKeyRef": { "name": "db", "key": "password" } } }
                        ]
                    }] }
                }
            }
        });
        if let (Some(spec), Some(extra)) =
            (object.pointer_mut("/spec/template/spec"), extra.as_object())
        {
            for (key, value) in extra {
                spec[key] = value.clone();
            }
        }
        object
    }

    #[test]
    fn a_served_deployment_is_read_and_what_is_left_is_named() {
        let objects = vec![
            deployment(
                "cart",
                &json!({ "volumes": [{ "name": "tmp", "emptyDir": {} }] }),
            ),
            json!({ "apiVersion": "v1", "kind": "Service", "metadata": { "name": "cart" },
                    "spec": { "selector": { "app": "cart" }, "ports": [{ "port": 80 }] } }),
            json!({ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "extra" } }),
        ];
        let (found, unclaimed) = services(&objects);
        let cart = &found[0];
        assert_eq!(
            (cart.kind, cart.image.as_str(), cart.version.as_str()),
            ("deployment", "ghcr.io/acme/cart", "1.0.0")
        );
        assert_eq!((cart.replicas, cart.port), (Some(2), Some(8080)));
        assert_eq!(cart.env["MODE"], "fast");
        assert_eq!(cart.secrets["DB_PASSWORD"], "db#password");
        assert_eq!(
            cart.left_over,
            [LeftOver {
                object: "Deployment/cart".into(),
                field: "spec.template.spec.volumes".into()
            }]
        );
        assert_eq!(
            unclaimed,
            [LeftOver {
                object: "ConfigMap/extra".into(),
                field: String::new()
            }]
        );
    }

    #[test]
    fn a_deployment_no_service_selects_is_a_worker_and_its_sidecar_is_left_over() {
        let mut worker = deployment("mailer", &json!({}));
        let sidecar = json!({ "name": "envoy", "image": "envoyproxy/envoy:v1.31" });
        worker["spec"]["template"]["spec"]["containers"]
            .as_array_mut()
            .unwrap()
            .push(sidecar);
        let (found, _) = services(&[worker]);
        assert_eq!(found[0].kind, "worker");
        assert_eq!(
            found[0].left_over[0].field,
            "spec.template.spec.containers[1] (envoy)"
        );
    }

    #[test]
    fn routes_autoscaling_and_callers_are_read_from_the_objects_naming_the_service() {
        let objects = vec![
            deployment("cart", &json!({})),
            deployment("web", &json!({})),
            json!({ "apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": { "name": "shop" },
                    "spec": { "rules": [{ "http": { "paths": [{ "path": "/cart", "backend": { "service": { "name": "cart" } } }] } }] } }),
            json!({ "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": { "name": "cart" },
                    "spec": { "scaleTargetRef": { "name": "cart" }, "minReplicas": 2, "maxReplicas": 6,
                              "metrics": [{ "type": "Resource", "resource": { "name": "cpu", "target": { "type": "Utilization", "averageUtilization": 70 } } }] } }),
            json!({ "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": { "name": "cart" },
                    "spec": { "podSelector": { "matchLabels": { "app": "cart" } },
                              "ingress": [{ "from": [{ "podSelector": { "matchLabels": { "app": "web" } } }] }] } }),
        ];
        let (found, unclaimed) = services(&objects);
        assert!(unclaimed.is_empty(), "{unclaimed:?}");
        assert_eq!(found[0].route.as_deref(), Some("/cart"));
        assert_eq!(found[0].autoscaling, Some((2, 6, Some(70))));
        assert_eq!(found[1].depends_on, ["cart"]);
    }
}
