use serde_json::{Value, json};

use super::base::preview_service;
use super::pod::pod_template;
use super::scope::ServiceScope;
use super::scope::{labels, preview_name};
use crate::emit::header::{header_named, kustomization};
use crate::emit::promql::{self, Scope};
use crate::model::{RolloutKind, RolloutModel, ServiceModel};
use crate::tree::Tree;
use crate::tree::layout::rollout_dir;
use crate::tree::origin::{Gathered, Origin, key};

/// The Rollout of a service that Argo Rollouts delivers, with the AnalysisTemplate whose
/// failure aborts a release and returns traffic to the stable version. Environments patch in
/// image, replicas, resources and variables, as they do for Deployments.
pub(super) fn emit(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    rollout: &RolloutModel,
    tree: &mut Tree,
) {
    let dir = rollout_dir(&service.name);
    let head = header_named(scope.spec_name, &format!("services.{}", service.name));
    let svc = service.name.as_str();
    let mut resources = vec![json!("rollout.yaml"), json!("analysis.yaml")];
    let mut files = Vec::new();
    let mut origins = tree.gather();
    super::pod_origins::pod_template_origins(service, &mut origins);
    origins.node(0, &["spec", "strategy", "canary"], || {
        vec![key(&["services", svc, "canary"])]
    });
    files.push(("rollout.yaml", rollout_object(service, rollout), origins));
    let mut origins = tree.gather();
    analysis_origins(service, &mut origins);
    files.push((
        "analysis.yaml",
        analysis_template(service, rollout),
        origins,
    ));
    if rollout.kind == RolloutKind::BlueGreen {
        let preview = preview_service(service, None);
        resources.push(json!("service-preview.yaml"));
        files.push(("service-preview.yaml", preview, tree.gather()));
    }
    files.push((
        "kustomization.yaml",
        kustomization(&resources),
        tree.gather(),
    ));
    for (name, document, mut origins) in files {
        let path = format!("{dir}/{name}");
        origins.file(|| vec![key(&["services", svc, "strategy"]), key(&["services", svc])]);
        tree.record(&path, origins);
        tree.insert_yaml(path, &head, vec![document]);
    }
}

/// What the lines of the analysis come from: each metric's objective, and the Prometheus it
/// asks (the service's own, or the one in the namespace the estate says Prometheus runs in).
fn analysis_origins(service: &ServiceModel, origins: &mut Gathered) {
    let svc = service.name.as_str();
    let analysis =
        |rest: &[&str]| -> Origin { key(&[&["services", svc, "analysis"], rest].concat()) };
    for (index, objective) in ["success_rate", "p99_latency_ms"].into_iter().enumerate() {
        let metric = index.to_string();
        origins.node(0, &["spec", "metrics", &metric, "successCondition"], || {
            vec![analysis(&[objective]), analysis(&[])]
        });
        origins.node(
            0,
            &[
                "spec",
                "metrics",
                &metric,
                "provider",
                "prometheus",
                "address",
            ],
            || {
                vec![
                    analysis(&["prometheus"]),
                    key(&["observability", "prometheus_namespace"]),
                    analysis(&[]),
                ]
            },
        );
    }
    origins.file(|| vec![analysis(&[])]);
}

fn analysis_name(service: &str) -> String {
    crate::naming::table::ANALYSIS_TEMPLATE.build(&[service])
}

/// The argument that scopes the analysis to one environment: the AnalysisTemplate is shared
/// by every environment, and the same service's requests in another namespace must not
/// decide this one's release.
const NAMESPACE_ARG: &str = "namespace";
/// The argument that scopes a canary's analysis to the new ReplicaSet's pods.
const CANARY_HASH_ARG: &str = "canary-hash";

