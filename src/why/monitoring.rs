//! `why` for the files that watch a service: its metrics Service and ServiceMonitor, its
//! alert rules and dashboards, and each environment's overview. Keys most specific first.

use crate::compile::Compiled;

type Key = Vec<String>;

fn key(parts: &[&str]) -> Key {
    parts.iter().map(|s| (*s).to_owned()).collect()
}

/// The keys behind `text`, a line of `file` of service `svc` (`env` for overlay files), or
/// `None` when the file is not one of these.
pub(crate) fn service_line(
    compiled: &Compiled,
    svc: &str,
    env: Option<&str>,
    file: &str,
    text: &str,
) -> Option<Vec<Key>> {
    let mut found = Vec::new();
    match (env, file) {
        (None, "service-metrics.yaml" | "servicemonitor.yaml") => {
            for setting in ["port", "path"] {
                if text.starts_with(&format!("{setting}:"))
                    || text.starts_with(&format!("- {setting}:"))
                    || (setting == "port" && text.starts_with("targetPort:"))
                {
                    found.extend(metrics_keys(svc, setting));
                }
            }
            found.extend(selector_keys(compiled, text, "prometheus_selector"));
        }
        (None, "networkpolicy.yaml") => {
            let namespace = &compiled.model.enterprise.monitoring.prometheus_namespace;
            if text == format!("kubernetes.io/metadata.name: {namespace}") {
                found.push(key(&["observability", "prometheus_namespace"]));
            }
            return (!found.is_empty()).then_some(found);
        }
        (Some(env), "prometheusrule.yaml") => {
            if text.starts_with("severity:") {
                found.extend([
                    key(&["observability", "alert_severity", env]),
                    key(&["observability", "alert_severity"]),
                ]);
            } else if text.starts_with("runbook_url:") {
                found.push(key(&["observability", "runbook_url"]));
            } else if text.starts_with("team:") {
                found.push(key(&["services", svc, "team"]));
            } else if text.starts_with("expr:") || text.starts_with("description:") {
                found.extend(objective_keys(svc, text));
            }
            found.extend(selector_keys(compiled, text, "prometheus_selector"));
        }
        (Some(_), "dashboard.yaml") => {
            if text.contains("objective") || text.starts_with("\"value\":") {
                found.push(key(&["services", svc, "analysis"]));
            }
            found.extend(selector_keys(compiled, text, "dashboard_label"));
        }
        _ => return None,
    }
    found.push(key(&["services", svc]));
    Some(found)
}

/// The keys behind a line of an environment's overview dashboard.
pub(crate) fn overview_line(compiled: &Compiled, env: &str, text: &str) -> Vec<Key> {
    let mut found = selector_keys(compiled, text, "dashboard_label");
    found.extend([key(&["observability"]), key(&["environments", env])]);
    found
}

fn metrics_keys(svc: &str, setting: &str) -> Vec<Key> {
    vec![
        key(&["services", svc, "metrics", setting]),
        key(&["services", svc, "metrics"]),
        key(&["defaults", "metrics", setting]),
        key(&["defaults", "metrics"]),
    ]
}

/// An alert's threshold comes from the objective it checks.
fn objective_keys(svc: &str, text: &str) -> Vec<Key> {
    let objective = if text.contains("histogram_quantile") || text.contains("latency") {
        "p99_latency_ms"
    } else {
        "success_rate"
    };
    if text.contains("absent(") {
        return Vec::new();
    }
    vec![
        key(&["services", svc, "analysis", objective]),
        key(&["services", svc, "analysis"]),
    ]
}

/// A label line that one of the estate's selector settings put there.
fn selector_keys(compiled: &Compiled, text: &str, setting: &str) -> Vec<Key> {
    let monitoring = &compiled.model.enterprise.monitoring;
    let labels = if setting == "dashboard_label" {
        &monitoring.dashboard_label
    } else {
        &monitoring.prometheus_selector
    };
    let Some((name, _)) = text.split_once(':') else {
        return Vec::new();
    };
    let name = name.trim_matches('"');
    if labels.contains_key(name) {
        vec![
            key(&["observability", setting, name]),
            key(&["observability", setting]),
        ]
    } else {
        Vec::new()
    }
}
