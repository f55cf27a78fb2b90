//! Kyverno's reading of a scalar in a validate pattern. A string splits first at `|` (any
//! alternative holds) and each alternative at `&` (every condition holds), so `a | b & c` is
//! `a` or (`b` and `c`); a condition may start with `!`, `>`, `>=`, `<` or `<=`. Numbers and
//! quantities (`500m`, `2Gi`) compare by size, anything else as text with wildcards.
//! Durations and ranges (`1-10`) are not read: a pattern using them panics rather than being
//! judged wrongly.

use std::cmp::Ordering;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Number, Value};

use super::wildcard::wildcard;

/// Whether `value` (`None` when the resource lacks the key) satisfies the pattern `scalar`.
pub(super) fn satisfies(value: Option<&Value>, scalar: &Value) -> bool {
    let value = value.unwrap_or(&Value::Null);
    match scalar {
        Value::Bool(wanted) => value.as_bool() == Some(*wanted),
        Value::Number(wanted) => same_number(value, wanted),
        Value::Null => match value {
            Value::Null => true,
            Value::Bool(b) => !b,
            Value::Number(n) => n.as_f64() == Some(0.0),
            Value::String(s) => s.is_empty(),
            Value::Array(_) | Value::Object(_) => false,
        },
        Value::String(pattern) => {
            value.as_str() == Some(pattern.as_str())
                || pattern.split('|').any(|alternative| {
                    alternative
                        .trim()
                        .split('&')
                        .all(|condition| holds(value, condition.trim()))
                })
        }
        Value::Array(_) | Value::Object(_) => panic!("{scalar} is a structure, not a scalar"),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Operator {
    Equal,
    NotEqual,
    More,
    MoreEqual,
    Less,
    LessEqual,
}

fn holds(value: &Value, condition: &str) -> bool {
    static RANGE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\d+(\.\d+)?[^-]*!?-\d+(\.\d+)?[^-]*$").unwrap());
    assert!(
        !RANGE.is_match(condition),
        "`{condition}` is a Kyverno range, which this evaluator does not read"
    );
    let (operator, operand) = operator(condition);
    by_size(value, operand, operator) || as_text(value, operand, operator)
}

/// The operator a condition starts with (none for a condition shorter than two characters,
/// as Kyverno reads it) and the operand after it.
fn operator(condition: &str) -> (Operator, &str) {
    if condition.chars().count() < 2 {
        return (Operator::Equal, condition);
    }
    for (prefix, operator) in [
        (">=", Operator::MoreEqual),
        ("<=", Operator::LessEqual),
        (">", Operator::More),
        ("<", Operator::Less),
        ("!", Operator::NotEqual),
    ] {
        if let Some(operand) = condition.strip_prefix(prefix) {
            return (operator, operand.trim());
        }
    }
    (Operator::Equal, condition)
}

fn by_size(value: &Value, operand: &str, operator: Operator) -> bool {
    let found = match value {
        // A missing value counts as zero, as Kyverno converts it.
        Value::Null => Some(0.0),
        Value::Number(n) => n.as_f64(),
        Value::String(s) => quantity(s),
        _ => None,
    };
    let (Some(found), Some(wanted)) = (found, quantity(operand)) else {
        return false;
    };
    let order = found.partial_cmp(&wanted);
    match operator {
        Operator::Equal => order == Some(Ordering::Equal),
        Operator::NotEqual => order != Some(Ordering::Equal),
        Operator::More => order == Some(Ordering::Greater),
        Operator::MoreEqual => matches!(order, Some(Ordering::Greater | Ordering::Equal)),
        Operator::Less => order == Some(Ordering::Less),
        Operator::LessEqual => matches!(order, Some(Ordering::Less | Ordering::Equal)),
    }
}

fn as_text(value: &Value, operand: &str, operator: Operator) -> bool {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        // Kyverno compares no text with a missing value, under `!` either.
        Value::Null | Value::Array(_) | Value::Object(_) => return false,
    };
    match operator {
        Operator::Equal => wildcard(operand, &text),
        Operator::NotEqual => !wildcard(operand, &text),
        Operator::More | Operator::MoreEqual | Operator::Less | Operator::LessEqual => false,
    }
}

/// A Kubernetes quantity (`3`, `0.5`, `500m`, `2Gi`, `1e3`) as a number.
fn quantity(text: &str) -> Option<f64> {
    static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^([+-]?(?:\d+\.?\d*|\.\d+))([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$").unwrap()
    });
    let captures = QUANTITY.captures(text)?;
    let number: f64 = captures[1].parse().ok()?;
    let scale = match captures.get(2).map_or("", |m| m.as_str()) {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        binary if binary.ends_with('i') => {
            let power = "KMGTPE".find(&binary[..1]).expect("a binary prefix");
            1024_f64.powi(i32::try_from(power).unwrap() + 1)
        }
        exponent => 10_f64.powi(exponent[1..].parse().ok()?),
    };
    Some(number * scale)
}

fn same_number(value: &Value, wanted: &Number) -> bool {
    let found = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse::<f64>().ok(),
        _ => None,
    };
    found.is_some_and(|found| Some(found) == wanted.as_f64())
}

