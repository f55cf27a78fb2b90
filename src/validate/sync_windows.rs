use super::context::Context;
use crate::formats::cron_schedule::schedule_problem;
use crate::formats::go_duration;
use crate::formats::time_zone::unknown_zone;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{SyncMode, SyncWindow, WindowKind};

/// A sync window's schedule, duration and time zone must be what Argo CD reads: it refuses
/// the AppProject otherwise, or, for a time zone, silently uses UTC.
pub(super) fn check(cx: &mut Context<'_>) {
    for (env, environment) in &cx.spec.environments {
        for (i, window) in environment.sync_windows.iter().enumerate() {
            let same = |earlier: &SyncWindow| {
                earlier.kind == window.kind
                    && earlier.schedule == window.schedule
                    && earlier.duration == window.duration
            };
            if let Some(first) = environment.sync_windows[..i].iter().position(same) {
                let index = i.to_string();
                let path = ["environments", env.as_str(), "sync_windows", &index];
                cx.report(
                    Diagnostic::error(format!(
                        "sync window {} of `{env}` repeats window {} (same kind, schedule and duration); Argo CD refuses the project",
                        i + 1,
                        first + 1
                    ))
                    .at(cx.spans.value(&path))
                    .label("duplicate window")
                    .help("remove it, or change its schedule or duration"),
                );
            }
            let index = i.to_string();
            let at = |key: &str| {
                ["environments", env.as_str(), "sync_windows", &index, key].map(str::to_owned)
            };
            if let Some(problem) = schedule_problem(&window.schedule) {
                report(
                    cx,
                    &at("schedule"),
                    format!(
                        "schedule `{}` is not a cron schedule Argo CD reads: {problem}",
                        window.schedule.escape_debug()
                    ),
                    "five fields: minute hour day-of-month month day-of-week, for example `0 9 * * 1-5` (09:00, Monday to Friday)",
                );
            }
            match go_duration::parse(&window.duration) {
                Ok(nanos) if nanos > 0 => {}
                Ok(_) => report(
                    cx,
                    &at("duration"),
                    format!(
                        "duration `{}` is not positive; the window would never open",
                        window.duration.escape_debug()
                    ),
                    "for example `8h`, `90m` or `1h30m`",
                ),
                Err(problem) => report(
                    cx,
                    &at("duration"),
                    format!(
                        "duration `{}` is not a duration Argo CD reads: {problem}",
                        window.duration.escape_debug()
                    ),
                    "a number and a unit (`h`, `m`, `s`), for example `8h`, `90m`, `1.5h` or `1h30m`",
                ),
            }
            if window.kind == WindowKind::Deny
                && window.manual_sync
                && environment.sync == SyncMode::Manual
            {
                let path: Vec<String> = at("manual_sync").into();
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                cx.report(
                    Diagnostic::warning(format!(
                        "deny window {} of `{env}` blocks nothing: `{env}` is synced by hand \
                         (`sync = \"manual\"`), and `manual_sync = true` lets manual syncs \
                         through the window, so Argo CD and fleetc's release commands pass it",
                        i + 1
                    ))
                    .at(cx.spans.value(&path))
                    .label("lets every sync of this environment through")
                    .help(format!(
                        "remove `manual_sync` to freeze `{env}`, or remove the window"
                    )),
                );
            }
            if let Some(zone) = &window.timezone
                && let Some(closest) = unknown_zone(zone)
            {
                let help = match closest.as_slice() {
                    [] => "an IANA time zone name, such as `Europe/London` or `America/New_York`"
                        .to_owned(),
                    names => format!("did you mean `{}`?", names.join("`, `")),
                };
                report(
                    cx,
                    &at("timezone"),
                    format!(
                        "timezone `{}` is not an IANA time zone; Argo CD would use UTC instead",
                        zone.escape_debug()
                    ),
                    &help,
                );
            }
        }
    }
}

fn report(cx: &mut Context<'_>, path: &[String; 5], message: String, help: &str) {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let span = cx.spans.value(&path);
    cx.report(
        Diagnostic::error(message)
            .at(span)
            .label("invalid value")
            .help(help),
    );
}
