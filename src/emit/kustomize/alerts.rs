//! The alert rules of a service in one environment, from the same objectives the canary
//! analysis checks: no target up, error ratio above the budget, p99 latency above the
//! objective. Routed by `severity` (per environment) and `team`.

use serde_json::{Map, Value, json};

use super::scope::ServiceScope;
use super::watched::Watched;
use crate::emit::promql::{self, Scope};
use crate::model::ServiceModel;
use crate::naming::table;

/// How long a condition holds before it alerts: long enough to ride out one bad scrape or a
/// pod restart.
const UNAVAILABLE_FOR: &str = "5m";
const SLO_FOR: &str = "10m";

pub(super) fn prometheus_rule(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    watched: Watched<'_>,
) -> Value {
    let query = Scope::namespace(watched.namespace, Some(&service.name));
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
            format!("{name} answers too many requests with 5xx in {env}"),
            format!(
                "The share of requests {name} answers with a 5xx has been above {budget} (its objective: {} succeed).",
                slo.success_rate
            ),
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
