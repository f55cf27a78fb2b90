//! The Pod Security Standard an environment enforces, as Kyverno rules over its pods: the
//! namespace's admission can only enforce one level for every pod, so the rules hold each
//! pod to the environment's level and name the services an exception lets run at more.

use serde_json::{Value, json};

use super::kyverno::{containers_pattern, excluding_services, pod_rule, policy};
use crate::emit::environment_origins::Shared;
use crate::model::{EXCEPTIONS_ANNOTATION, EnvironmentModel, Model, PodSecurityLevel};
use crate::spec::{BASELINE_CAPABILITIES, RESTRICTED_CAPABILITIES};
use crate::tree::origin::{Gathered, key};

/// The environment's pod security policy, none where it enforces nothing; what it comes from
/// goes to `origins` as document `document`.
pub(super) fn pod_security(
    model: &Model,
    env: &EnvironmentModel,
    shared: Shared<'_>,
    document: usize,
    origins: &mut Gathered,
) -> Option<Value> {
    let mut rules = Vec::new();
    for (level, level_rules) in [
        (PodSecurityLevel::Restricted, restricted_rules(env)),
        (PodSecurityLevel::Baseline, baseline_rules(env)),
    ] {
        if env.pod_security > level {
            continue;
        }
        // The services an exception lets run at more than this rule's level.
        let excepted: Vec<_> = env
            .security_grants
            .iter()
            .filter(|grant| grant.level > level)
            .collect();
        let names: Vec<&str> = excepted.iter().map(|g| g.service.as_str()).collect();
        for rule in level_rules {
            if !excepted.is_empty() {
                let at = rules.len().to_string();
                origins.node(document, &["spec", "rules", &at, "exclude"], || {
                    excepted
                        .iter()
                        .map(|grant| key(&["security_exceptions", &grant.exception.to_string()]))
                        .collect()
                });
            }
            rules.push(excluding_services(rule, &names));
        }
    }
    if rules.is_empty() {
        return None;
    }
    origins.node(document, &[], || shared.setting(&["pod_security"]));
    let mut policy = policy(
        model,
        env,
        "pod-security",
        &format!(
            "Pods meet the {} Pod Security Standard, but for the services an exception names.",
            env.pod_security.as_str()
        ),
        rules,
    );
    let lifted: Vec<_> = env
        .security_grants
        .iter()
        .filter(|grant| grant.level > env.pod_security)
        .collect();
    if !lifted.is_empty() {
        let lines: Vec<String> = lifted.iter().map(|grant| grant.line()).collect();
        policy["metadata"]["annotations"][EXCEPTIONS_ANNOTATION] = json!(lines.join("\n"));
        origins.node(
            document,
            &["metadata", "annotations", EXCEPTIONS_ANNOTATION],
            || {
                lifted
                    .iter()
                    .map(|grant| key(&["security_exceptions", &grant.exception.to_string()]))
                    .collect()
            },
        );
    }
    Some(policy)
}

fn restricted_rules(env: &EnvironmentModel) -> Vec<Value> {
    let mut non_root = containers_pattern(&json!({
        "securityContext": { "runAsNonRoot": true, "=(runAsUser)": ">0" },
    }));
    non_root["spec"]["=(securityContext)"] = json!({ "=(runAsUser)": ">0" });
    vec![
        pod_rule(
            env,
            "run-as-non-root",
            "Containers must run as a user other than root (restricted).",
            &non_root,
        ),
        pod_rule(
            env,
            "disallow-privilege-escalation",
            "Containers must set allowPrivilegeEscalation to false (restricted).",
            &containers_pattern(&json!({
                "securityContext": { "allowPrivilegeEscalation": false },
            })),
        ),
        pod_rule(
            env,
            "drop-all-capabilities",
            &format!(
                "Containers must drop ALL capabilities and may add only {} (restricted).",
                RESTRICTED_CAPABILITIES.join(", ")
            ),
            &containers_pattern(&json!({
                "securityContext": {
                    "capabilities": {
                        "^(drop)": ["ALL"],
                        "=(add)": [RESTRICTED_CAPABILITIES.join(" | ")],
                    },
                },
            })),
        ),
        pod_rule(
            env,
            "restrict-seccomp",
            "Pods must use the RuntimeDefault or a Localhost seccomp profile (restricted).",
            &json!({
                "spec": {
                    "securityContext": {
                        "seccompProfile": { "type": "RuntimeDefault | Localhost" },
                    },
                },
            }),
        ),
    ]
}

fn baseline_rules(env: &EnvironmentModel) -> Vec<Value> {
    vec![
        pod_rule(
            env,
            "disallow-privileged",
            "Privileged containers are not allowed (baseline).",
            &containers_pattern(&json!({
                "=(securityContext)": { "=(privileged)": false },
            })),
        ),
        pod_rule(
            env,
            "restrict-capabilities",
            &format!(
                "Containers may add only {} (baseline).",
                BASELINE_CAPABILITIES.join(", ")
            ),
            &containers_pattern(&json!({
                "=(securityContext)": {
                    "=(capabilities)": { "=(add)": [BASELINE_CAPABILITIES.join(" | ")] },
                },
            })),
        ),
        pod_rule(
            env,
            "disallow-host-namespaces",
            "Pods must not share the node's network, process or IPC namespace (baseline).",
            &json!({
                "spec": {
                    "=(hostNetwork)": false,
                    "=(hostPID)": false,
                    "=(hostIPC)": false,
                },
            }),
        ),
        pod_rule(
            env,
            "disallow-host-path",
            "Pods must not mount a path of the node (baseline).",
            &json!({ "spec": { "=(volumes)": [{ "X(hostPath)": "null" }] } }),
        ),
        pod_rule(
            env,
            "disallow-host-ports",
            "Containers must not bind a port of the node (baseline).",
            &containers_pattern(&json!({ "=(ports)": [{ "=(hostPort)": 0 }] })),
        ),
    ]
}
