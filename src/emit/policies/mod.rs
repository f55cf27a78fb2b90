//! Kyverno ClusterPolicies per environment (`envs/<env>/policies.yaml`), enforcing in the
//! cluster what fleetc checks at compile time: Enforce in production, Audit elsewhere. Each
//! matches the environment's namespace only, so environments sharing a cluster never judge
//! each other's pods.

use serde_json::{Value, json};

use crate::emit::environment_origins::Shared;
use crate::model::{EnvironmentModel, Model};
use crate::naming::table;
use crate::tree::origin::{Gathered, key};
use kyverno::{
    containers_pattern, excluding_services, failure_action, pod_rule, policy, with_exclusions,
};

mod kyverno;
mod pod_security;
mod secrets;

/// The label Argo CD puts on everything it syncs (`commonLabels` of every Application).
pub(super) const SYNCED_LABEL: (&str, &str) = ("fleetc.io/synced-by", "argocd");

/// Kinds Argo CD applies from the tree; pods and replica sets are made by controllers, and so
/// are the Jobs of a CronJob, which is why a Job is not among them.
const SYNCED_KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "CronJob",
    "Service",
    "ServiceAccount",
    "ConfigMap",
    "Secret",
    "Ingress",
    "NetworkPolicy",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "argoproj.io/v1alpha1/Rollout",
];

/// Image patterns, in Kyverno's wildcards (`*` crosses `/`; `|` is or, `&` and, `!` not).
/// A registry may carry a port (`harbor.example.com:8443/estate/svc`), so a colon counts as
/// a tag only after the last `/`, and a digest's `sha256:` is no tag either.
const TAGGED: &str = "*/*:*@* | */*:* & !*@* | !*/* & *:* & !*@*";
const NOT_LATEST: &str = "!*:latest & !*:latest@*";
const DIGESTED: &str = "*@sha256:*";

/// The environment's policies; what each comes from goes to `origins`.
pub(super) fn policies(
    model: &Model,
    env: &EnvironmentModel,
    shared: Shared<'_>,
    origins: &mut Gathered,
) -> Vec<Value> {
    origins.node(0, &[], || {
        vec![
            key(&["enterprise", "registry"]),
            key(&["enterprise", "registries"]),
        ]
    });
    let registries = &model.enterprise.registries;
    let admitted: Vec<String> = registries.iter().map(|r| format!("{r}/*")).collect();
    let named: Vec<String> = registries.iter().map(|r| format!("{r}/")).collect();
    let unprobed = unprobed_services(model, env);
    if !unprobed.is_empty() {
        // The third policy's second rule: its exclusion names them.
        origins.node(2, &["spec", "rules", "1", "exclude"], || {
            unprobed
                .iter()
                .flat_map(|svc| {
                    [
                        key(&["services", svc, "probes"]),
                        key(&["services", svc, "kind"]),
                    ]
                })
                .collect()
        });
    }
    let unlimited = unlimited_services(model, env);
    if !unlimited.is_empty() {
        // The third policy's third rule: its exclusion names them.
        origins.node(2, &["spec", "rules", "2", "exclude"], || {
            let limit = ["resources", "memory_limit"];
            unlimited
                .iter()
                .flat_map(|svc| {
                    [
                        key(&[&["services", svc, "overrides", &env.name], &limit[..]].concat()),
                        key(&[&["services", svc], &limit[..]].concat()),
                    ]
                })
                .chain([key(&[&["defaults"], &limit[..]].concat())])
                .collect()
        });
    }
    let mut out = vec![
        policy(
            model,
            env,
            "restrict-registry",
            "Images come only from the approved registry.",
            vec![pod_rule(
                env,
                "approved-registry",
                &format!("Images must come from {}.", named.join(" or ")),
                &containers_pattern(&json!({ "image": admitted.join(" | ") })),
            )],
        ),
        policy(
            model,
            env,
            "require-image-tag",
            "Images name a version: a tag, never `latest`.",
            vec![
                pod_rule(
                    env,
                    "require-tag",
                    "Images must be tagged with a version.",
                    &containers_pattern(&json!({ "image": TAGGED })),
                ),
                pod_rule(
                    env,
                    "disallow-latest",
                    "The `latest` tag is not a version.",
                    &containers_pattern(&json!({ "image": NOT_LATEST })),
                ),
            ],
        ),
        policy(
            model,
            env,
            "require-workload-hygiene",
            "Containers request resources, limit memory and are probed.",
            vec![
                pod_rule(
                    env,
                    "require-resources",
                    "Containers must request CPU and memory.",
                    &containers_pattern(&json!({
                        "resources": { "requests": { "cpu": "?*", "memory": "?*" } },
                    })),
                ),
                excluding_services(
                    pod_rule(
                        env,
                        "require-probes",
                        "Containers must have liveness and readiness probes.",
                        // Init containers run to completion and take no probes; a
                        // sidecar's are its own business.
                        &json!({
                            "spec": {
                                "containers": [{
                                    "livenessProbe": { "periodSeconds": ">0" },
                                    "readinessProbe": { "periodSeconds": ">0" },
                                }],
                            },
                        }),
                    ),
                    &unprobed,
                ),
                excluding_services(
                    pod_rule(
                        env,
                        "require-memory-limit",
                        "Containers must limit memory.",
                        &containers_pattern(&json!({
                            "resources": { "limits": { "memory": "?*" } },
                        })),
                    ),
                    &unlimited,
                ),
            ],
        ),
    ];
    let document = out.len();
    if let Some(policy) = pod_security::pod_security(model, env, shared, document, origins) {
        out.push(policy);
    }
    if env.require_digest {
        origins.node(out.len(), &[], || shared.setting(&["require_digest"]));
        out.push(policy(
            model,
            env,
            "require-image-digest",
            "Images are pinned by digest.",
            vec![pod_rule(
                env,
                "require-digest",
                "Images must be pinned by digest (`@sha256:`).",
                &containers_pattern(&json!({ "image": DIGESTED })),
            )],
        ));
    }
    if let Some(blocked) = blocked_bases(env, model) {
        for (index, base) in model.blocked_bases.iter().enumerate() {
            let rule = index.to_string();
            origins.node(out.len(), &["spec", "rules", &rule], || {
                vec![key(&["base_images", &base.name]), key(&["base_images"])]
            });
        }
        out.push(blocked);
    }
    if env.production {
        let first = out.len();
        out.push(require_synced_label(model, env));
        out.push(secrets::require_secret_references(model, env));
        for document in first..out.len() {
            origins.node(document, &[], || shared.setting(&["production"]));
        }
    }
    out
}

