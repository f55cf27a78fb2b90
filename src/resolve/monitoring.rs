//! The monitoring part of Spec → Model: metrics endpoints, objectives and alert routing,
//! each from the service, then `[defaults]`, then fleetc's own defaults.

use indexmap::IndexMap;

use crate::model::{
    EnvironmentModel, MetricsEndpoint, Monitoring, PortModel, Requests, ServiceMonitoring, Slo,
};
use crate::spec::{DEFAULT_METRICS_PORT, PortProtocol, Service, Spec};

pub(crate) const DEFAULT_METRICS_PATH: &str = "/metrics";
pub(crate) const DEFAULT_SUCCESS_RATE: f64 = 0.99;
pub(crate) const DEFAULT_P99_MS: u32 = 500;
const DEFAULT_PROMETHEUS_NAMESPACE: &str = "monitoring";

pub(crate) fn monitoring(spec: &Spec) -> Monitoring {
    let observability = spec.observability.clone().unwrap_or_default();
    Monitoring {
        prometheus_selector: observability
            .prometheus_selector
            .unwrap_or_else(|| one_label("release", "prometheus")),
        prometheus_namespace: prometheus_namespace(spec).to_owned(),
        dashboard_label: observability
            .dashboard_label
            .unwrap_or_else(|| one_label("grafana_dashboard", "1")),
    }
}

/// The namespace Prometheus runs in: the one the NetworkPolicies admit to the metrics ports.
fn prometheus_namespace(spec: &Spec) -> &str {
    spec.observability
        .as_ref()
        .and_then(|o| o.prometheus_namespace.as_deref())
        .unwrap_or(DEFAULT_PROMETHEUS_NAMESPACE)
}

/// The Prometheus a Rollouts analysis queries: the one the service names, or the Prometheus
/// Operator's `prometheus-operated` Service in the namespace Prometheus runs in, so the
/// analysis reads the same Prometheus that is admitted to scrape the pods it judges.
pub(crate) fn analysis_prometheus(spec: &Spec, service: &Service) -> String {
    service
        .analysis
        .as_ref()
        .and_then(|a| a.prometheus.clone())
        .unwrap_or_else(|| {
            format!(
                "http://prometheus-operated.{}:9090",
                prometheus_namespace(spec)
            )
        })
}

fn one_label(key: &str, value: &str) -> IndexMap<String, String> {
    IndexMap::from([(key.to_owned(), value.to_owned())])
}

pub(crate) fn service_monitoring(spec: &Spec, name: &str, service: &Service) -> ServiceMonitoring {
    let metrics = spec.metrics_of(service);
    ServiceMonitoring {
        metrics: metrics.serves().then(|| MetricsEndpoint {
            port: metrics
                .port
                .and_then(|p| u16::try_from(p).ok())
                .unwrap_or(DEFAULT_METRICS_PORT),
            path: metrics
                .path
                .unwrap_or_else(|| DEFAULT_METRICS_PATH.to_owned()),
        }),
        slo: slo(service),
        requests: requests(&super::ports::ports(service, &spec.defaults)),
        runbook: spec
            .observability
            .as_ref()
            .and_then(|o| o.runbook_url.as_ref())
            .map(|url| url.replace("{service}", name)),
    }
}

/// HTTP's metrics, unless the service serves gRPC and no HTTP.
fn requests(ports: &[PortModel]) -> Requests {
    let serves = |protocol| ports.iter().any(|p| p.protocol == protocol);
    if !serves(PortProtocol::Http) && serves(PortProtocol::Grpc) {
        Requests::Grpc
    } else {
        Requests::Http
    }
}

/// The objectives the `analysis` block states, or fleetc's defaults for those it leaves out
/// (and for services without one).
pub(crate) fn slo(service: &Service) -> Slo {
    let analysis = service.analysis.as_ref();
    Slo {
        success_rate: analysis
            .and_then(|a| a.success_rate)
            .unwrap_or(DEFAULT_SUCCESS_RATE),
        p99_latency_ms: analysis
            .and_then(|a| a.p99_latency_ms)
            .and_then(|ms| u32::try_from(ms).ok())
            .unwrap_or(DEFAULT_P99_MS),
    }
}

/// Production pages someone; elsewhere a ticket is enough, unless the spec says otherwise.
pub(crate) fn alert_severity(spec: &Spec, env: &EnvironmentModel) -> String {
    spec.observability
        .as_ref()
        .and_then(|o| o.alert_severity.as_ref())
        .and_then(|s| s.get(&env.name).cloned())
        .unwrap_or_else(|| if env.production { "page" } else { "ticket" }.to_owned())
}

#[cfg(test)]
mod tests {
    use super::service_monitoring;
    use crate::edit::test_spec::{parsed, text_with};

    /// The analysis of a Rollouts service that names no Prometheus queries the one in the
    /// namespace the NetworkPolicies admit to the metrics ports, not a namespace of its own.
    #[test]
    fn the_default_analysis_queries_the_prometheus_of_the_declared_namespace() {
        let address = |observability: &str, analysis: &str| {
            let spec = parsed(&text_with(&format!(
                "{observability}\n[services.pay]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0.0\"\nstrategy = \"canary\"\n{analysis}\n"
            )));
            let model = crate::resolve::resolve(
                &spec,
                "enterprise.toml",
                &crate::model::SpecFiles::default(),
            );
            let rollout = model.service("pay").unwrap().rollout.clone().unwrap();
            rollout.analysis.prometheus
        };
        let declared = "[observability]\nprometheus_namespace = \"observability\"\n";
        let expected = "http://prometheus-operated.observability:9090";
        assert_eq!(address(declared, ""), expected);
        assert_eq!(
            address(declared, "analysis = { success_rate = 0.995 }"),
            expected
        );
        assert_eq!(
            address("", ""),
            "http://prometheus-operated.monitoring:9090"
        );
        assert_eq!(
            address(
                declared,
                "analysis = { prometheus = \"http://thanos.metrics:9090\" }"
            ),
            "http://thanos.metrics:9090"
        );
    }

    /// `metrics.enabled` follows the same rule as the other keys: the service's own word
    /// wins over `[defaults]`, which wins over fleetc's default (on).
    #[test]
    fn a_service_turns_metrics_back_on_where_the_estate_turns_them_off() {
        let text = text_with(
            "[defaults]\nmetrics = { enabled = false, port = 9102 }\n\n\
             [services.quiet]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0.0\"\n\n\
             [services.loud]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0.0\"\nmetrics = { enabled = true }\n",
        );
        let spec = parsed(&text);
        let endpoint = |name: &str| {
            service_monitoring(&spec, name, &spec.services[name])
                .metrics
                .map(|m| (m.port, m.path))
        };
        assert_eq!(endpoint("quiet"), None);
        assert_eq!(endpoint("loud"), Some((9102, "/metrics".to_owned())));
        let without_defaults = parsed(&text_with(
            "[services.plain]\nteam = \"t\"\nbase = \"py:2\"\nversion = \"1.0.0\"\n",
        ));
        assert_eq!(
            service_monitoring(
                &without_defaults,
                "plain",
                &without_defaults.services["plain"]
            )
            .metrics
            .map(|m| m.port),
            Some(9090)
        );
    }
}
