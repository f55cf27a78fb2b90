//! A service's Grafana dashboard in one environment: request rate, error ratio and p99
//! latency, by colour and version, with the objectives drawn.

use serde_json::{Value, json};

use super::scope::ServiceScope;
use super::watched::Watched;
use crate::emit::grafana::{self, Panel};
use crate::emit::promql::{self, Scope};
use crate::model::ServiceModel;
use crate::naming::table;

const BY_RELEASE: &[&str] = &["colour", "version"];
const LEGEND: &str = "{{colour}} {{version}}";

pub(super) fn config_map(
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
    let budget: f64 = slo.error_budget().parse().unwrap_or(0.0);
    let panels = vec![
        Panel {
            title: "Request rate".to_owned(),
            unit: "reqps",
            queries: vec![(promql::request_rate(query, BY_RELEASE), LEGEND.to_owned())],
            threshold: None,
        },
        Panel {
            title: format!("Error ratio (objective: at most {})", slo.error_budget()),
            unit: "percentunit",
            queries: vec![(promql::error_ratio(query, BY_RELEASE), LEGEND.to_owned())],
            threshold: Some(json!(budget)),
        },
        Panel {
            title: format!("p99 latency (objective: {} ms)", slo.p99_latency_ms),
            unit: "ms",
            queries: vec![(promql::p99_latency_ms(query, BY_RELEASE), LEGEND.to_owned())],
            threshold: Some(json!(slo.p99_latency_ms)),
        },
    ];
    let env = watched.environment;
    let dashboard = grafana::dashboard(
        &grafana::uid(&[&scope.enterprise.name, env, &service.name]),
        &format!("{} ({env})", service.name),
        &["fleetc", &scope.enterprise.name, env, &service.team],
        panels,
    );
    let mut labels = serde_json::Map::new();
    for (key, value) in service
        .labels
        .iter()
        .chain(&scope.enterprise.monitoring.dashboard_label)
    {
        labels.insert(key.clone(), json!(value));
    }
    grafana::config_map(
        &table::DASHBOARD.build(&[&service.name]),
        &labels,
        &format!("{}-{env}.json", service.name),
        &dashboard,
    )
}
