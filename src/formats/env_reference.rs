//! `$(NAME)` in a variable's value: Kubernetes replaces it with the value of `NAME` when
//! `NAME` is defined earlier in the container's list, and leaves it as written otherwise.
//! `$$` is an escaped `$`, so `$$(NAME)` is the text `$(NAME)`, not a reference.

/// The names `value` refers to, in order.
pub(crate) fn references(value: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        let after = &rest[at + 1..];
        if let Some(escaped) = after.strip_prefix('$') {
            rest = escaped;
        } else if let Some(open) = after.strip_prefix('(')
            && let Some(close) = open.find(')')
        {
            if close > 0 {
                found.push(&open[..close]);
            }
            rest = &open[close + 1..];
        } else {
            rest = after;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::references;

    #[test]
    fn references_and_escapes() {
        assert_eq!(references("$(A)"), ["A"]);
        assert_eq!(references("x$(A)y$(B_2)z"), ["A", "B_2"]);
        assert_eq!(references("$$(A)"), Vec::<&str>::new());
        assert_eq!(references("$$$(A)"), ["A"]);
        assert_eq!(references("$$$$(A)"), Vec::<&str>::new());
        assert_eq!(references("$(A"), Vec::<&str>::new());
        assert_eq!(references("$()"), Vec::<&str>::new());
        assert_eq!(references("$A ${A} $ (A)"), Vec::<&str>::new());
        assert_eq!(
            references("postgres://u:$(DB_PASSWORD)@db"),
            ["DB_PASSWORD"]
        );
    }
}
