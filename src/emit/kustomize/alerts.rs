//! The alert rules of a service in one environment, from the same objectives the canary
//! analysis checks: no target up, error ratio above the budget, p99 latency above the
//! objective. Routed by `severity` (per environment) and `team`.

use serde_json::{Map, Value, json};

use super::scope::ServiceScope;
use super::watched::Watched;
use crate::emit::promql::{self, Scope};
use crate::model::{Requests, ServiceModel};
use crate::naming::table;
use crate::tree::origin::{Gathered, Origin, key};

/// How long a condition holds before it alerts: long enough to ride out one bad scrape or a
/// pod restart.
const UNAVAILABLE_FOR: &str = "5m";
const SLO_FOR: &str = "10m";

/// The objective each rule checks, in the order the rules are written: none for the first.
const OBJECTIVES: [Option<&str>; 3] = [None, Some("success_rate"), Some("p99_latency_ms")];

/// What the lines of an overlay's monitoring file (`file`: the alert rules or the dashboard)
/// come from.
pub(super) fn origins(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    watched: Watched<'_>,
    file: &str,
    origins: &mut Gathered,
) {
    let svc = service.name.as_str();
    let monitoring = &scope.enterprise.monitoring;
    let (setting, labels) = if file == "dashboard.yaml" {
        ("dashboard_label", &monitoring.dashboard_label)
    } else {
        ("prometheus_selector", &monitoring.prometheus_selector)
    };
    for label in labels.keys() {
        origins.node(0, &["metadata", "labels", label], || {
            vec![
                key(&["observability", setting, label]),
                key(&["observability", setting]),
            ]
        });
    }
    if file == "dashboard.yaml" {
        origins.node(0, &["data"], || {
            vec![
                key(&["services", svc, "analysis"]),
                key(&["services", svc, "metrics"]),
            ]
        });
        return;
    }
    for (index, objective) in OBJECTIVES.into_iter().take(rule_count(service)).enumerate() {
        let rule = index.to_string();
        let at = |rest: &[&'static str]| -> Vec<&str> {
            let mut pointer = vec!["spec", "groups", "0", "rules", rule.as_str()];
            pointer.extend(rest);
            pointer
        };
        origins.node(0, &at(&["labels", "severity"]), || {
            vec![
                key(&["observability", "alert_severity", watched.environment]),
                key(&["observability", "alert_severity"]),
            ]
        });
        origins.node(0, &at(&["labels", "team"]), || {
            vec![key(&["services", svc, "team"])]
        });
        origins.node(0, &at(&["annotations", "runbook_url"]), || {
            vec![key(&["observability", "runbook_url"])]
        });
        if let Some(objective) = objective {
            let keys = || -> Vec<Origin> {
                vec![
                    key(&["services", svc, "analysis", objective]),
                    key(&["services", svc, "analysis"]),
                ]
            };
            origins.node(0, &at(&["expr"]), keys);
            origins.node(0, &at(&["annotations", "description"]), keys);
        }
    }
}

/// How many of the rules (in [`OBJECTIVES`]' order) the service gets.
fn rule_count(service: &ServiceModel) -> usize {
    if service.kind.serves() {
        OBJECTIVES.len()
    } else {
        1
    }
}

pub(super) fn prometheus_rule(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    watched: Watched<'_>,
) -> Value {
    let query = Scope::namespace(
        watched.namespace,
        Some(&service.name),
        service.monitoring.requests,
    );
    let slo = service.monitoring.slo;
    let budget = slo.error_budget();
    let name = &service.name;
    let env = watched.environment;
    let rules = [
        (
            "ServiceUnavailable",
            promql::no_target_up(query),
            UNAVAILABLE_FOR,
            format!("{name} is down in {env}"),
            format!("No metrics target of {name} has been up in {env} for {UNAVAILABLE_FOR}."),
        ),
        (
            "ErrorRateAboveSlo",
            format!("{} > {budget}", promql::error_ratio(query, &[])),
            SLO_FOR,
            match service.monitoring.requests {
                Requests::Http => format!("{name} answers too many requests with 5xx in {env}"),
                Requests::Grpc => format!("{name} fails too many gRPC calls in {env}"),
            },
            match service.monitoring.requests {
                Requests::Http => format!(
                    "The share of requests {name} answers with a 5xx has been above {budget} (its objective: {} succeed).",
                    slo.success_rate
                ),
                Requests::Grpc => format!(
                    "The share of gRPC calls {name} fails (Unknown, DeadlineExceeded, Unimplemented, Internal, Unavailable, DataLoss) has been above {budget} (its objective: {} succeed).",
                    slo.success_rate
                ),
            },
        ),
        (
            "LatencyAboveSlo",
            format!(
                "{} > {}",
                promql::p99_latency_ms(query, &[]),
                slo.p99_latency_ms
            ),
            SLO_FOR,
            format!("{name} is slow in {env}"),
            format!(
                "The p99 latency of {name} has been above {} ms (its objective).",
                slo.p99_latency_ms
            ),
        ),
    ]
    .into_iter()
    // Request objectives mean something only for what takes requests: a worker is watched
    // for being down.
    .take(rule_count(service))
    .map(|(alert, expr, hold, summary, description)| {
        let mut annotations = Map::new();
        annotations.insert("summary".into(), json!(summary));
        annotations.insert("description".into(), json!(description));
        if let Some(runbook) = &service.monitoring.runbook {
            annotations.insert(
                "runbook_url".into(),
                json!(runbook.replace("{alert}", alert)),
            );
        }
        json!({
            "alert": alert,
            "expr": expr,
            "for": hold,
            "labels": {
                "severity": watched.severity,
                "team": service.team,
                "service": name,
                "environment": env,
            },
            "annotations": annotations,
        })
    })
    .collect::<Vec<_>>();
    let mut object_labels = service.labels.clone();
    object_labels.extend(scope.enterprise.monitoring.prometheus_selector.clone());
    json!({
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": table::ALERT_RULES.build(&[name]),
            "labels": object_labels,
        },
        "spec": { "groups": [{ "name": format!("{name}.slo"), "rules": rules }] },
    })
}
