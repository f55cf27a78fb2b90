//! Label and annotation selectors of a patch target: `key=value`, `key==value`,
//! `key!=value`, `key`, `!key`, `key in (a,b)` and `key notin (a,b)`, all of them to hold.

use serde_json::Value;

pub(super) fn matches(selector: Option<&str>, pairs: &Value) -> bool {
    let Some(selector) = selector else {
        return true;
    };
    requirements(selector)
        .iter()
        .all(|requirement| holds(requirement.trim(), pairs))
}

/// The requirements of a selector: split on the commas outside parentheses.
fn requirements(selector: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in selector.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&selector[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&selector[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

fn holds(requirement: &str, pairs: &Value) -> bool {
    let value = |key: &str| pairs[key.trim()].as_str().map(str::to_owned);
    if let Some((key, wanted)) = requirement.split_once("!=") {
        return value(key).as_deref() != Some(wanted.trim());
    }
    if let Some((key, wanted)) = requirement
        .split_once("==")
        .or_else(|| requirement.split_once('='))
    {
        return value(key).as_deref() == Some(wanted.trim());
    }
    if let Some(key) = requirement.strip_prefix('!') {
        return value(key).is_none();
    }
    for (operator, inside) in [(" notin ", false), (" in ", true)] {
        if let Some((key, set)) = requirement.split_once(operator) {
            let set = set.trim().trim_start_matches('(').trim_end_matches(')');
            let found = value(key).is_some_and(|v| set.split(',').any(|s| s.trim() == v));
            return found == inside;
        }
    }
    value(requirement).is_some()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::matches;

    #[test]
    fn every_requirement_of_a_selector_holds() {
        let labels = json!({ "app": "web", "tier": "front" });
        assert!(matches(Some("app=web,tier"), &labels));
        assert!(matches(Some("app==web, tier in (front, back)"), &labels));
        assert!(!matches(Some("app=web,tier!=front"), &labels));
        assert!(matches(Some("!team,app notin (api)"), &labels));
        assert!(!matches(Some("team"), &json!(null)));
        assert!(matches(None, &json!(null)));
    }
}
