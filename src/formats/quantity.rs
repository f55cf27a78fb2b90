//! Kubernetes resource quantities (`250m`, `1.5`, `512Mi`, `1e3`), as the API server's
//! `resource.ParseQuantity` reads them: a number with an optional sign, then a binary suffix
//! (`Ki` … `Ei`), a decimal suffix (`n`, `u`, `m`, `k`, `M` … `E`) or an exponent (`e3`).

const SUFFIXES: &[&str] = &[
    "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E",
];

/// Why `text` is not a quantity a request or limit accepts, if it is not.
pub(crate) fn quantity_problem(text: &str) -> Option<&'static str> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let number_len = unsigned
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(unsigned.len());
    let (number, suffix) = unsigned.split_at(number_len);
    if !is_decimal(number) {
        return Some("it does not start with a number");
    }
    let suffix_valid = suffix.is_empty()
        || SUFFIXES.contains(&suffix)
        || suffix.strip_prefix(['e', 'E']).is_some_and(|exponent| {
            let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
        });
    if !suffix_valid {
        return Some("its unit is not one of Ki, Mi, Gi, Ti, Pi, Ei, n, u, m, k, M, G, T, P, E");
    }
    if text.starts_with('-') && number.chars().any(|c| matches!(c, '1'..='9')) {
        return Some("it is negative");
    }
    None
}

/// The value of a quantity in billionths of its unit (nanocores, nanobytes), the finest
/// precision the API server keeps (it rounds finer values up); `None` when `text` is not a
/// quantity. Values beyond `u128` saturate, far above anything a node has.
pub(crate) fn nanos(text: &str) -> Option<u128> {
    if quantity_problem(text).is_some() {
        return None;
    }
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let number_len = unsigned
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(unsigned.len());
    let (number, suffix) = unsigned.split_at(number_len);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let (ten, two) = scale(suffix);
    let digits = format!("{whole}{fraction}");
    let fraction_len = i64::try_from(fraction.len()).unwrap_or(i64::MAX);
    let ten = ten.saturating_add(9).saturating_sub(fraction_len);
    let mut value: u128 = 0;
    for digit in digits.bytes() {
        value = value
            .saturating_mul(10)
            .saturating_add(u128::from(digit - b'0'));
    }
    value = value.saturating_mul(1u128 << two);
    Some(if ten >= 0 {
        let power = u32::try_from(ten).map_or(None, |t| 10u128.checked_pow(t));
        power.map_or(if value == 0 { 0 } else { u128::MAX }, |p| {
            value.saturating_mul(p)
        })
    } else {
        let power = u32::try_from(-ten).map_or(None, |t| 10u128.checked_pow(t));
        power.map_or(u128::from(value != 0), |p| value.div_ceil(p))
    })
}

/// The power of ten and the power of two a suffix multiplies by.
fn scale(suffix: &str) -> (i64, u32) {
    let binary = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    if let Some(at) = binary.iter().position(|b| *b == suffix) {
        return (0, 10 * (u32::try_from(at).unwrap_or(0) + 1));
    }
    let ten = match suffix {
        "n" => -9,
        "u" => -6,
        "m" => -3,
        "" => 0,
        "k" => 3,
        "M" => 6,
        "G" => 9,
        "T" => 12,
        "P" => 15,
        "E" => 18,
        exponent => exponent[1..].parse::<i64>().unwrap_or_else(|_| {
            if exponent[1..].starts_with('-') {
                i64::MIN / 2
            } else {
                i64::MAX / 2
            }
        }),
    };
    (ten, 0)
}

/// `12`, `1.5`, `1.`, `.5`; not `.` or `1.2.3`.
fn is_decimal(number: &str) -> bool {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let has_digits = !whole.is_empty() || !fraction.is_empty();
    has_digits && !fraction.contains('.')
}

#[cfg(test)]
mod tests {
    use super::{nanos, quantity_problem};

    #[test]
    fn quantities_compare_by_value_not_by_text() {
        let less = |a: &str, b: &str| nanos(a).unwrap() < nanos(b).unwrap();
        assert!(less("500m", "1"));
        assert!(less("1000Mi", "1Gi"));
        assert!(less("1G", "1Gi"));
        assert!(less("999m", "1.0"));
        assert!(less("0.5", "501m"));
        assert!(less("1e3", "1001"));
        assert!(less("1E-2", "11m"));
        assert!(less("1n", "1u"));
        assert!(less("1Ki", "1025"));
        assert!(less("1Ei", "2E"));
    }

    #[test]
    fn equal_quantities_written_differently_are_equal() {
        for (a, b) in [
            ("1", "1000m"),
            ("0.5", "500m"),
            ("1Ki", "1024"),
            ("1Gi", "1024Mi"),
            ("1k", "1e3"),
            ("1.5", "1500m"),
            ("+2", "2"),
            ("-0", "0"),
            ("1M", "1000k"),
        ] {
            assert_eq!(nanos(a), nanos(b), "{a} = {b}");
        }
    }

    #[test]
    fn values_finer_than_a_billionth_round_up_as_the_api_server_does() {
        assert_eq!(nanos("0.1n"), Some(1));
        assert_eq!(nanos("1e-20"), Some(1));
        assert_eq!(nanos("0e-20"), Some(0));
        assert_eq!(nanos("1e99"), Some(u128::MAX));
        assert_eq!(nanos("lots"), None);
    }

    #[test]
    fn kubernetes_quantities_are_accepted() {
        for good in [
            "250m", "1", "0.5", "1.5", ".5", "2.", "512Mi", "1Gi", "100k", "1e3", "1E-2", "+1",
            "0", "1500u", "10n", "2Ei",
        ] {
            assert_eq!(quantity_problem(good), None, "{good}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "lots", "", "Mi", "1 Gi", "1gi", "1GB", "1.2.3", ".", "250 m", "1e", "1Ki2", "-1",
            "-250m", "1,5",
        ] {
            assert!(quantity_problem(bad).is_some(), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn a_number_with_any_kubernetes_suffix_is_a_quantity(
            whole in 0u32..100_000,
            fraction in proptest::option::of(0u32..1000),
            suffix in proptest::sample::select(super::SUFFIXES.to_vec()),
        ) {
            let number = match fraction {
                Some(f) => format!("{whole}.{f}"),
                None => whole.to_string(),
            };
            let text = format!("{number}{suffix}");
            proptest::prop_assert_eq!(quantity_problem(&text), None, "{}", text);
        }

        #[test]
        fn a_word_is_not_a_quantity(word in "[a-zA-Z ]{1,12}") {
            proptest::prop_assert!(quantity_problem(&word).is_some());
        }
    }
}
