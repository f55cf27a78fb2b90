/// What Kubernetes and its controllers accept as the name of one kind of object or as a label
/// value: the characters allowed and the most characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameRule {
    /// Namespaces, containers, Argo CD Applications (their name becomes a label value).
    Dns1123Label,
    /// Most objects: Deployments, ServiceAccounts, Ingresses, Secrets, AppProjects.
    Dns1123Subdomain,
    /// Services: a DNS-1123 label that starts with a letter.
    Dns1035Label,
    /// The value of a label.
    LabelValue,
    /// Kyverno policies: Kubernetes names that Kyverno also uses as label values.
    KyvernoPolicy,
    /// Kyverno rule names: any text of at most 63 characters.
    KyvernoRule,
}

impl NameRule {
    pub(crate) const fn max_len(self) -> usize {
        match self {
            Self::Dns1123Subdomain => 253,
            Self::Dns1123Label
            | Self::Dns1035Label
            | Self::LabelValue
            | Self::KyvernoPolicy
            | Self::KyvernoRule => 63,
        }
    }

    /// Who sets the limit, as a diagnostic names it.
    pub(crate) const fn authority(self) -> &'static str {
        match self {
            Self::KyvernoPolicy | Self::KyvernoRule => "Kyverno",
            _ => "Kubernetes",
        }
    }

    /// The rule in words, as a diagnostic names it.
    pub(crate) const fn describe(self) -> &'static str {
        match self {
            Self::Dns1123Label => "a DNS-1123 label",
            Self::Dns1123Subdomain => "a DNS-1123 subdomain",
            Self::Dns1035Label => {
                "a DNS-1035 label (lowercase letters, digits and `-`, starting with a letter)"
            }
            Self::LabelValue => {
                "a label value (letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit)"
            }
            Self::KyvernoPolicy => "a Kyverno policy name",
            Self::KyvernoRule => "a Kyverno rule name",
        }
    }

    /// Why `name` breaks the rule, if it does.
    pub(crate) fn problem(self, name: &str) -> Option<&'static str> {
        if name.len() > self.max_len() {
            return Some("it is too long");
        }
        match self {
            Self::KyvernoRule => None,
            Self::LabelValue => label_value_problem(name),
            Self::Dns1123Label | Self::KyvernoPolicy => dns_label_chars_problem(name),
            Self::Dns1035Label => dns_label_chars_problem(name).or_else(|| {
                (!name.starts_with(|c: char| c.is_ascii_lowercase()))
                    .then_some("it does not start with a letter")
            }),
            Self::Dns1123Subdomain => {
                if name.is_empty() {
                    Some("it is empty")
                } else {
                    name.split('.').find_map(dns_label_chars_problem)
                }
            }
        }
    }
}

fn dns_label_chars_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Some("it contains uppercase letters");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Some("it contains characters other than lowercase letters, digits and `-`");
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some("it starts or ends with `-`");
    }
    None
}

fn label_value_problem(value: &str) -> Option<&'static str> {
    if value.is_empty() {
        return None;
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Some("it contains characters other than letters, digits, `-`, `_` and `.`");
    }
    if !value.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !value.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Some("it does not start and end with a letter or digit");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::NameRule;

    #[test]
    fn a_service_name_starts_with_a_letter() {
        assert!(NameRule::Dns1035Label.problem("3d-tiles").is_some());
        assert!(NameRule::Dns1123Label.problem("3d-tiles").is_none());
        assert!(NameRule::Dns1035Label.problem("tiles-3d").is_none());
    }

    #[test]
    fn limits_are_counted_in_characters() {
        for rule in [
            NameRule::Dns1123Label,
            NameRule::Dns1035Label,
            NameRule::LabelValue,
            NameRule::KyvernoPolicy,
            NameRule::KyvernoRule,
        ] {
            assert_eq!(rule.problem(&"a".repeat(63)), None, "{rule:?}");
            assert!(rule.problem(&"a".repeat(64)).is_some(), "{rule:?}");
        }
        assert_eq!(NameRule::Dns1123Subdomain.problem(&"a".repeat(253)), None);
        assert!(
            NameRule::Dns1123Subdomain
                .problem(&"a".repeat(254))
                .is_some()
        );
    }

    #[test]
    fn label_values_allow_dots_and_underscores_inside() {
        assert_eq!(NameRule::LabelValue.problem("3.12-r2"), None);
        assert_eq!(NameRule::LabelValue.problem("Py_3"), None);
        assert_eq!(NameRule::LabelValue.problem(""), None);
        for bad in ["-x", "x.", "a+b", "a/b"] {
            assert!(NameRule::LabelValue.problem(bad).is_some(), "{bad}");
        }
    }
}
