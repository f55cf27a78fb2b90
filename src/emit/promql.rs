//! The PromQL fleetc writes into alert rules and dashboards, in one place so every query
//! reads the same metrics the same way: `http_requests_total` with its `code` label and the
//! `http_request_duration_seconds` histogram, labelled `service`, `colour` and `version` by
//! the service's ServiceMonitor.

/// Where a query looks: one namespace (an environment), and one service or all of them.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub namespace: &'a str,
    pub service: Option<&'a str>,
}

/// The window rates are taken over: long enough to hold a few scrapes at 30 s.
const WINDOW: &str = "5m";

impl Scope<'_> {
    fn matchers(&self, extra: &str) -> String {
        let mut out = format!("namespace=\"{}\"", self.namespace);
        if let Some(service) = self.service {
            out.push_str(&format!(",service=\"{service}\""));
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
pub fn request_rate(scope: Scope<'_>, labels: &[&str]) -> String {
    format!(
        "sum{}(rate(http_requests_total{{{}}}[{WINDOW}]))",
        by(labels),
        scope.matchers("")
    )
}

/// The share of requests answered with a 5xx.
pub fn error_ratio(scope: Scope<'_>, labels: &[&str]) -> String {
    format!(
        "sum{by}(rate(http_requests_total{{{errors}}}[{WINDOW}])) / sum{by}(rate(http_requests_total{{{all}}}[{WINDOW}]))",
        by = by(labels),
        errors = scope.matchers("code=~\"5..\""),
        all = scope.matchers(""),
    )
}

/// The 99th percentile of request duration, in milliseconds.
pub fn p99_latency_ms(scope: Scope<'_>, labels: &[&str]) -> String {
    let mut grouping = vec!["le"];
    grouping.extend_from_slice(labels);
    format!(
        "histogram_quantile(0.99, sum{}(rate(http_request_duration_seconds_bucket{{{}}}[{WINDOW}]))) * 1000",
        by(&grouping),
        scope.matchers("")
    )
}

/// Non-empty exactly when no metrics target of the service is up: every pod down, or none
/// scraped at all.
pub fn no_target_up(scope: Scope<'_>) -> String {
    format!("absent(up{{{}}} == 1)", scope.matchers(""))
}

#[cfg(test)]
mod tests {
    use super::{Scope, error_ratio, p99_latency_ms, request_rate};

    const USERS: Scope<'static> = Scope {
        namespace: "acme-prod",
        service: Some("users"),
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
        let all = Scope {
            namespace: "n",
            service: None,
        };
        assert_eq!(
            error_ratio(all, &["service"]),
            "sum by (service)(rate(http_requests_total{namespace=\"n\",code=~\"5..\"}[5m])) / sum by (service)(rate(http_requests_total{namespace=\"n\"}[5m]))"
        );
    }
}
