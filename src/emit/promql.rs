//! The PromQL fleetc writes into alert rules and dashboards, in one place so every query
//! reads the same metrics the same way: for an HTTP service `http_requests_total` with its
//! `code` label and the `http_request_duration_seconds` histogram; for a gRPC service what the
//! Prometheus gRPC interceptors expose, `grpc_server_handled_total` with its `grpc_code` label
//! and the `grpc_server_handling_seconds` histogram; each labelled `service`, `colour` and
//! `version` by the service's ServiceMonitor.

use crate::model::Requests;

/// Where a query looks: one namespace (an environment), one service or all of them, and
/// optionally only the pods of one ReplicaSet (a canary's); and over what window rates are
/// taken.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope<'a> {
    pub namespace: &'a str,
    pub service: Option<&'a str>,
    pub pod_template_hash: Option<&'a str>,
    pub window: &'a str,
    /// Which metrics count the requests.
    pub requests: Requests,
}

/// The gRPC codes that say the server failed, as a 5xx does: what the error objective counts.
const GRPC_SERVER_ERRORS: &str =
    "Unknown|DeadlineExceeded|Unimplemented|Internal|Unavailable|DataLoss";

impl Requests {
    fn total(self) -> &'static str {
        match self {
            Self::Http => "http_requests_total",
            Self::Grpc => "grpc_server_handled_total",
        }
    }

    fn duration_buckets(self) -> &'static str {
        match self {
            Self::Http => "http_request_duration_seconds_bucket",
            Self::Grpc => "grpc_server_handling_seconds_bucket",
        }
    }

    /// The matcher of failed requests, or of the others.
    fn failed(self, failed: bool) -> String {
        let op = if failed { "=~" } else { "!~" };
        match self {
            Self::Http => format!("code{op}\"5..\""),
            Self::Grpc => format!("grpc_code{op}\"{GRPC_SERVER_ERRORS}\""),
        }
    }
}

/// The window alerts and dashboards take rates over: long enough to hold a few scrapes at
/// 30 s.
pub(crate) const WINDOW: &str = "5m";

/// The label the ServiceMonitor copies a Rollout pod's ReplicaSet hash into, so an analysis
/// can read the canary's own requests rather than a mix dominated by the stable version.
pub(crate) const POD_TEMPLATE_HASH: &str = "rollouts_pod_template_hash";

impl<'a> Scope<'a> {
    /// Every pod of `service` (or of every service) in `namespace`, over [`WINDOW`], counted
    /// in the metrics of `requests`.
    pub(crate) fn namespace(
        namespace: &'a str,
        service: Option<&'a str>,
        requests: Requests,
    ) -> Self {
        Self {
            namespace,
            service,
            pod_template_hash: None,
            window: WINDOW,
            requests,
        }
    }

    fn matchers(&self, extra: &str) -> String {
        let mut out = format!("namespace=\"{}\"", self.namespace);
        if let Some(service) = self.service {
            out.push_str(&format!(",service=\"{service}\""));
        }
        if let Some(hash) = self.pod_template_hash {
            out.push_str(&format!(",{POD_TEMPLATE_HASH}=\"{hash}\""));
        }
        if !extra.is_empty() {
            out.push(',');
            out.push_str(extra);
        }
        out
    }
}

fn by(labels: &[&str]) -> String {
    if labels.is_empty() {
        String::new()
    } else {
        format!(" by ({})", labels.join(", "))
    }
}

/// Requests per second.
pub(crate) fn request_rate(scope: Scope<'_>, labels: &[&str]) -> String {
    format!(
        "sum{}(rate({}{{{}}}[{}]))",
        by(labels),
        scope.requests.total(),
        scope.matchers(""),
        scope.window
    )
}

/// The share of requests the server failed (a 5xx, or a gRPC code of a server's failure).
pub(crate) fn error_ratio(scope: Scope<'_>, labels: &[&str]) -> String {
    share(scope, labels, &scope.requests.failed(true))
}

/// The share of requests the server did not fail: what the analysis checks against the
/// objective.
pub(crate) fn success_ratio(scope: Scope<'_>, labels: &[&str]) -> String {
    share(scope, labels, &scope.requests.failed(false))
}

fn share(scope: Scope<'_>, labels: &[&str], code: &str) -> String {
    format!(
        "sum{by}(rate({total}{{{part}}}[{window}])) / sum{by}(rate({total}{{{all}}}[{window}]))",
        by = by(labels),
        total = scope.requests.total(),
        part = scope.matchers(code),
        all = scope.matchers(""),
        window = scope.window,
    )
}

