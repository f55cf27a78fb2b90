//! Durations as Go's `time.ParseDuration` reads them, which is how Argo CD reads the
//! `duration` of a sync window: `8h`, `90m`, `1.5h`, `1h30m`, `300ms`.

const NANOS_PER_UNIT: &[(&str, u128)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("\u{b5}s", 1_000),
    ("\u{3bc}s", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

/// The duration in nanoseconds, or why Go would refuse it.
pub(crate) fn parse(text: &str) -> Result<i128, String> {
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err("it is empty".to_owned());
    }
    if rest.contains(char::is_whitespace) {
        return Err("a duration is written without spaces".to_owned());
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let whole_len = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let whole = &rest[..whole_len];
        rest = &rest[whole_len..];
        let fraction = match rest.strip_prefix('.') {
            Some(after) => {
                let len = after
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(after.len());
                rest = &after[len..];
                &after[..len]
            }
            None => "",
        };
        if whole.is_empty() && fraction.is_empty() {
            return Err("every unit needs a number before it".to_owned());
        }
        let unit_len = rest
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        if unit.is_empty() {
            return Err(format!("`{whole}{}` has no unit", dotted(fraction)));
        }
        let Some(&(_, scale)) = NANOS_PER_UNIT.iter().find(|(name, _)| *name == unit) else {
            return Err(format!("`{unit}` is not a unit"));
        };
        let whole: u128 = whole
            .parse()
            .unwrap_or(if whole.is_empty() { 0 } else { u128::MAX });
        total = whole
            .checked_mul(scale)
            .and_then(|n| n.checked_add(fraction_nanos(fraction, scale)))
            .and_then(|n| total.checked_add(n))
            .filter(|n| *n <= i64::MAX as u128 + u128::from(negative))
            .ok_or_else(|| {
                "it is longer than Go's longest duration (about 292 years)".to_owned()
            })?;
    }
    let total = i128::try_from(total).unwrap_or(i128::MAX);
    Ok(if negative { -total } else { total })
}

fn dotted(fraction: &str) -> String {
    if fraction.is_empty() {
        String::new()
    } else {
        format!(".{fraction}")
    }
}

/// The nanoseconds of `.fraction` of a unit of `scale` nanoseconds, cut (as Go does) below a
/// nanosecond.
fn fraction_nanos(fraction: &str, scale: u128) -> u128 {
    let mut nanos = 0;
    let mut place = scale;
    for digit in fraction.bytes() {
        place /= 10;
        if place == 0 {
            break;
        }
        nanos += u128::from(digit - b'0') * place;
    }
    nanos
}

#[cfg(test)]
mod tests {
    use super::parse;

    const MINUTE: i128 = 60_000_000_000;

    #[test]
    fn accepts_what_go_accepts() {
        for (text, nanos) in [
            ("8h", 480 * MINUTE),
            ("90m", 90 * MINUTE),
            ("1.5h", 90 * MINUTE),
            ("1h30m", 90 * MINUTE),
            (".5h", 30 * MINUTE),
            ("1.h", 60 * MINUTE),
            ("300ms", 300_000_000),
            ("2us", 2_000),
            ("2\u{b5}s", 2_000),
            ("0", 0),
            ("-1m", -MINUTE),
            ("+1m", MINUTE),
        ] {
            assert_eq!(parse(text), Ok(nanos), "{text}");
        }
    }

    #[test]
    fn refuses_what_go_refuses() {
        for text in [
            "", "7 hours", "7hours", "8", "h", ".h", "1d", "1H", "1h 30m", "-", "9999999h",
            "1.2.3h",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn hours_minutes_and_seconds_add_up(h in 0u32..10_000, m in 0u32..600, sec in 0u32..600) {
            let text = format!("{h}h{m}m{sec}s");
            let expected = (i128::from(h) * 3600 + i128::from(m) * 60 + i128::from(sec)) * 1_000_000_000;
            proptest::prop_assert_eq!(parse(&text), Ok(expected));
        }

        #[test]
        fn a_number_without_a_unit_is_refused(n in 1u32..1_000_000) {
            proptest::prop_assert!(parse(&n.to_string()).is_err());
        }
    }
}
