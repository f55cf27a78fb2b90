//! When a sync window's schedule fires, found as robfig/cron (the library Argo CD reads
//! `schedule` with) finds it. robfig walks the wall clock of the window's time zone field by
//! field, stepping hours and minutes as elapsed time: a firing in the hour skipped when clocks
//! go forward does not happen that day, and one in the hour repeated when they go back happens
//! twice. croner answers both differently (at the transition; once), so it only parses here.

use croner::parser::{CronParser, Seconds, Year};
use croner::{Cron, CronComponent};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};

/// The five fields of a schedule as robfig holds them: one bit per value that matches.
#[derive(Debug, Clone)]
pub(super) struct Schedule {
    minute: u64,
    hour: u64,
    day_of_month: u64,
    month: u64,
    day_of_week: u64,
    /// robfig requires both day fields to match when either is `*` or `?` (unstepped), and
    /// either one otherwise.
    both_days: bool,
}

impl Schedule {
    /// A schedule the validator accepts; `None` for any other, which never fires.
    pub(super) fn parse(text: &str) -> Option<Self> {
        let cron: Cron = CronParser::builder()
            .seconds(Seconds::Disallowed)
            .year(Year::Disallowed)
            .sloppy_ranges(true)
            .build()
            .parse(&text.replace('?', "*"))
            .ok()?;
        let fields: Vec<&str> = text.split_whitespace().collect();
        let pattern = &cron.pattern;
        Some(Self {
            minute: bits(&pattern.minutes),
            hour: bits(&pattern.hours),
            day_of_month: bits(&pattern.days),
            month: bits(&pattern.months),
            // croner reads 7 as Sunday too; robfig has only 0.
            day_of_week: bits(&pattern.days_of_week) | (bits(&pattern.days_of_week) >> 7 & 1),
            both_days: fields.get(2).is_some_and(|f| is_star(f))
                || fields.get(4).is_some_and(|f| is_star(f)),
        })
    }

    /// The first firing strictly after `after`, on the wall clock of `after`'s zone, as
    /// robfig's `SpecSchedule.Next` finds it; `None` when there is none within five years.
    pub(super) fn next_after(&self, after: &Zoned) -> Option<Zoned> {
        let zone = after.time_zone().clone();
        // The upcoming whole second.
        let start = after.timestamp();
        let whole = start.as_second() - i64::from(start.subsec_nanosecond() < 0);
        let mut t = Timestamp::from_second(whole + 1)
            .ok()?
            .to_zoned(zone.clone());
        let year_limit = t.year() + 5;
        // Once a field has moved, the smaller ones restart from their lowest value.
        let mut moved = false;
        'wrap: loop {
            if t.year() > year_limit {
                return None;
            }
            while !has(self.month, t.month()) {
                if !moved {
                    moved = true;
                    t = go_date(
                        &zone,
                        t.date()
                            .first_of_month()
                            .to_datetime(jiff::civil::Time::midnight()),
                    )?;
                }
                t = go_date(&zone, t.datetime().checked_add(1.month()).ok()?)?;
                if t.month() == 1 {
                    continue 'wrap;
                }
            }
            while !self.day_matches(&t) {
                if !moved {
                    moved = true;
                    t = go_date(&zone, t.date().to_datetime(jiff::civil::Time::midnight()))?;
                }
                t = go_date(&zone, t.datetime().checked_add(1.day()).ok()?)?;
                // Where midnight does not exist the day starts at 01:00 or the evening
                // before; robfig moves back onto the day's first hour.
                let hour = i64::from(t.hour());
                if hour != 0 {
                    let shift = if hour > 12 { 24 - hour } else { -hour };
                    t = t.checked_add(shift.hours()).ok()?;
                }
                if t.day() == 1 {
                    continue 'wrap;
                }
            }
            while !has(self.hour, t.hour()) {
                if !moved {
                    moved = true;
                    let hour = t.datetime().with().minute(0).second(0).subsec_nanosecond(0);
                    t = go_date(&zone, hour.build().ok()?)?;
                }
                t = t.checked_add(1.hour()).ok()?;
                if t.hour() == 0 {
                    continue 'wrap;
                }
            }
            while !has(self.minute, t.minute()) {
                if !moved {
                    moved = true;
                    t = truncate(&t, 60)?;
                }
                t = t.checked_add(1.minute()).ok()?;
                if t.minute() == 0 {
                    continue 'wrap;
                }
            }
            // Argo CD's five fields leave the second at 0.
            while t.second() != 0 {
                if !moved {
                    moved = true;
                    t = truncate(&t, 1)?;
                }
                t = t.checked_add(1.second()).ok()?;
                if t.second() == 0 {
                    continue 'wrap;
                }
            }
            return Some(t);
        }
    }

    fn day_matches(&self, t: &Zoned) -> bool {
        let day_of_month = has(self.day_of_month, t.day());
        let day_of_week = has(self.day_of_week, t.weekday().to_sunday_zero_offset());
        if self.both_days {
            day_of_month && day_of_week
        } else {
            day_of_month || day_of_week
        }
    }
}

