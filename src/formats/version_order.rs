use std::cmp::Ordering;

/// Orders versions the way people read them: `1.9` < `1.10`, `3.12-r2` < `3.12-r10`,
/// `21` < `21-r1`. Runs of digits compare as numbers, everything else as text.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let (mut left, mut right) = (segments(a), segments(b));
    loop {
        match (left.next(), right.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<u128>(), y.parse::<u128>()) {
                    (Ok(x), Ok(y)) => x.cmp(&y),
                    _ => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

fn segments(version: &str) -> impl Iterator<Item = &str> {
    let mut rest = version.trim_start_matches('v');
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
        if rest.is_empty() {
            return None;
        }
        let digits = rest.starts_with(|c: char| c.is_ascii_digit());
        let end = rest
            .find(|c: char| !c.is_ascii_alphanumeric() || c.is_ascii_digit() != digits)
            .unwrap_or(rest.len());
        let (segment, tail) = rest.split_at(end);
        rest = tail;
        Some(segment)
    })
}

#[cfg(test)]
mod tests {
    use super::compare_versions;
    use std::cmp::Ordering::{Equal, Greater, Less};

    #[test]
    fn orders_versions_as_people_read_them() {
        for (a, b, order) in [
            ("1.9", "1.10", Less),
            ("3.12-r2", "3.12-r10", Less),
            ("21", "21-r1", Less),
            ("v1.2.0", "1.2.0", Greater),
            ("1.2.0", "1.2.0", Equal),
            ("2.0", "10.0", Less),
            ("1.0-alpha", "1.0-beta", Less),
        ] {
            assert_eq!(compare_versions(a, b), order, "{a} vs {b}");
        }
    }
}
