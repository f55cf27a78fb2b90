//! Dates (an exception's `expires`, a base image version's `deadline`) are a day: a TOML date
//! without a time, or a string in the same form. serde's error for anything else names
//! neither the key nor the forms that would do.

use toml::de::DeValue;

use crate::spec::Date;

/// What the value is instead of a day, if it is not one.
pub(super) fn not_a_day(value: &DeValue<'_>) -> Option<String> {
    match value {
        DeValue::Datetime(datetime) => match (datetime.date, datetime.time) {
            (Some(_), None) => None,
            (Some(_), Some(_)) => Some(format!("a date with a time of day, `{datetime}`")),
            (None, _) => Some(format!("a time of day, `{datetime}`")),
        },
        DeValue::String(text) => not_a_day_text(text),
        _ => None,
    }
}

fn not_a_day_text(text: &str) -> Option<String> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let quoted = format!("`\"{}\"`", text.escape_debug());
    if !shaped {
        return Some(format!("{quoted}, which is not in the form YYYY-MM-DD"));
    }
    Date::parse(text)
        .is_err()
        .then(|| format!("{quoted}, which is not a day of the calendar"))
}

#[cfg(test)]
mod tests {
    use super::not_a_day_text;

    #[test]
    fn a_day_written_as_a_string_is_a_day() {
        assert_eq!(not_a_day_text("2026-12-15"), None);
        assert_eq!(not_a_day_text("2028-02-29"), None);
    }

    #[test]
    fn anything_else_written_as_a_string_is_not() {
        for text in [
            "soon",
            "31/01/2027",
            "2026-12-15T10:00:00",
            "2026-12-15 ",
            "20261215",
            "2026-1-5",
        ] {
            let found = not_a_day_text(text).unwrap();
            assert!(
                found.contains("not in the form YYYY-MM-DD"),
                "{text}: {found}"
            );
        }
        for text in ["2026-02-30", "2027-02-29", "2026-13-01", "2026-00-10"] {
            let found = not_a_day_text(text).unwrap();
            assert!(
                found.contains("not a day of the calendar"),
                "{text}: {found}"
            );
        }
    }
}
