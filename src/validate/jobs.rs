//! A cron job's schedule and time zone, and how long and how often a job's runs may go, as
//! Kubernetes reads them.

use super::context::Context;
use crate::formats::cron_schedule::job_schedule_problem;
use crate::formats::go_duration;
use crate::formats::time_zone::unknown_zone;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{RunSettings, WorkloadKind};

/// Kubernetes caps neither count; one in the hundreds is a typo (for a deadline, most often).
const MAX_RETRIES: i64 = 100;
const MAX_KEPT: i64 = 100;

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (name, service) in &spec.services {
        if service.kind == WorkloadKind::CronJob {
            if let Some(schedule) = &service.schedule
                && let Some(problem) = job_schedule_problem(schedule)
            {
                cx.report(
                    Diagnostic::error(format!(
                        "schedule `{}` of `{name}` is not one Kubernetes reads: {problem}",
                        schedule.escape_debug()
                    ))
                    .at(cx.spans.value(&["services", name, "schedule"]))
                    .label("invalid schedule")
                    .help("five fields: minute hour day-of-month month day-of-week (`30 2 * * *`: 02:30 every day), or `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`; the time zone goes in `timezone`"),
                );
            }
            if let Some(zone) = &service.timezone
                && let Some(closest) = unknown_zone(zone)
            {
                let help = match closest.first() {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => "an IANA name such as `Europe/Berlin`, `America/New_York` or `UTC`"
                        .to_owned(),
                };
                cx.report(
                    Diagnostic::error(format!(
                        "time zone `{}` of `{name}` is not an IANA time zone name; the CronJob would be refused",
                        zone.escape_debug()
                    ))
                    .at(cx.spans.value(&["services", name, "timezone"]))
                    .label("unknown time zone")
                    .help(help),
                );
            }
        }
        if service.kind.runs_to_completion()
            && let Some(run) = &service.run
        {
            check_run(cx, name, run);
        }
    }
}

fn check_run(cx: &mut Context<'_>, name: &str, run: &RunSettings) {
    for (key, text) in [
        ("deadline", &run.deadline),
        ("start_within", &run.start_within),
    ] {
        let Some(text) = text else { continue };
        let problem = match go_duration::parse(text) {
            Ok(nanos) if nanos >= 1_000_000_000 => continue,
            Ok(_) => "it is under a second".to_owned(),
            Err(problem) => problem,
        };
        cx.report(
            Diagnostic::error(format!(
                "`{key}` of `{name}` is `{}`: {problem}",
                text.escape_debug()
            ))
            .at(cx.spans.value(&["services", name, "run", key]))
            .label("not a duration")
            .help("a duration of at least a second, for example `30m`, `2h` or `1h30m`"),
        );
    }
    let counts = [
        (vec!["retries"], run.retries, MAX_RETRIES),
        (
            vec!["keep", "succeeded"],
            run.keep.as_ref().and_then(|k| k.succeeded),
            MAX_KEPT,
        ),
        (
            vec!["keep", "failed"],
            run.keep.as_ref().and_then(|k| k.failed),
            MAX_KEPT,
        ),
    ];
    for (key, value, max) in counts {
        let Some(value) = value else { continue };
        if (0..=max).contains(&value) {
            continue;
        }
        let path: Vec<&str> = [&["services", name, "run"][..], &key].concat();
        cx.report(
            Diagnostic::error(format!(
                "`run.{}` of `{name}` is {value}; it counts from 0 to {max}",
                key.join(".")
            ))
            .at(cx.spans.value(&path))
            .label("out of range")
            .help(format!("a whole number from 0 to {max}")),
        );
    }
}
