use indexmap::IndexMap;

/// The estate's Prometheus and Grafana, as every service's objects must be labelled and
/// admitted for them to be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Monitoring {
    /// Labels Prometheus selects ServiceMonitors and PrometheusRules by.
    pub prometheus_selector: IndexMap<String, String>,
    /// Where Prometheus runs: admitted to every service's metrics port.
    pub prometheus_namespace: String,
    /// Labels the Grafana sidecar loads dashboard ConfigMaps by.
    pub dashboard_label: IndexMap<String, String>,
}

/// How one service is watched: where its metrics are, what it promises (its SLO), and where
/// the runbook of its alerts is.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceMonitoring {
    /// Where Prometheus scrapes it; `None` when it serves no metrics, and so has no alerts or
    /// dashboard either.
    pub metrics: Option<MetricsEndpoint>,
    pub slo: Slo,
    /// Which metrics count its requests.
    pub requests: Requests,
    /// The runbook URL with the service filled in; `{alert}` is left for each alert.
    pub runbook: Option<String>,
}

/// Which metrics count a service's requests: what the Prometheus middleware of its servers
/// exposes, HTTP's unless the service serves gRPC and no HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Requests {
    Http,
    Grpc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricsEndpoint {
    pub port: u16,
    pub path: String,
}

/// A service's objectives: the canary analysis, the alert rules and the dashboard thresholds
/// all read these, so they cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slo {
    /// Minimum ratio of requests answered without a 5xx, in (0, 1).
    pub success_rate: f64,
    pub p99_latency_ms: u32,
}

impl Slo {
    /// The error ratio the objective allows, written the way a person would (0.005, not
    /// 0.0050000000000000044).
    pub fn error_budget(&self) -> String {
        let budget = format!("{:.9}", 1.0 - self.success_rate);
        budget
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::Slo;

    #[test]
    fn the_error_budget_is_written_without_float_noise() {
        let budget = |success_rate| {
            Slo {
                success_rate,
                p99_latency_ms: 1,
            }
            .error_budget()
        };
        assert_eq!(budget(0.995), "0.005");
        assert_eq!(budget(0.99), "0.01");
        assert_eq!(budget(0.999), "0.001");
        assert_eq!(budget(0.5), "0.5");
    }
}
