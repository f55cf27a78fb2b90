//! When a sync window is open, judged as Argo CD judges it: a window is open when its
//! schedule fired within the last `duration` (the next firing after `moment - duration` is
//! not after `moment`), on the clock of the window's time zone (UTC when absent).

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, Zoned};

use super::schedule::Schedule;
use crate::formats::go_duration;
use crate::spec::{SyncWindow, WindowKind};

/// One opening of a window: the one in progress, or the next.
#[derive(Debug, Clone)]
pub(crate) struct WindowPeriod<'a> {
    /// Its place in `sync_windows`, counting from 1 as a person does.
    pub number: usize,
    pub window: &'a SyncWindow,
    pub from: Zoned,
    pub until: Zoned,
}

impl WindowPeriod<'_> {
    /// `deny window 2 (`0 0 20 12 *` for 336h, Europe/London)`.
    pub(crate) fn name(&self) -> String {
        window_name(self.number, self.window)
    }

    /// `from 2026-12-20 00:00 UTC until 2027-01-03 00:00 UTC`.
    pub(crate) fn span(&self) -> String {
        format!(
            "from {} until {}",
            self.from.strftime("%Y-%m-%d %H:%M %Z"),
            self.until.strftime("%Y-%m-%d %H:%M %Z"),
        )
    }
}

/// `deny window 2 (`0 0 20 12 *` for 336h, Europe/London)`: the window at place `number`.
pub(super) fn window_name(number: usize, window: &SyncWindow) -> String {
    let kind = match window.kind {
        WindowKind::Allow => "allow",
        WindowKind::Deny => "deny",
    };
    format!(
        "{kind} window {number} (`{}` for {}{})",
        window.schedule,
        window.duration,
        window
            .timezone
            .as_deref()
            .map(|zone| format!(", {zone}"))
            .unwrap_or_default(),
    )
}

/// A window as the clock reads it. A window the validator would refuse never opens: the spec
/// does not compile with it.
pub(super) struct Clock<'a> {
    number: usize,
    window: &'a SyncWindow,
    schedule: Schedule,
    duration: SignedDuration,
    zone: TimeZone,
}

impl<'a> Clock<'a> {
    /// The window at `index` of `sync_windows`.
    pub(super) fn new(index: usize, window: &'a SyncWindow) -> Option<Self> {
        let zone = match window.timezone.as_deref() {
            Some(name) => TimeZone::get(name).ok()?,
            None => TimeZone::UTC,
        };
        let nanos = go_duration::parse(&window.duration).ok()?;
        Some(Self {
            number: index + 1,
            window,
            schedule: Schedule::parse(&window.schedule)?,
            duration: SignedDuration::from_nanos(i64::try_from(nanos).ok()?),
            zone,
        })
    }

    pub(super) fn number(&self) -> usize {
        self.number
    }