/// The JSON 6902 operation an environment's overlay adds to the Rollout to pass its
/// namespace to the analysis.
pub(super) fn namespace_argument(kind: &RolloutKind, namespace: &str) -> Value {
    let argument = json!({ "name": NAMESPACE_ARG, "value": namespace });
    match kind {
        RolloutKind::Canary(_) => json!({
            "op": "add",
            "path": "/spec/strategy/canary/analysis/args/-",
            "value": argument,
        }),
        RolloutKind::BlueGreen => json!({
            "op": "add",
            "path": "/spec/strategy/blueGreen/prePromotionAnalysis/args",
            "value": [argument],
        }),
    }
}

fn rollout_object(service: &ServiceModel, rollout: &RolloutModel) -> Value {
    let analysis = json!({ "templates": [{ "templateName": analysis_name(&service.name) }] });
    let strategy = match &rollout.kind {
        RolloutKind::Canary(steps) => {
            let mut list = Vec::new();
            for step in steps {
                list.push(json!({ "setWeight": step.weight }));
                match &step.pause {
                    Some(duration) => list.push(json!({ "pause": { "duration": duration } })),
                    None if step.weight < 100 => list.push(json!({ "pause": {} })),
                    None => {}
                }
            }
            let mut background = analysis;
            background["startingStep"] = json!(1);
            background["args"] = json!([{
                "name": CANARY_HASH_ARG,
                "valueFrom": { "podTemplateHashValue": "Latest" },
            }]);
            json!({ "canary": { "steps": list, "analysis": background } })
        }
        RolloutKind::BlueGreen => json!({
            "blueGreen": {
                "activeService": service.name,
                "previewService": preview_name(&service.name),
                "autoPromotionEnabled": true,
                "prePromotionAnalysis": analysis,
                "scaleDownDelaySeconds": 300,
            },
        }),
    };
    let mut metadata_labels = service.labels.clone();
    metadata_labels.insert("app".to_owned(), service.name.clone());
    json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": { "name": service.name, "labels": metadata_labels },
        "spec": {
            "replicas": 1,
            "revisionHistoryLimit": 5,
            "selector": { "matchLabels": service.selector() },
            "template": pod_template(service, &metadata_labels),
            "strategy": strategy,
        },
    })
}

/// Success rate and p99 latency from Prometheus, in the environment the overlay names; a
/// canary's are read from its own pods, a blue/green's from the live traffic the preview is
/// about to take over. Three failed measurements abort the release.
fn analysis_template(service: &ServiceModel, rollout: &RolloutModel) -> Value {
    let name = &service.name;
    let analysis = &rollout.analysis;
    let namespace = format!("{{{{args.{NAMESPACE_ARG}}}}}");
    let canary_hash = format!("{{{{args.{CANARY_HASH_ARG}}}}}");
    let mut args = vec![json!({ "name": NAMESPACE_ARG })];
    let mut query = Scope {
        namespace: &namespace,
        service: Some(name),
        pod_template_hash: None,
        window: ANALYSIS_WINDOW,
        requests: service.monitoring.requests,
    };
    if let RolloutKind::Canary(_) = rollout.kind {
        args.push(json!({ "name": CANARY_HASH_ARG }));
        query.pod_template_hash = Some(&canary_hash);
    }
    let metric = |metric: &str, condition: String, query: String| {
        json!({
            "name": metric,
            "interval": "1m",
            "count": 5,
            "failureLimit": 3,
            "successCondition": condition,
            "provider": { "prometheus": { "address": analysis.prometheus, "query": query } },
        })
    };
    json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AnalysisTemplate",
        "metadata": { "name": analysis_name(name), "labels": labels(service) },
        "spec": {
            "args": args,
            "metrics": [
                metric(
                    "success-rate",
                    format!("result[0] >= {}", analysis.success_rate),
                    promql::success_ratio(query, &[]),
                ),
                metric(
                    "p99-latency-ms",
                    format!("result[0] <= {}", analysis.p99_latency_ms),
                    promql::p99_latency_ms(query, &[]),
                ),
            ],
        },
    })
}

/// Measured every minute: two minutes hold a few scrapes of a canary that just started.
const ANALYSIS_WINDOW: &str = "2m";
