use super::context::Context;
use crate::source::diagnostic::Diagnostic;
use crate::spec::Strategy;

/// Canary steps climb to 100% with pauses Argo Rollouts understands; analysis thresholds are
/// ratios and positive latencies; rollout settings belong to services that use them (every
/// service may state its objectives, which set its alerts even where no analysis runs).
pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (name, service) in &spec.services {
        if let Some(canary) = &service.canary {
            if service.strategy != Strategy::Canary {
                cx.report(
                    Diagnostic::error(format!(
                        "`canary` steps are set, but `{name}` uses strategy `{}`",
                        service.strategy.as_str()
                    ))
                    .at(cx.spans.key(&["services", name, "canary"]))
                    .help("set `strategy = \"canary\"`, or remove `canary`"),
                );
            }
            let mut last = 0;
            for (i, step) in canary.steps.iter().enumerate() {
                let index = i.to_string();
                let at = ["services", name.as_str(), "canary", "steps", index.as_str()];
                if let Some((problem, label)) = weight_problem(step.weight, last) {
                    cx.report(
                        Diagnostic::error(problem)
                            .at(cx.spans.value(&[&at[..], &["weight"]].concat()))
                            .label(label)
                            .help("weights are percentages of traffic, from 1 to 100, each step above the one before, such as 10, 30, 60, 100"),
                    );
                }
                last = step.weight;
                if let Some(pause) = &step.pause
                    && !is_duration(pause)
                {
                    cx.report(
                        Diagnostic::error(format!("pause `{pause}` is not a duration"))
                            .at(cx.spans.value(&[&at[..], &["pause"]].concat()))
                            .label("expected a number followed by s, m or h")
                            .help("for example `30s`, `5m` or `1h`; leave `pause` out to wait for a manual promote"),
                    );
                }
            }
            if canary.steps.is_empty() {
                cx.report(
                    Diagnostic::error("a canary needs at least one step")
                        .at(cx.spans.value(&["services", name, "canary", "steps"]))
                        .help("for example `steps = [{ weight = 20, pause = \"5m\" }, { weight = 100 }]`"),
                );
            }
        }
        if let Some(analysis) = &service.analysis {
            let prometheus = ["services", name.as_str(), "analysis", "prometheus"];
            if service.strategy == Strategy::BlueGreen && cx.spans.contains(&prometheus) {
                cx.report(
                    Diagnostic::error(format!(
                        "`analysis.prometheus` is set, but `{name}` uses git-driven blue/green, which runs no analysis"
                    ))
                    .at(cx.spans.key(&prometheus))
                    .label("no Prometheus is queried for this service")
                    .help("its objectives (`success_rate`, `p99_latency_ms`) still set its alerts and dashboard: remove `prometheus`, or set `strategy = \"canary\"` or `\"rollout-blue-green\"`"),
                );
            }
            if let Some(rate) = analysis.success_rate
                && !(rate > 0.0 && rate < 1.0)
            {
                let mut problem =
                    Diagnostic::error(format!("success rate objective {rate} is out of range"))
                        .at(cx
                            .spans
                            .value(&["services", name, "analysis", "success_rate"]))
                        .label("expected a number above 0 and below 1, such as 0.99");
                if rate >= 1.0 {
                    problem = problem
                        .help("1 would allow no failed request at all: every 5xx would alert");
                }
                cx.report(problem);
            }
            if let Some(ms) = analysis.p99_latency_ms
                && ms < 1
            {
                cx.report(
                    Diagnostic::error(format!("p99 latency threshold {ms} ms is not positive"))
                        .at(cx
                            .spans
                            .value(&["services", name, "analysis", "p99_latency_ms"]))
                        .label("expected milliseconds, 1 or more"),
                );
            }
        }
    }
}

/// Why a canary step's weight is not valid after a step of weight `last`, with a label.
fn weight_problem(weight: i64, last: i64) -> Option<(String, &'static str)> {
    if weight > 100 {
        Some((
            format!("canary weight {weight} is over 100%"),
            "at most 100",
        ))
    } else if weight < 1 {
        Some((format!("canary weight {weight} is below 1%"), "at least 1"))
    } else if weight <= last {
        Some((
            format!(
                "canary weight {weight} does not climb: the step before sends {last}% of traffic"
            ),
            "must be above the step before",
        ))
    } else {
        None
    }
}

fn is_duration(text: &str) -> bool {
    let digits = text.trim_end_matches(['s', 'm', 'h']);
    text.len() == digits.len() + 1
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
}
