use super::Context;
use crate::diagnostic::Diagnostic;
use crate::spec::Strategy;

/// Canary steps climb to 100% with pauses Argo Rollouts understands; analysis thresholds are
/// ratios and positive latencies; rollout settings belong to services that use them.
pub fn check(cx: &mut Context<'_>) {
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
                if !(1..=100).contains(&step.weight) || step.weight <= last {
                    cx.report(
                        Diagnostic::error(format!(
                            "canary weight {} does not climb: weights rise from 1 to 100, each above the one before ({last})",
                            step.weight
                        ))
                        .at(cx.spans.value(&[&at[..], &["weight"]].concat()))
                        .label("invalid weight"),
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
            if service.strategy == Strategy::BlueGreen {
                cx.report(
                    Diagnostic::error(format!(
                        "`analysis` is set, but `{name}` uses git-driven blue/green, which runs no analysis"
                    ))
                    .at(cx.spans.key(&["services", name, "analysis"]))
                    .help("set `strategy = \"canary\"` or `\"rollout-blue-green\"`, or remove `analysis`"),
                );
            }
            if let Some(rate) = analysis.success_rate
                && !(rate > 0.0 && rate <= 1.0)
            {
                cx.report(
                    Diagnostic::error(format!("success rate {rate} is not a ratio"))
                        .at(cx
                            .spans
                            .value(&["services", name, "analysis", "success_rate"]))
                        .label("expected a number above 0 and at most 1, such as 0.99"),
                );
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

fn is_duration(text: &str) -> bool {
    let digits = text.trim_end_matches(['s', 'm', 'h']);
    text.len() == digits.len() + 1
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
}
