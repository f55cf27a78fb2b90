//! The objects around a workload that say something of its service: the Services selecting
//! its pods, the Ingress paths to them, its autoscaler, its drain budget, the policies letting
//! other services in, and the ServiceAccount giving it a cloud identity.

use serde_json::{Map, Value};

use super::found::{Found, LeftOver, WORKLOADS, kind_of, name_of, pod_path};

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

/// The annotations of a ServiceAccount that give pods a cloud identity, by the spec's key.
const IDENTITIES: [(&str, &str); 3] = [
    ("eks.amazonaws.com/role-arn", "aws_role"),
    ("iam.gke.io/gcp-service-account", "gcp_service_account"),
    ("azure.workload.identity/client-id", "azure_client_id"),
];

/// The identity the ServiceAccount `name` gives, when it gives one and says nothing else.
pub(super) fn identity_of(name: &str, objects: &[Value]) -> Option<(&'static str, String)> {
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

/// Whether a Service selects the workload's pods.
pub(super) fn served(workload: &Value, objects: &[Value]) -> bool {
    objects
        .iter()
        .filter(|o| kind_of(o) == "Service")
        .any(|service| selects(&service["spec"]["selector"], workload))
}

/// Whether the label `selector` (a plain map) picks the pods of `workload`.
pub(super) fn selects(selector: &Value, workload: &Value) -> bool {
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

pub(super) fn claim_service(service: &Value, objects: &[Value], found: &mut [Found]) -> bool {
    objects
        .iter()
        .filter(|o| WORKLOADS.contains(&kind_of(o)))
        .find(|w| selects(&service["spec"]["selector"], w))
        .and_then(|w| found.iter_mut().find(|f| f.name == name_of(w)))
        .is_some()
}

pub(super) fn claim_ingress(ingress: &Value, found: &mut [Found]) -> bool {
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
                // A service has one route: any other path to it is left over.
                if service.route.is_some() {
                    let at = path["path"].as_str().unwrap_or_default();
                    service.left_over.push(LeftOver {
                        object: format!(
                            "Ingress/{}",
                            ingress["metadata"]["name"].as_str().unwrap_or_default()
                        ),
                        field: format!("spec.rules (path {at})"),
                    });
                    continue;
                }
                service.route = path["path"].as_str().map(str::to_owned);
                service.route_host = rule["host"].as_str().map(str::to_owned);
                claimed = true;
            }
        }
    }
    claimed
}

pub(super) fn claim_autoscaler(hpa: &Value, found: &mut [Found]) -> bool {
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
pub(super) fn claim_budget(budget: &Value, objects: &[Value], found: &mut [Found]) -> bool {
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
pub(super) fn claim_network_policy(policy: &Value, objects: &[Value], found: &mut [Found]) -> bool {
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
            // Its own pods calling each other say nothing of what it depends on.
            if let Some(caller) = from.get("podSelector").and_then(selected)
                && caller != target
            {
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
