//! The overview dashboard of an environment (`envs/<env>/dashboard.yaml`): every service's
//! request rate, error ratio and p99 latency side by side, the first place to look during a
//! release.

use serde_json::{Value, json};

use super::grafana::{self, Panel};
use super::promql::{self, Scope};
use crate::model::{EnvironmentModel, Model, Requests};
use crate::naming::table;
use crate::tree::origin::{Gathered, key};

const BY_SERVICE: &[&str] = &["service"];
const LEGEND: &str = "{{service}}";

/// What the lines of the overview come from: the estate's dashboard labels and its
/// observability settings.
pub(super) fn origins(model: &Model, origins: &mut Gathered) {
    for label in model.enterprise.monitoring.dashboard_label.keys() {
        origins.node(0, &["metadata", "labels", label], || {
            vec![
                key(&["observability", "dashboard_label", label]),
                key(&["observability", "dashboard_label"]),
            ]
        });
    }
    origins.node(0, &["data"], || vec![key(&["observability"])]);
}

/// Whether a service that runs in `env` (as one cluster holds it) serves metrics: the overview
/// charts nothing else, so without one there is no dashboard to write.
pub(super) fn has_metrics(model: &Model, env: &EnvironmentModel) -> bool {
    let cluster = env.clusters.first().and_then(|c| c.name.as_deref());
    model.services.iter().any(|service| {
        service.monitoring.metrics.is_some() && service.deployment_at(&env.name, cluster).is_some()
    })
}

/// The kinds of requests the services of `env` that serve metrics count theirs in, in order.
fn request_kinds(model: &Model, env: &EnvironmentModel) -> Vec<Requests> {
    let cluster = env.clusters.first().and_then(|c| c.name.as_deref());
    let kinds: std::collections::BTreeSet<Requests> = model
        .services
        .iter()
        .filter(|s| s.monitoring.metrics.is_some() && s.deployment_at(&env.name, cluster).is_some())
        .map(|s| s.monitoring.requests)
        .collect();
    kinds.into_iter().collect()
}

pub(super) fn config_map(model: &Model, env: &EnvironmentModel) -> Value {
    let query = Scope::namespace(&env.namespace, None, Requests::Http);
    let kinds = request_kinds(model, env);
    let each = |of: fn(Scope<'_>, &[&str]) -> String| {
        promql::across(&kinds, query, |scope| of(scope, BY_SERVICE))
    };
    let panels = vec![
        Panel {
            title: "Request rate by service".to_owned(),
            unit: "reqps",
            queries: vec![(each(promql::request_rate), LEGEND.to_owned())],
            threshold: None,
        },
        Panel {
            title: "Error ratio by service".to_owned(),
            unit: "percentunit",
            queries: vec![(each(promql::error_ratio), LEGEND.to_owned())],
            threshold: None,
        },
        Panel {
            title: "p99 latency by service".to_owned(),
            unit: "ms",
            queries: vec![(each(promql::p99_latency_ms), LEGEND.to_owned())],
            threshold: None,
        },
    ];
    let enterprise = &model.enterprise;
    let dashboard = grafana::dashboard(
        &grafana::uid(&[&enterprise.name, &env.name]),
        &format!("{} {} overview", enterprise.name, env.name),
        &["fleetc", &enterprise.name, &env.name],
        panels,
    );
    let mut labels = serde_json::Map::new();
    labels.insert("app.kubernetes.io/part-of".into(), json!(enterprise.name));
    labels.insert("app.kubernetes.io/managed-by".into(), json!("fleetc"));
    labels.insert("fleetc.io/environment".into(), json!(env.name));
    for (key, value) in &enterprise.monitoring.dashboard_label {
        labels.insert(key.clone(), json!(value));
    }
    let mut object = grafana::config_map(
        &table::OVERVIEW_DASHBOARD.build(&[&enterprise.name]),
        &labels,
        &format!("{}-{}-overview.json", enterprise.name, env.name),
        &dashboard,
    );
    object["metadata"]["namespace"] = json!(env.namespace);
    object
}
