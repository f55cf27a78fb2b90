//! The parts every Kyverno policy fleetc writes is made of: the policy, a rule over the
//! environment's pods, and how a rule leaves out what must not be judged.

use serde_json::{Value, json};

use crate::model::{EnvironmentModel, Model};
use crate::naming::table;

pub(crate) fn policy(
    model: &Model,
    env: &EnvironmentModel,
    name: &str,
    description: &str,
    rules: Vec<Value>,
) -> Value {
    json!({
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {
            "name": table::POLICY.build(&[&model.enterprise.name, &env.name, name]),
            "labels": {
                "app.kubernetes.io/part-of": model.enterprise.name,
                "app.kubernetes.io/managed-by": "fleetc",
                "fleetc.io/environment": env.name,
            },
            "annotations": {
                "policies.kyverno.io/title": name,
                "policies.kyverno.io/description": description,
            },
        },
        "spec": { "background": true, "rules": Value::Array(rules) },
    })
}

pub(crate) fn failure_action(env: &EnvironmentModel) -> &'static str {
    if env.production { "Enforce" } else { "Audit" }
}

pub(crate) fn pod_rule(
    env: &EnvironmentModel,
    name: &str,
    message: &str,
    pattern: &Value,
) -> Value {
    with_exclusions(
        json!({
            "name": name,
            "match": {
                "any": [{ "resources": { "kinds": ["Pod"], "namespaces": [env.namespace] } }],
            },
            "validate": {
                "failureAction": failure_action(env),
                "message": message,
                "pattern": pattern,
            },
        }),
        crate::emit::certificates::policy_exclusions(env, false),
    )
}

pub(crate) fn with_exclusions(mut rule: Value, exclusions: Vec<Value>) -> Value {
    if !exclusions.is_empty() {
        rule["exclude"] = json!({ "any": Value::Array(exclusions) });
    }
    rule
}

/// The same pattern for every container and, where present, every init container.
pub(crate) fn containers_pattern(container: &Value) -> Value {
    json!({
        "spec": {
            "containers": [container],
            "=(initContainers)": [container],
        },
    })
}

/// `rule`, leaving out the pods of `services`: what the spec lets them do is read in the
/// policy, not guessed.
pub(crate) fn excluding_services(mut rule: Value, services: &[&str]) -> Value {
    if services.is_empty() {
        return rule;
    }
    let exclusion = json!({
        "resources": {
            "kinds": ["Pod"],
            "selector": {
                "matchExpressions": [{
                    "key": "app.kubernetes.io/name",
                    "operator": "In",
                    "values": services,
                }],
            },
        },
    });
    match rule["exclude"]["any"].as_array_mut() {
        Some(any) => any.push(exclusion),
        None => rule["exclude"] = json!({ "any": [exclusion] }),
    }
    rule
}