/// The services of `env` whose spec leaves them without a liveness or a readiness probe: a
/// kind that runs to completion, a worker not given one, a probe turned off. The rule that
/// asks for probes names them, so the exemption is read in the policy, not guessed.
fn unprobed_services<'a>(model: &'a Model, env: &EnvironmentModel) -> Vec<&'a str> {
    model
        .services
        .iter()
        .filter(|service| service.deployment(&env.name).is_some())
        .filter(|service| service.probes.liveness.is_none() || service.probes.readiness.is_none())
        .map(|service| service.name.as_str())
        .collect()
}

/// The services of `env` the spec leaves without a memory limit somewhere there
/// (`memory_limit = false`): the rule that asks for one names them.
fn unlimited_services<'a>(model: &'a Model, env: &EnvironmentModel) -> Vec<&'a str> {
    model
        .services
        .iter()
        .filter(|service| {
            service
                .deployments
                .iter()
                .any(|d| d.environment == env.name && d.resources.memory_limit.is_none())
        })
        .map(|service| service.name.as_str())
        .collect()
}

/// Pods labelled with a blocked base image version are refused; services with an exception
/// are left to the compile-time check, which knows when the exception expires.
fn blocked_bases(env: &EnvironmentModel, model: &Model) -> Option<Value> {
    let rules: Vec<Value> = model
        .blocked_bases
        .iter()
        .map(|blocked| {
            let mut rule = json!({
                "name": table::BLOCKED_BASE_RULE.build(&[&blocked.name]),
                "match": {
                    "any": [{
                        "resources": {
                            "kinds": ["Pod"],
                            "namespaces": [env.namespace],
                            "selector": { "matchLabels": { "fleetc.io/base-image": blocked.name } },
                        },
                    }],
                },
                "validate": {
                    "failureAction": failure_action(env),
                    "message": format!(
                        "Base image {} versions {} are blocked; rebuild on an approved version.",
                        blocked.name,
                        blocked.versions.join(", ")
                    ),
                    "deny": {
                        "conditions": {
                            "any": [{
                                "key": "{{ request.object.metadata.labels.\"fleetc.io/base-version\" || '' }}",
                                "operator": "AnyIn",
                                "value": blocked.versions,
                            }],
                        },
                    },
                },
            });
            if !blocked.excepted_services.is_empty() {
                rule["exclude"] = json!({
                    "any": [{
                        "resources": {
                            "selector": {
                                "matchExpressions": [{
                                    "key": "app.kubernetes.io/name",
                                    "operator": "In",
                                    "values": blocked.excepted_services,
                                }],
                            },
                        },
                    }],
                });
            }
            rule
        })
        .collect();
    (!rules.is_empty()).then(|| {
        policy(
            model,
            env,
            "deny-blocked-base-images",
            "Workloads built on a blocked base image version do not run.",
            rules,
        )
    })
}

/// In production, only what Argo CD synced from the tree may be created or changed.
fn require_synced_label(model: &Model, env: &EnvironmentModel) -> Value {
    let (key, value) = SYNCED_LABEL;
    let rule = json!({
        "name": "require-argocd-sync",
        "match": {
            "any": [{
                "resources": {
                    "kinds": SYNCED_KINDS,
                    "namespaces": [env.namespace],
                    "operations": ["CREATE", "UPDATE"],
                },
            }],
        },
        "validate": {
            "failureAction": failure_action(env),
            "message": format!(
                "Changes to {} go through git: only objects Argo CD syncs (label {key}={value}) are allowed.",
                env.namespace
            ),
            "pattern": { "metadata": { "labels": { key: value } } },
        },
    });
    let rule = with_exclusions(
        rule,
        crate::emit::certificates::policy_exclusions(env, true),
    );
    policy(
        model,
        env,
        "require-argocd-managed",
        "Production objects come from git through Argo CD.",
        vec![rule],
    )
}