/// The 99th percentile of request duration, in milliseconds.
pub(crate) fn p99_latency_ms(scope: Scope<'_>, labels: &[&str]) -> String {
    let mut grouping = vec!["le"];
    grouping.extend_from_slice(labels);
    format!(
        "histogram_quantile(0.99, sum{}(rate({}{{{}}}[{}]))) * 1000",
        by(&grouping),
        scope.requests.duration_buckets(),
        scope.matchers(""),
        scope.window
    )
}

/// `query` of each kind of requests in `kinds`, as one: the series of each service are in
/// one kind's metrics alone, so the union holds every service once.
pub(crate) fn across(
    kinds: &[Requests],
    scope: Scope<'_>,
    query: impl Fn(Scope<'_>) -> String,
) -> String {
    kinds
        .iter()
        .map(|&requests| query(Scope { requests, ..scope }))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Non-empty exactly when no metrics target of the service is up: every pod down, or none
/// scraped at all.
pub(crate) fn no_target_up(scope: Scope<'_>) -> String {
    format!("absent(up{{{}}} == 1)", scope.matchers(""))
}

#[cfg(test)]
mod tests {
    use super::{
        Requests, Scope, across, error_ratio, p99_latency_ms, request_rate, success_ratio,
    };

    const USERS: Scope<'static> = Scope {
        namespace: "acme-prod",
        service: Some("users"),
        pod_template_hash: None,
        window: "5m",
        requests: Requests::Http,
    };

    #[test]
    fn queries_name_the_namespace_and_the_service() {
        assert_eq!(
            request_rate(USERS, &["colour", "version"]),
            "sum by (colour, version)(rate(http_requests_total{namespace=\"acme-prod\",service=\"users\"}[5m]))"
        );
        assert_eq!(
            p99_latency_ms(USERS, &[]),
            "histogram_quantile(0.99, sum by (le)(rate(http_request_duration_seconds_bucket{namespace=\"acme-prod\",service=\"users\"}[5m]))) * 1000"
        );
    }

    #[test]
    fn the_error_ratio_divides_like_by_like() {
        let all = Scope::namespace("n", None, Requests::Http);
        assert_eq!(
            error_ratio(all, &["service"]),
            "sum by (service)(rate(http_requests_total{namespace=\"n\",code=~\"5..\"}[5m])) / sum by (service)(rate(http_requests_total{namespace=\"n\"}[5m]))"
        );
    }

    #[test]
    fn a_canary_query_reads_only_the_canary_pods_over_its_own_window() {
        let canary = Scope {
            namespace: "{{args.namespace}}",
            service: Some("search"),
            pod_template_hash: Some("{{args.canary-hash}}"),
            window: "2m",
            requests: Requests::Http,
        };
        assert_eq!(
            success_ratio(canary, &[]),
            "sum(rate(http_requests_total{namespace=\"{{args.namespace}}\",service=\"search\",rollouts_pod_template_hash=\"{{args.canary-hash}}\",code!~\"5..\"}[2m])) / sum(rate(http_requests_total{namespace=\"{{args.namespace}}\",service=\"search\",rollouts_pod_template_hash=\"{{args.canary-hash}}\"}[2m]))"
        );
    }

    #[test]
    fn a_grpc_service_is_read_from_the_grpc_interceptors_metrics_and_codes() {
        let cart = Scope {
            service: Some("cart"),
            requests: Requests::Grpc,
            ..USERS
        };
        assert_eq!(
            error_ratio(cart, &[]),
            "sum(rate(grpc_server_handled_total{namespace=\"acme-prod\",service=\"cart\",grpc_code=~\"Unknown|DeadlineExceeded|Unimplemented|Internal|Unavailable|DataLoss\"}[5m])) / sum(rate(grpc_server_handled_total{namespace=\"acme-prod\",service=\"cart\"}[5m]))"
        );
        assert_eq!(
            p99_latency_ms(cart, &[]),
            "histogram_quantile(0.99, sum by (le)(rate(grpc_server_handling_seconds_bucket{namespace=\"acme-prod\",service=\"cart\"}[5m]))) * 1000"
        );
        assert!(success_ratio(cart, &[]).contains("grpc_code!~\"Unknown|"));
    }

    #[test]
    fn a_namespace_of_both_kinds_is_read_as_the_union_of_each() {
        let all = Scope::namespace("n", None, Requests::Http);
        let rate = |scope: Scope<'_>| request_rate(scope, &["service"]);
        assert_eq!(
            across(&[Requests::Http, Requests::Grpc], all, rate),
            "sum by (service)(rate(http_requests_total{namespace=\"n\"}[5m])) or sum by (service)(rate(grpc_server_handled_total{namespace=\"n\"}[5m]))"
        );
        assert_eq!(across(&[Requests::Http], all, rate), rate(all));
    }
}