#[cfg(test)]
mod tests {
    use super::satisfies;
    use serde_json::{Value, json};

    fn string(value: &str, pattern: &str) -> bool {
        satisfies(Some(&json!(value)), &json!(pattern))
    }

    #[test]
    fn question_mark_star_asks_for_some_text() {
        assert!(string("100m", "?*"));
        assert!(!string("", "?*"));
        assert!(!satisfies(None, &json!("?*")));
    }

    #[test]
    fn a_bar_separates_alternatives_and_an_ampersand_binds_tighter() {
        // `a | b & c` is `a` or (`b` and `c`).
        let pattern = "x* | *y & !*z*";
        assert!(string("x-z", pattern), "the first alternative alone");
        assert!(string("ay", pattern), "the second: ends in y, no z");
        assert!(!string("zy", pattern), "ends in y but holds a z");
        assert!(!string("ab", pattern), "neither");
    }

    #[test]
    fn fleetcs_tag_pattern_reads_a_colon_before_the_last_slash_as_a_registry_port() {
        let tagged = "*/*:*@* | */*:* & !*@* | !*/* & *:* & !*@*";
        for image in [
            "registry.example/svc:1.0",
            "registry.example/svc:1.0@sha256:abc",
            "svc:1.0",
            "harbor.example:8443/estate/svc:2",
        ] {
            assert!(string(image, tagged), "{image}");
        }
        for image in [
            "registry.example/svc",
            "svc",
            "registry.example/svc@sha256:abc",
            "harbor.example:8443/estate/svc",
            "harbor.example:8443/estate/svc@sha256:abc",
        ] {
            assert!(!string(image, tagged), "{image}");
        }
    }

    #[test]
    fn an_exclamation_mark_negates_and_takes_a_wildcard() {
        let not_latest = "!*:latest & !*:latest@*";
        assert!(string("r/svc:1.0", not_latest));
        assert!(!string("r/svc:latest", not_latest));
        assert!(!string("r/svc:latest@sha256:abc", not_latest));
        assert!(!satisfies(None, &json!("!*:latest")), "nothing to compare");
    }

    #[test]
    fn comparisons_read_numbers_and_quantities_by_size() {
        assert!(satisfies(Some(&json!(10)), &json!(">0")));
        assert!(!satisfies(Some(&json!(0)), &json!(">0")));
        assert!(
            !satisfies(None, &json!(">0")),
            "a missing value counts as zero"
        );
        assert!(satisfies(Some(&json!("500m")), &json!("<1")));
        assert!(!satisfies(Some(&json!("2Gi")), &json!("<=1Gi")));
        assert!(satisfies(Some(&json!("1Gi")), &json!("<=1Gi")));
        assert!(satisfies(Some(&json!(3)), &json!(">=3")));
        assert!(!satisfies(Some(&json!(2)), &json!(">=3")));
        assert!(!string("abc", ">0"), "text has no size");
    }

    #[test]
    fn booleans_numbers_and_text_equal_plainly() {
        assert!(satisfies(Some(&json!(true)), &json!(true)));
        assert!(!satisfies(Some(&json!(false)), &json!(true)));
        assert!(
            !satisfies(Some(&json!("true")), &json!(true)),
            "text is no boolean"
        );
        assert!(!satisfies(None, &json!(true)));
        assert!(satisfies(Some(&json!(8080)), &json!(8080)));
        assert!(satisfies(Some(&json!("8080")), &json!(8080)));
        assert!(!satisfies(Some(&json!(8081)), &json!(8080)));
        assert!(string("argocd", "argocd"));
        assert!(!string("kubectl", "argocd"));
    }

    #[test]
    fn a_null_pattern_asks_for_an_empty_value() {
        assert!(satisfies(None, &Value::Null));
        assert!(satisfies(Some(&json!("")), &Value::Null));
        assert!(!satisfies(Some(&json!("x")), &Value::Null));
    }

    #[test]
    #[should_panic(expected = "range")]
    fn a_range_is_refused_rather_than_misread() {
        satisfies(Some(&json!(5)), &json!("1-10"));
    }
}
