//! Metrics endpoints, the labels Prometheus and Grafana select by, alert routing, and the
//! settings that only mean something together.

use indexmap::IndexMap;

use super::context::Context;
use crate::formats::http_path::http_path_problem;
use crate::naming::NameRule;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{Metrics, PerEnv, Service, Strategy};

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    if let Some(metrics) = &spec.defaults.metrics {
        check_metrics(cx, metrics, &["defaults", "metrics"]);
    }
    for (name, service) in &spec.services {
        if let Some(metrics) = &service.metrics {
            check_metrics(cx, metrics, &["services", name, "metrics"]);
            check_endpoint_of_no_metrics(cx, name, metrics);
        }
        check_analysis_has_metrics(cx, name, service);
    }
    let Some(observability) = &spec.observability else {
        return;
    };
    let at = |key: &'static str| ["observability", key];
    for (key, labels) in [
        ("prometheus_selector", &observability.prometheus_selector),
        ("dashboard_label", &observability.dashboard_label),
    ] {
        if let Some(labels) = labels {
            check_labels(cx, labels, &at(key));
        }
    }
    if let Some(namespace) = &observability.prometheus_namespace
        && let Some(problem) = NameRule::Dns1123Label.problem(namespace)
    {
        cx.report(
            Diagnostic::error(format!(
                "prometheus_namespace `{namespace}` is not a namespace name: {problem}"
            ))
            .at(cx.spans.value(&at("prometheus_namespace")))
            .label("invalid namespace")
            .help("a DNS-1123 label, such as `monitoring`"),
        );
    }
    if let Some(severity) = &observability.alert_severity {
        let envs = cx.env_names();
        for env in severity.env_names() {
            super::references::check_env_key(cx, &["observability", "alert_severity", env], &envs);
        }
        check_severity(cx, severity);
    }
    if let Some(runbook) = &observability.runbook_url {
        super::formats::url(
            cx,
            "runbook_url",
            runbook,
            &["https://", "http://"],
            &at("runbook_url"),
        );
    }
    if observability.sample_ratio.is_some() && observability.otlp_endpoint.is_none() {
        cx.report(
            Diagnostic::error("`sample_ratio` is set, but no `otlp_endpoint` receives traces")
                .at(cx.spans.key(&at("sample_ratio")))
                .help("set `otlp_endpoint` to turn tracing on, or remove `sample_ratio`"),
        );
    }
}

/// Argo Rollouts decides a release from the service's own metrics: a Rollouts service that
/// serves none would fail every analysis, and the objectives of any other would set nothing.
fn check_analysis_has_metrics(cx: &mut Context<'_>, name: &str, service: &Service) {
    let own = ["services", name, "metrics", "enabled"];
    let (enabled, at) = match service.metrics.as_ref().and_then(|m| m.enabled) {
        Some(enabled) => (enabled, cx.spans.value(&own)),
        None => (
            cx.spec
                .defaults
                .metrics
                .as_ref()
                .and_then(|m| m.enabled)
                .unwrap_or(true),
            cx.spans.value(&["defaults", "metrics", "enabled"]),
        ),
    };
    if enabled {
        return;
    }
    if service.strategy == Strategy::BlueGreen {
        if service.analysis.is_some() {
            cx.report(
                Diagnostic::warning(format!(
                    "the objectives of `{name}` set no alert: it serves no metrics"
                ))
                .at(cx.spans.key(&["services", name, "analysis"]))
                .label("read by nothing")
                .help("serve metrics (`metrics = { enabled = true }`), or remove `analysis`"),
            );
        }
    } else {
        cx.report(
            Diagnostic::error(format!(
                "`{name}` serves no metrics, but strategy `{}` decides each release from them",
                service.strategy.as_str()
            ))
            .at(at)
            .label("metrics turned off here")
            .help(format!(
                "serve metrics (`metrics = {{ enabled = true }}` on `{name}`), or use git-driven blue/green (`strategy = \"blue-green\"`), which runs no analysis"
            )),
        );
    }
}

/// A service that turns its metrics off has no endpoint: a port or path beside the switch
/// is read by nothing, and most likely meant the switch the other way. (In `[defaults]` they
/// still serve the services that turn metrics back on.)
fn check_endpoint_of_no_metrics(cx: &mut Context<'_>, name: &str, metrics: &Metrics) {
    if metrics.enabled != Some(false) {
        return;
    }
    for (key, set) in [
        ("port", metrics.port.is_some()),
        ("path", metrics.path.is_some()),
    ] {
        if set {
            cx.report(
                Diagnostic::warning(format!(
                    "`{name}` serves no metrics, so its metrics `{key}` is read by nothing"
                ))
                .at(cx.spans.key(&["services", name, "metrics", key]))
                .label("ignored: `enabled = false`")
                .help(format!(
                    "remove `{key}`, or serve metrics there (`enabled = true`, or leave `enabled` out)"
                )),
            );
        }
    }
}

