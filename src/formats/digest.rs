/// Why `digest` is not `sha256:` followed by 64 lowercase hex digits, if it is not.
pub(crate) fn digest_problem(digest: &str) -> Option<&'static str> {
    let Some(hex) = digest.strip_prefix("sha256:") else {
        return Some("a digest starts with `sha256:`");
    };
    if hex.len() != 64 {
        return Some("a sha256 digest has 64 hex digits");
    }
    if !hex
        .chars()
        .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    {
        return Some("a digest's hex digits are `0-9` and lowercase `a-f`");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::digest_problem;

    #[test]
    fn a_digest_is_sha256_and_64_lowercase_hex_digits() {
        let good = format!("sha256:{}", "0123456789abcdef".repeat(4));
        assert_eq!(digest_problem(&good), None);
        for bad in [
            format!("sha256:{}", "z".repeat(64)),
            format!("sha256:{}", "A".repeat(64)),
            format!("sha256:{}", "a".repeat(63)),
            format!("md5:{}", "a".repeat(64)),
            "sha256:".to_owned(),
            String::new(),
        ] {
            assert!(digest_problem(&bad).is_some(), "{bad}");
        }
    }
}
