//! Whether a deny sync window is open at a moment, judged as Argo CD judges it: a window is
//! active when its schedule fired within the last `duration` (the next firing after
//! `moment - duration` is not after `moment`), in the window's time zone (UTC when absent).

use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, Zoned};

use crate::spec::{Environment, SyncWindow, WindowKind};
use crate::validate::go_duration;

/// A deny window open at the moment asked about.
#[derive(Debug, Clone)]
pub struct ActiveWindow<'a> {
    /// Its place in `sync_windows`, counting from 1 as a person does.
    pub number: usize,
    pub window: &'a SyncWindow,
    pub opened: Zoned,
    pub closes: Zoned,
}

impl ActiveWindow<'_> {
    /// `deny window 2 (`0 0 20 12 *` for 336h, Europe/London): open since … until …`.
    pub fn describe(&self) -> String {
        format!(
            "deny window {} (`{}` for {}{}) is open from {} until {}",
            self.number,
            self.window.schedule,
            self.window.duration,
            self.window
                .timezone
                .as_deref()
                .map(|zone| format!(", {zone}"))
                .unwrap_or_default(),
            self.opened.strftime("%Y-%m-%d %H:%M %Z"),
            self.closes.strftime("%Y-%m-%d %H:%M %Z"),
        )
    }
}

/// The first deny window of `environment` open at `moment`, if any. A window the validator
/// would refuse is never open: the spec does not compile with it.
pub fn active_deny_window(
    environment: &Environment,
    moment: Timestamp,
) -> Option<ActiveWindow<'_>> {
    environment
        .sync_windows
        .iter()
        .enumerate()
        .filter(|(_, window)| window.kind == WindowKind::Deny)
        .find_map(|(i, window)| {
            let (opened, closes) = open_period(window, moment)?;
            Some(ActiveWindow {
                number: i + 1,
                window,
                opened,
                closes,
            })
        })
}

/// When the window opened and when it closes, if it is open at `moment`.
fn open_period(window: &SyncWindow, moment: Timestamp) -> Option<(Zoned, Zoned)> {
    let zone = match window.timezone.as_deref() {
        Some(name) => TimeZone::get(name).ok()?,
        None => TimeZone::UTC,
    };
    let nanos = go_duration::parse(&window.duration).ok()?;
    let duration = SignedDuration::from_nanos(i64::try_from(nanos).ok()?);
    let cron = parse_schedule(&window.schedule)?;
    let since = moment.checked_sub(duration).ok()?.to_zoned(zone);
    let opened = cron.find_next_occurrence(&since, false).ok()?;
    if opened.timestamp() > moment {
        return None;
    }
    let closes = opened.checked_add(duration).ok()?;
    Some((opened, closes))
}

/// robfig/cron's five fields, where `?` means `*`.
fn parse_schedule(schedule: &str) -> Option<Cron> {
    CronParser::builder()
        .seconds(Seconds::Disallowed)
        .year(Year::Disallowed)
        .sloppy_ranges(true)
        .build()
        .parse(&schedule.replace('?', "*"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn environment(windows: &str) -> Environment {
        let text = format!(
            "cluster = \"https://c\"\ndomain = \"d.example\"\nsync_windows = [{windows}]\n"
        );
        toml::from_str(&text).unwrap()
    }

    fn at(moment: &str) -> Timestamp {
        moment.parse().unwrap()
    }

    const FREEZE: &str = r#"{ kind = "deny", schedule = "0 0 20 12 *", duration = "336h" }"#;

    #[test]
    fn a_freeze_is_open_from_its_start_until_its_duration_has_passed() {
        let env = environment(FREEZE);
        assert!(active_deny_window(&env, at("2026-12-19T23:59:59Z")).is_none());
        let open = active_deny_window(&env, at("2026-12-20T00:00:00Z")).expect("opens");
        assert_eq!(open.number, 1);
        assert!(active_deny_window(&env, at("2027-01-02T23:59:59Z")).is_some());
        assert!(active_deny_window(&env, at("2027-01-03T00:00:00Z")).is_none());
        assert!(
            open.describe().contains("2027-01-03 00:00 UTC"),
            "{}",
            open.describe()
        );
    }

    #[test]
    fn allow_windows_never_deny() {
        let env = environment(r#"{ kind = "allow", schedule = "* * * * *", duration = "1h" }"#);
        assert!(active_deny_window(&env, at("2026-06-01T12:00:00Z")).is_none());
    }

    #[test]
    fn a_window_is_judged_in_its_own_time_zone() {
        // 09:00 in New York is 13:00 or 14:00 UTC, never 09:00 UTC.
        let env = environment(
            r#"{ kind = "deny", schedule = "0 9 * * *", duration = "1h", timezone = "America/New_York" }"#,
        );
        assert!(active_deny_window(&env, at("2026-06-01T09:30:00Z")).is_none());
        assert!(active_deny_window(&env, at("2026-06-01T13:30:00Z")).is_some());
    }

    #[test]
    fn weekday_windows_follow_the_calendar() {
        // Friday 16:00 for 64h: the weekend freeze, open on Sunday, closed on Monday at 08:00.
        let env = environment(r#"{ kind = "deny", schedule = "0 16 * * 5", duration = "64h" }"#);
        assert!(active_deny_window(&env, at("2026-11-29T12:00:00Z")).is_some());
        assert!(active_deny_window(&env, at("2026-11-30T08:00:00Z")).is_none());
        assert!(active_deny_window(&env, at("2026-11-27T15:59:00Z")).is_none());
    }

    #[test]
    fn the_second_of_two_windows_is_named_by_its_place() {
        let env = environment(&format!(
            r#"{{ kind = "allow", schedule = "0 9 * * *", duration = "1h" }}, {FREEZE}"#
        ));
        let open = active_deny_window(&env, at("2026-12-24T10:00:00Z")).unwrap();
        assert_eq!(open.number, 2);
    }
}