fn bits(component: &CronComponent) -> u64 {
    component
        .values()
        .iter()
        .fold(0, |bits, value| bits | 1 << value)
}

fn has(bits: u64, value: i8) -> bool {
    u32::try_from(value).is_ok_and(|value| value < 64 && bits >> value & 1 == 1)
}

/// robfig's star: a list with a part `*` or `?`, unstepped or stepped by 1.
fn is_star(field: &str) -> bool {
    field.split(',').any(|part| {
        let mut range_and_step = part.split('/');
        let range = range_and_step.next().unwrap_or_default();
        let low = range.split('-').next().unwrap_or_default();
        (low == "*" || low == "?") && range_and_step.next().is_none_or(|step| step == "1")
    })
}

/// The moment Go's `time.Date` gives a wall clock time of `zone`: the offset in force at that
/// wall time read as UTC, corrected once. A time in a gap or a repeated hour resolves as Go
/// resolves it, which is what robfig's walk starts from.
fn go_date(zone: &TimeZone, wall: DateTime) -> Option<Zoned> {
    let as_utc = wall.to_zoned(TimeZone::UTC).ok()?.timestamp().as_second();
    let guess = zone
        .to_offset(Timestamp::from_second(as_utc).ok()?)
        .seconds();
    let corrected = zone
        .to_offset(Timestamp::from_second(as_utc - i64::from(guess)).ok()?)
        .seconds();
    let second = as_utc - i64::from(corrected);
    Some(
        Timestamp::from_second(second)
            .ok()?
            .checked_add(i64::from(wall.subsec_nanosecond()).nanoseconds())
            .ok()?
            .to_zoned(zone.clone()),
    )
}

