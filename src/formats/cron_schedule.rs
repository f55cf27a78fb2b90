//! Cron schedules as Argo CD reads a sync window's `schedule`: robfig/cron's parser with
//! exactly five fields (minute, hour, day of month, month, day of week) and no descriptors
//! such as `@daily`. croner parses the fields; this module keeps to robfig's dialect, which
//! has none of croner's extensions (`L`, `W`, `#`, `7` for Sunday).

use croner::parser::{CronParser, Seconds, Year};

struct Field {
    name: &'static str,
    valid: &'static str,
    names: &'static [&'static str],
    min: u32,
    max: u32,
}

const FIELDS: [Field; 5] = [
    Field {
        name: "minute",
        valid: "0-59",
        names: &[],
        min: 0,
        max: 59,
    },
    Field {
        name: "hour",
        valid: "0-23",
        names: &[],
        min: 0,
        max: 23,
    },
    Field {
        name: "day of month",
        valid: "1-31",
        names: &[],
        min: 1,
        max: 31,
    },
    Field {
        name: "month",
        valid: "1-12 or JAN-DEC",
        names: &[
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
        ],
        min: 1,
        max: 12,
    },
    Field {
        name: "day of week",
        valid: "0-6 (Sunday is 0) or SUN-SAT",
        names: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
        min: 0,
        max: 6,
    },
];

/// The descriptors a CronJob's schedule may be instead of five fields.
const JOB_DESCRIPTORS: [&str; 7] = [
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
];

/// Why Kubernetes would refuse `schedule` as a CronJob's, if it would: the same five fields
/// as Argo CD reads, or one of the descriptors; the time zone is a field of its own.
pub(crate) fn job_schedule_problem(schedule: &str) -> Option<String> {
    let trimmed = schedule.trim();
    if trimmed.starts_with('@') {
        return (!JOB_DESCRIPTORS.contains(&trimmed)).then(|| {
            format!(
                "`{trimmed}` is not a descriptor Kubernetes reads; use one of {}",
                JOB_DESCRIPTORS.join(", ")
            )
        });
    }
    schedule_problem(schedule)
}

/// Why Argo CD would refuse `schedule`, if it would.
pub(crate) fn schedule_problem(schedule: &str) -> Option<String> {
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    if schedule.trim_start().starts_with('@') {
        return Some("Argo CD does not read descriptors such as `@daily`".to_owned());
    }
    if fields
        .first()
        .is_some_and(|f| f.starts_with("TZ=") || f.starts_with("CRON_TZ="))
    {
        return Some("the time zone goes in `timezone`, not in the schedule".to_owned());
    }
    if fields.len() != 5 {
        return Some(format!(
            "it has {} field{}, and a schedule has 5: minute, hour, day of month, month, day of week",
            fields.len(),
            if fields.len() == 1 { "" } else { "s" }
        ));
    }
    fields
        .iter()
        .zip(&FIELDS)
        .enumerate()
        .find_map(|(i, (text, field))| {
            field_problem(i, text, field)
                .map(|why| format!("the {} `{text}` is not valid: {why}", field.name))
        })
}

fn field_problem(index: usize, text: &str, field: &Field) -> Option<String> {
    for word in text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
    {
        if !field.names.contains(&word.to_ascii_uppercase().as_str()) {
            return Some(format!("`{word}` is not understood; use {}", field.valid));
        }
    }
    if let Some(c) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '*' | '?' | ',' | '-' | '/')))
    {
        return Some(format!("`{c}` is not understood; use {}", field.valid));
    }
    for number in text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
    {
        let is_step = text.contains(&format!("/{number}"));
        if !is_step
            && number
                .parse::<u32>()
                .map_or(true, |n| n < field.min || n > field.max)
        {
            return Some(format!("{number} is outside {}", field.valid));
        }
    }
    // Each field alone, the others `*`, so croner's verdict is about this field. robfig reads
    // `?` as `*` in every field.
    let mut alone = ["*"; 5];
    let text = text.replace('?', "*");
    alone[index] = &text;
    let parser = CronParser::builder()
        .seconds(Seconds::Disallowed)
        .year(Year::Disallowed)
        .sloppy_ranges(true)
        .build();
    parser.parse(&alone.join(" ")).err().map(|_| {
        format!(
            "use {}, ranges `a-b`, lists `a,b` and steps `*/n`",
            field.valid
        )
    })
}

#[cfg(test)]
mod tests {
    use super::{job_schedule_problem, schedule_problem};

    #[test]
    fn a_job_schedule_reads_descriptors_too() {
        for good in ["@daily", "@hourly", "0 3 * * *", "*/5 * * * 1-5"] {
            assert_eq!(job_schedule_problem(good), None, "{good}");
        }
        for bad in ["@every 5m", "@nightly", "0 3 * *", "61 * * * *"] {
            assert!(job_schedule_problem(bad).is_some(), "{bad}");
        }
        let zone = job_schedule_problem("CRON_TZ=UTC 0 3 * * *").unwrap();
        assert!(zone.contains("time zone"), "{zone}");
    }

    #[test]
    fn accepts_argo_cds_five_field_schedules() {
        for good in [
            "0 9 * * 1-5",
            "*/15 * * * *",
            "0 22 * * 5",
            "30 8 1,15 * *",
            "0 0 1 jan,jul *",
            "0 9 * * MON-FRI",
            "0 9 ? * 1",
            "5/10 * * * *",
            "0 0-23/2 * * *",
            "59 23 31 12 6",
        ] {
            assert_eq!(schedule_problem(good), None, "{good}");
        }
    }

    #[test]
    fn refuses_what_argo_cd_refuses() {
        for (bad, why) in [
            ("61 9 * * 1-4", "the minute `61`"),
            ("0 24 * * *", "the hour `24`"),
            ("0 9 0 * *", "the day of month `0`"),
            ("0 9 * 13 *", "the month `13`"),
            ("0 9 * * 7", "the day of week `7`"),
            ("every monday", "2 fields"),
            ("0 9 * * * *", "6 fields"),
            ("@daily", "descriptors"),
            ("CRON_TZ=UTC 0 9 * * *", "`timezone`"),
            ("0 9 L * *", "`L` is not understood"),
            ("0 9 * * 1#2", "`#` is not understood"),
            ("0 9 * * FRIDAY", "`FRIDAY` is not understood"),
            ("0 9 * * 5-1", "the day of week `5-1`"),
            ("0 9 * * */0", "the day of week `*/0`"),
        ] {
            let problem = schedule_problem(bad).unwrap_or_else(|| panic!("{bad} accepted"));
            assert!(problem.contains(why), "{bad}: {problem}");
        }
    }

    proptest::proptest! {
        #[test]
        fn every_value_in_range_is_accepted(
            minute in 0u32..60, hour in 0u32..24, day in 1u32..32, month in 1u32..13, weekday in 0u32..7,
        ) {
            let schedule = format!("{minute} {hour} {day} {month} {weekday}");
            proptest::prop_assert_eq!(schedule_problem(&schedule), None, "{}", schedule);
        }

        #[test]
        fn a_minute_or_hour_out_of_range_is_refused(minute in 60u32..1000, hour in 24u32..1000) {
            let minute_out = format!("{minute} 9 * * *");
            let hour_out = format!("0 {hour} * * *");
            proptest::prop_assert!(schedule_problem(&minute_out).is_some());
            proptest::prop_assert!(schedule_problem(&hour_out).is_some());
        }
    }
}
