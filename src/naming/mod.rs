//! The names fleetc generates from spec names, each with the rule of what carries it.

mod config_keys;
mod pattern;
mod rule;
pub(crate) mod table;

pub(crate) use config_keys::config_keys;
pub(crate) use pattern::{Generated, NamePattern, Part, SpecName};
pub(crate) use rule::NameRule;

/// The host of preview traffic under `domain`, where the spec names none.
pub(crate) fn preview_host(domain: &str) -> String {
    format!("preview.{domain}")
}

/// `text` as a DNS label a spec can name things by: lowercase letters, digits and dashes
/// between them, at most 40 characters; empty when nothing of it is left.
pub(crate) fn dns_label(text: &str) -> String {
    let dashed: String = text
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let label: String = dashed.trim_matches('-').chars().take(40).collect();
    label.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::dns_label;

    #[test]
    fn a_dns_label_keeps_letters_and_digits_with_dashes_between() {
        assert_eq!(dns_label("Payments Core"), "payments-core");
        assert_eq!(dns_label("--gitops_old--"), "gitops-old");
        assert_eq!(dns_label("…"), "");
        assert_eq!(dns_label(&"a".repeat(50)).len(), 40);
    }
}