    pub(super) fn window(&self) -> &'a SyncWindow {
        self.window
    }

    /// The opening in progress at `moment`, if the window is open then.
    pub(super) fn open_at(&self, moment: Timestamp) -> Option<WindowPeriod<'a>> {
        let since = moment
            .checked_sub(self.duration)
            .ok()?
            .to_zoned(self.zone.clone());
        let from = self.schedule.next_after(&since)?;
        (from.timestamp() <= moment).then(|| self.period(from))?
    }

    /// The first opening after `moment`.
    pub(super) fn next_after(&self, moment: Timestamp) -> Option<WindowPeriod<'a>> {
        let from = self
            .schedule
            .next_after(&moment.to_zoned(self.zone.clone()))?;
        self.period(from)
    }

    fn period(&self, from: Zoned) -> Option<WindowPeriod<'a>> {
        let until = from.checked_add(self.duration).ok()?;
        Some(WindowPeriod {
            number: self.number,
            window: self.window,
            from,
            until,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window written as `text`, an inline table.
    fn window(text: &str) -> SyncWindow {
        #[derive(serde::Deserialize)]
        struct One {
            window: SyncWindow,
        }
        toml::from_str::<One>(&format!("window = {text}"))
            .unwrap()
            .window
    }

    fn at(moment: &str) -> Timestamp {
        moment.parse().unwrap()
    }

    /// The opening of `window` in progress at `moment`.
    fn open<'a>(window: &'a SyncWindow, moment: &str) -> Option<WindowPeriod<'a>> {
        Clock::new(0, window).unwrap().open_at(at(moment))
    }

    #[test]
    fn a_freeze_is_open_from_its_start_until_its_duration_has_passed() {
        let freeze = window(r#"{ kind = "deny", schedule = "0 0 20 12 *", duration = "336h" }"#);
        assert!(open(&freeze, "2026-12-19T23:59:59Z").is_none());
        let period = open(&freeze, "2026-12-20T00:00:00Z").expect("opens");
        assert_eq!(period.number, 1);
        assert!(open(&freeze, "2027-01-02T23:59:59Z").is_some());
        assert!(open(&freeze, "2027-01-03T00:00:00Z").is_none());
        assert_eq!(
            format!("{} is open {}", period.name(), period.span()),
            "deny window 1 (`0 0 20 12 *` for 336h) is open from 2026-12-20 00:00 UTC until 2027-01-03 00:00 UTC"
        );
    }

    #[test]
    fn a_window_is_judged_in_its_own_time_zone() {
        // 09:00 in New York is 13:00 or 14:00 UTC, never 09:00 UTC.
        let morning = window(
            r#"{ kind = "deny", schedule = "0 9 * * *", duration = "1h", timezone = "America/New_York" }"#,
        );
        assert!(open(&morning, "2026-06-01T09:30:00Z").is_none());
        let period = open(&morning, "2026-06-01T13:30:00Z").expect("09:30 in New York");
        assert!(
            period.name().ends_with(", America/New_York)"),
            "{}",
            period.name()
        );
        assert_eq!(
            period.span(),
            "from 2026-06-01 09:00 EDT until 2026-06-01 10:00 EDT"
        );
    }

    #[test]
    fn weekday_windows_follow_the_calendar() {
        // Friday 16:00 for 64h: the weekend freeze, open on Sunday, closed on Monday at 08:00.
        let weekend = window(r#"{ kind = "deny", schedule = "0 16 * * 5", duration = "64h" }"#);
        assert!(open(&weekend, "2026-11-29T12:00:00Z").is_some());
        assert!(open(&weekend, "2026-11-30T08:00:00Z").is_none());
        assert!(open(&weekend, "2026-11-27T15:59:00Z").is_none());
    }

    #[test]
    fn a_firing_in_the_hour_skipped_when_clocks_go_forward_does_not_happen() {
        // Berlin has no 02:00-03:00 on 2026-03-29; robfig/cron, Argo CD's parser, skips a
        // firing it cannot place rather than moving it to 03:00.
        let night = window(
            r#"{ kind = "deny", schedule = "30 2 * * *", duration = "1h", timezone = "Europe/Berlin" }"#,
        );
        assert!(open(&night, "2026-03-29T01:15:00Z").is_none());
        assert!(open(&night, "2026-03-28T01:45:00Z").is_some());
        assert!(open(&night, "2026-03-30T00:45:00Z").is_some());
    }

    #[test]
    fn a_firing_in_the_hour_repeated_when_clocks_go_back_happens_twice() {
        // Berlin has 02:30 twice on 2026-10-25: at 00:30 UTC (CEST) and at 01:30 UTC (CET).
        let night = window(
            r#"{ kind = "deny", schedule = "30 2 * * *", duration = "20m", timezone = "Europe/Berlin" }"#,
        );
        let first = open(&night, "2026-10-25T00:40:00Z").expect("first 02:30");
        assert_eq!(first.from.timestamp(), at("2026-10-25T00:30:00Z"));
        assert!(open(&night, "2026-10-25T01:00:00Z").is_none());
        let second = open(&night, "2026-10-25T01:40:00Z").expect("second 02:30");
        assert_eq!(second.from.timestamp(), at("2026-10-25T01:30:00Z"));
    }

    #[test]
    fn the_next_opening_is_strictly_after_the_moment() {
        let daily = window(r#"{ kind = "allow", schedule = "0 9 * * *", duration = "1h" }"#);
        let clock = Clock::new(0, &daily).unwrap();
        let next = clock.next_after(at("2026-06-01T09:00:00Z")).unwrap();
        assert_eq!(next.from.timestamp(), at("2026-06-02T09:00:00Z"));
    }
}