/// Go's `Truncate`: down to a multiple of `seconds` of elapsed time.
fn truncate(t: &Zoned, seconds: i64) -> Option<Zoned> {
    let stamp = t.timestamp();
    let whole = stamp.as_second() - i64::from(stamp.subsec_nanosecond() < 0);
    Some(
        Timestamp::from_second(whole - whole.rem_euclid(seconds))
            .ok()?
            .to_zoned(t.time_zone().clone()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first firing of `schedule` after `after`, on the clock of `zone`.
    fn next_in(zone: &str, schedule: &str, after: &str) -> Option<Timestamp> {
        let after = after
            .parse::<Timestamp>()
            .unwrap()
            .to_zoned(TimeZone::get(zone).unwrap());
        Schedule::parse(schedule)
            .unwrap()
            .next_after(&after)
            .map(|t| t.timestamp())
    }

    fn next(schedule: &str, after: &str) -> Option<Timestamp> {
        next_in("America/New_York", schedule, after)
    }

    fn stamp(moment: &str) -> Option<Timestamp> {
        moment.parse().ok()
    }

    /// Each `(schedule, after, expected)` on New York's clock, as robfig/cron v3's own table
    /// has it (spec_test.go, TestNext; the seconds field dropped, the moments in UTC).
    fn robfig_agrees(cases: &[(&str, &str, &str)]) {
        for (schedule, after, expected) in cases {
            assert_eq!(
                next(schedule, after),
                stamp(expected),
                "`{schedule}` after {after}"
            );
        }
    }

    #[test]
    fn the_daylight_saving_cases_of_robfig_cron_come_out_as_robfig_has_them() {
        // Clocks go forward on 2012-03-11: 02:00 EST is 03:00 EDT. A firing at 02:xx is
        // skipped that night.
        robfig_agrees(&[
            (
                "30 2 11 Mar *",
                "2012-03-11T05:00:00Z",
                "2013-03-11T06:30:00Z",
            ),
            ("0 * * * *", "2012-03-11T05:00:00Z", "2012-03-11T06:00:00Z"),
            ("0 * * * *", "2012-03-11T06:00:00Z", "2012-03-11T07:00:00Z"),
            ("0 * * * *", "2012-03-11T07:00:00Z", "2012-03-11T08:00:00Z"),
            ("0 1 * * *", "2012-03-11T05:00:00Z", "2012-03-11T06:00:00Z"),
            ("0 1 * * *", "2012-03-11T06:00:00Z", "2012-03-12T05:00:00Z"),
            ("0 2 * * *", "2012-03-11T05:00:00Z", "2012-03-12T06:00:00Z"),
        ]);
        // Clocks go back on 2012-11-04: 02:00 EDT is 01:00 EST. A firing at 01:xx happens
        // twice that night.
        robfig_agrees(&[
            (
                "30 2 04 Nov *",
                "2012-11-04T04:00:00Z",
                "2012-11-04T07:30:00Z",
            ),
            (
                "30 1 04 Nov *",
                "2012-11-04T05:45:00Z",
                "2012-11-04T06:30:00Z",
            ),
            ("0 * * * *", "2012-11-04T04:00:00Z", "2012-11-04T05:00:00Z"),
            ("0 * * * *", "2012-11-04T05:00:00Z", "2012-11-04T06:00:00Z"),
            ("0 * * * *", "2012-11-04T06:00:00Z", "2012-11-04T07:00:00Z"),
            ("0 1 * * *", "2012-11-04T04:00:00Z", "2012-11-04T05:00:00Z"),
            ("0 1 * * *", "2012-11-04T05:00:00Z", "2012-11-04T06:00:00Z"),
            ("0 1 * * *", "2012-11-04T06:00:00Z", "2012-11-05T06:00:00Z"),
            ("0 2 * * *", "2012-11-04T04:00:00Z", "2012-11-04T07:00:00Z"),
            ("0 2 * * *", "2012-11-04T07:00:00Z", "2012-11-05T07:00:00Z"),
            ("0 3 * * *", "2012-11-04T04:00:00Z", "2012-11-04T08:00:00Z"),
            ("0 3 * * *", "2012-11-04T08:00:00Z", "2012-11-05T08:00:00Z"),
        ]);
    }

    #[test]
    fn a_day_whose_midnight_does_not_exist_still_matches() {
        // robfig/cron v3's cases for Sao Paulo (#157), whose clocks went from 00:00 to 01:00.
        let sao_paulo = "America/Sao_Paulo";
        assert_eq!(
            next_in(sao_paulo, "0 9 10 * *", "2018-10-17T05:00:00-04:00"),
            stamp("2018-11-10T06:00:00-05:00")
        );
        assert_eq!(
            next_in(sao_paulo, "0 9 22 * *", "2018-02-14T05:00:00-05:00"),
            stamp("2018-02-22T07:00:00-05:00")
        );
    }

    #[test]
    fn the_ordinary_cases_of_robfig_cron_come_out_as_robfig_has_them() {
        let cases = [
            (
                "*/15 * * * *",
                "2012-07-09T14:45:00Z",
                "2012-07-09T15:00:00Z",
            ),
            (
                "*/15 * * * *",
                "2012-07-09T14:59:59Z",
                "2012-07-09T15:00:00Z",
            ),
            (
                "20-35/15 * * * *",
                "2012-07-09T15:45:00Z",
                "2012-07-09T16:20:00Z",
            ),
            (
                "20-35/15 * * * *",
                "2012-07-09T23:45:00Z",
                "2012-07-10T00:20:00Z",
            ),
            (
                "0 0 9 Apr-Oct ?",
                "2012-07-09T23:35:00Z",
                "2012-08-09T00:00:00Z",
            ),
            // A stepped `*` is no star since v3 (#70): either day field is enough.
            (
                "0 0 */5 Apr,Aug,Oct Mon",
                "2012-07-09T23:35:00Z",
                "2012-08-01T00:00:00Z",
            ),
            (
                "0 0 */5 Oct Mon",
                "2012-07-09T23:35:00Z",
                "2012-10-01T00:00:00Z",
            ),
            (
                "0 0 * Feb Mon",
                "2012-07-09T23:35:00Z",
                "2013-02-04T00:00:00Z",
            ),
            (
                "0 0 * Feb Mon/2",
                "2012-07-09T23:35:00Z",
                "2013-02-01T00:00:00Z",
            ),
            ("* * * * *", "2012-12-31T23:59:45Z", "2013-01-01T00:00:00Z"),
            (
                "0 0 29 Feb ?",
                "2012-07-09T23:35:00Z",
                "2016-02-29T00:00:00Z",
            ),
        ];
        let utc = |moment: &str| moment.parse::<Timestamp>().unwrap().to_zoned(TimeZone::UTC);
        for (schedule, after, expected) in cases {
            let found = Schedule::parse(schedule)
                .unwrap()
                .next_after(&utc(after))
                .map(|t| t.timestamp());
            assert_eq!(found, stamp(expected), "`{schedule}` after {after}");
        }
        let never = Schedule::parse("0 0 30 Feb *").unwrap();
        assert!(never.next_after(&utc("2012-07-09T23:35:00Z")).is_none());
    }

    #[test]
    fn a_star_in_either_day_field_makes_both_count() {
        // Day 1 or 15 of the month, or a Sunday; with a `*`, the 1st and 15th alone.
        let either = Schedule::parse("0 0 1,15 * Sun").unwrap();
        let only = Schedule::parse("0 0 1,15 * *").unwrap();
        let stepped_by_one = Schedule::parse("0 0 1,15 * */1").unwrap();
        let utc = |moment: &str| moment.parse::<Timestamp>().unwrap().to_zoned(TimeZone::UTC);
        // Sunday 8 July 2012.
        let after = utc("2012-07-07T12:00:00Z");
        assert_eq!(
            either.next_after(&after).map(|t| t.timestamp()),
            stamp("2012-07-08T00:00:00Z")
        );
        for both in [only, stepped_by_one] {
            assert_eq!(
                both.next_after(&after).map(|t| t.timestamp()),
                stamp("2012-07-15T00:00:00Z")
            );
        }
    }
}