fn check_metrics(cx: &mut Context<'_>, metrics: &Metrics, path: &[&str]) {
    if let Some(port) = metrics.port
        && !(1..=65535).contains(&port)
    {
        cx.report(
            Diagnostic::error(format!("metrics port {port} is out of range"))
                .at(cx.spans.value(&[path, &["port"]].concat()))
                .label("expected a port from 1 to 65535"),
        );
    }
    if let Some(problem) = metrics.path.as_deref().and_then(http_path_problem) {
        cx.report(
            Diagnostic::error(format!("metrics path is not an HTTP path: {problem}"))
                .at(cx.spans.value(&[path, &["path"]].concat()))
                .label("invalid path")
                .help("a path starting with `/`, such as `/metrics`"),
        );
    }
}

fn check_labels(cx: &mut Context<'_>, labels: &IndexMap<String, String>, path: &[&str]) {
    if labels.is_empty() {
        cx.report(
            Diagnostic::error(format!("`{}` selects by no label", path.join(".")))
                .at(cx.spans.value(path))
                .help("name at least one label, such as `{ release = \"prometheus\" }`"),
        );
    }
    for (key, value) in labels {
        let at = [path, &[key.as_str()]].concat();
        if is_fleetc_label(key) {
            cx.report(
                Diagnostic::error(format!("`{key}` is a label fleetc sets itself"))
                    .at(cx.spans.key(&at))
                    .label("reserved label")
                    .help("choose a label of your own, such as `release`; fleetc's objects need theirs to be found"),
            );
        } else if let Some(problem) = label_key_problem(key) {
            cx.report(
                Diagnostic::error(format!("`{key}` is not a label name: {problem}"))
                    .at(cx.spans.key(&at))
                    .label("invalid label name")
                    .help("letters, digits, `-`, `_` and `.`, with an optional DNS prefix and `/`, such as `release` or `example.com/team`"),
            );
        }
        if let Some(problem) = NameRule::LabelValue.problem(value) {
            cx.report(
                Diagnostic::error(format!("`{value}` is not a label value: {problem}"))
                    .at(cx.spans.value(&at))
                    .label("invalid label value")
                    .help(NameRule::LabelValue.describe()),
            );
        }
    }
}

/// The labels fleetc puts on its objects and selects pods by: a selector setting may not
/// replace them.
fn is_fleetc_label(key: &str) -> bool {
    key.starts_with("fleetc.io/")
        || key.starts_with("app.kubernetes.io/")
        || matches!(key, "app" | "version")
}

/// Why `key` is not a Kubernetes label key (`[prefix/]name`), if it is not.
pub(super) fn label_key_problem(key: &str) -> Option<&'static str> {
    let name = match key.rsplit_once('/') {
        Some((prefix, name)) => {
            if NameRule::Dns1123Subdomain.problem(prefix).is_some() {
                return Some("its prefix is not a DNS subdomain");
            }
            name
        }
        None => key,
    };
    if name.is_empty() {
        return Some("it is empty");
    }
    NameRule::LabelValue.problem(name)
}

fn check_severity(cx: &mut Context<'_>, severity: &PerEnv<String>) {
    let entries: Vec<(Vec<&str>, &String)> = match severity {
        PerEnv::All(value) => vec![(vec!["observability", "alert_severity"], value)],
        PerEnv::ByEnv(values) => values
            .iter()
            .map(|(env, value)| (vec!["observability", "alert_severity", env.as_str()], value))
            .collect(),
    };
    for (at, value) in entries {
        if let Some(problem) = NameRule::LabelValue
            .problem(value)
            .or_else(|| value.is_empty().then_some("it is empty"))
        {
            cx.report(
                Diagnostic::error(format!(
                    "alert severity `{value}` is not a label value: {problem}"
                ))
                .at(cx.spans.value(&at))
                .label("invalid severity")
                .help("a label value Alertmanager routes on, such as `page` or `ticket`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::label_key_problem;

    #[test]
    fn label_keys_may_carry_a_dns_prefix() {
        assert_eq!(label_key_problem("release"), None);
        assert_eq!(label_key_problem("example.com/team"), None);
        assert!(label_key_problem("Example..com/team").is_some());
        assert!(label_key_problem("team/").is_some());
        assert!(label_key_problem("-team").is_some());
    }

    #[test]
    fn fleetcs_own_labels_are_reserved() {
        assert!(super::is_fleetc_label("app.kubernetes.io/name"));
        assert!(super::is_fleetc_label("fleetc.io/team"));
        assert!(!super::is_fleetc_label("release"));
    }
}
