//! The services one place deploys, read from its objects: each workload with what the spec
//! can say of it, and, field by field, what it cannot say yet. Nothing is dropped unseen:
//! what is read is taken out of a copy of the object, and whatever remains is left over.

mod claims;
mod container;
mod fields;
mod found;
mod ports;
mod sidecars;
mod volumes;

use serde_json::Value;

pub(crate) use self::claims::objects_of;
use self::claims::{
    claim_autoscaler, claim_budget, claim_ingress, claim_network_policy, claim_service,
    identity_of, selects, served,
};
use self::container::container;
use self::fields::{leftovers, take, take_str};
pub(crate) use self::found::{Found, LeftOver, kind_of, object_name};
use self::found::{WORKLOADS, name_of, pod_path};

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
            "ConfigMap" => found
                .iter()
                .any(|f| f.config_maps.iter().any(|m| m == name_of(object))),
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
    // The team that owns it, where a label says.
    for label in ["team", "owner", "app.kubernetes.io/team"] {
        if found.team.is_none() {
            found.team = take_str(&mut rest, &["metadata", "labels", label]);
        }
    }
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
    containers(&mut rest, object, objects, &mut found);
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
    fit_to_kind(&mut found, object);
    found
}

/// What the spec cannot say of the service's kind goes back to the left over: a worker
/// serves no port, and a job or cron job, which runs to completion, has no probes.
fn fit_to_kind(found: &mut Found, object: &Value) {
    let container = format!("{}.spec.containers[0]", pod_path(kind_of(object)).join("."));
    let mut back = |field: &str| {
        found.left_over.push(LeftOver {
            object: object_name(object),
            field: format!("{container}.{field}"),
        });
    };
    if found.kind == "worker" && (found.port.is_some() || !found.ports.is_empty()) {
        back("ports");
        (found.port, found.ports) = (None, Vec::new());
    }
    if matches!(found.kind, "cronjob" | "job") {
        for (kind, _) in std::mem::take(&mut found.probes) {
            back(&format!("{kind}Probe"));
        }
        if found.metrics_port.take().is_some() {
            back("ports");
        }
    }
}

/// Reads the service's own container (the first) with its volumes; another container is left
/// over whole.
fn containers(rest: &mut Value, object: &Value, objects: &[Value], found: &mut Found) {
    let pod = pod_path(kind_of(object));
    let containers = [pod, &["spec", "containers"]].concat();
    let Some(Value::Array(mut list)) = take(rest, &containers) else {
        return;
    };
    if list.is_empty() {
        return;
    }
    let mut main = list.remove(0);
    let services: Vec<&Value> = objects
        .iter()
        .filter(|o| kind_of(o) == "Service" && selects(&o["spec"]["selector"], object))
        .collect();
    container(&mut main, found, &ports::exposed(&services));
    volumes::read_volumes(rest, &mut main, pod, found, objects);
    let path = containers.join(".");
    let object = object_name(object);
    leftovers(&main, &format!("{path}[0]"), &mut found.left_over, &object);
    for (index, other) in list.iter().enumerate() {
        if let Some(read) = sidecars::sidecar(other) {
            found.sidecars.push(read);
            continue;
        }
        let name = other["name"].as_str().unwrap_or("?");
        found.left_over.push(LeftOver {
            object: object.clone(),
            field: format!("{path}[{}] ({name})", index + 1),
        });
    }
    let init = [pod, &["spec", "initContainers"]].concat();
    let Some(Value::Array(list)) = take(rest, &init) else {
        return;
    };
    let path = init.join(".");
    for (index, mut other) in list.into_iter().enumerate() {
        // A native sidecar is an init container that keeps running.
        let native = other.get("restartPolicy") == Some(&Value::from("Always"));
        if native {
            take(&mut other, &["restartPolicy"]);
        }
        match sidecars::sidecar(&other) {
            Some(read) if native => found.sidecars.push(read),
            Some(read) => found.init_containers.push(read),
            None => found.left_over.push(LeftOver {
                object: object.clone(),
                field: format!(
                    "{path}[{index}] ({})",
                    other["name"].as_str().unwrap_or("?")
                ),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
    fn a_deployment_no_service_selects_is_a_worker_and_a_container_with_mounts_is_left_over() {
        let mut worker = deployment("mailer", &json!({}));
        let plain = json!({ "name": "envoy", "image": "envoyproxy/envoy:v1.31" });
        let mounted = json!({ "name": "logs", "image": "fluent/fluent-bit:3.1",
            "volumeMounts": [{ "name": "logs", "mountPath": "/var/log" }] });
        let containers = worker["spec"]["template"]["spec"]["containers"]
            .as_array_mut()
            .unwrap();
        containers.push(plain);
        containers.push(mounted);
        let (found, _) = services(&[worker]);
        assert_eq!(found[0].kind, "worker");
        assert_eq!(found[0].sidecars[0].name, "envoy");
        assert_eq!(found[0].port, None, "a worker serves no port");
        assert!(found[0].left_over.contains(&LeftOver {
            object: "Deployment/mailer".into(),
            field: "spec.template.spec.containers[0].ports".into()
        }));
        assert_eq!(
            found[0].left_over[0].field,
            "spec.template.spec.containers[2] (logs)"
        );
    }

    #[test]
    fn routes_autoscaling_and_callers_are_read_from_the_objects_naming_the_service() {
        let objects = vec![
            deployment("cart", &json!({})),
            deployment("web", &json!({})),
            json!({ "apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": { "name": "shop" },
                    "spec": { "rules": [{ "http": { "paths": [
                        { "path": "/cart", "backend": { "service": { "name": "cart" } } },
                        { "path": "/basket", "backend": { "service": { "name": "cart" } } }] } }] } }),
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
        assert!(
            found[0].left_over.contains(&LeftOver {
                object: "Ingress/shop".into(),
                field: "spec.rules (path /basket)".into()
            }),
            "a second path to one service is left over: {:?}",
            found[0].left_over
        );
        assert_eq!(found[0].autoscaling, Some((2, 6, Some(70))));
        assert_eq!(found[1].depends_on, ["cart"]);
    }
}
