//! Kubernetes resource quantities (`250m`, `1.5`, `512Mi`, `1e3`), as the API server's
//! `resource.ParseQuantity` reads them: a number with an optional sign, then a binary suffix
//! (`Ki` … `Ei`), a decimal suffix (`n`, `u`, `m`, `k`, `M` … `E`) or an exponent (`e3`).

const SUFFIXES: &[&str] = &[
    "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E",
];

/// Why `text` is not a quantity a request or limit accepts, if it is not.
pub fn quantity_problem(text: &str) -> Option<&'static str> {
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

/// `12`, `1.5`, `1.`, `.5`; not `.` or `1.2.3`.
fn is_decimal(number: &str) -> bool {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let has_digits = !whole.is_empty() || !fraction.is_empty();
    has_digits && !fraction.contains('.')
}

#[cfg(test)]
mod tests {
    use super::quantity_problem;

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
