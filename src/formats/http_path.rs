//! The path of an HTTP GET a kubelet or Prometheus sends: what follows the host in a URL.

/// Why `path` is not the path (and optional query) of a URL, if it is not: it must start with
/// `/` and hold only the characters RFC 3986 allows there, `%` escapes included. A fragment
/// (`#`) is never sent, and whitespace would end the request line.
pub(crate) fn http_path_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("it is empty");
    }
    if !path.starts_with('/') {
        return Some("it does not start with `/`");
    }
    if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("it contains whitespace or control characters");
    }
    if path.contains('#') {
        return Some("it contains `#`, which starts a fragment no request sends");
    }
    let bytes = path.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'%' {
            let escape = bytes.get(i + 1..i + 3);
            if !escape.is_some_and(|e| e.iter().all(u8::is_ascii_hexdigit)) {
                return Some("it has a `%` not followed by two hexadecimal digits");
            }
        } else if !(b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b)) {
            return Some("it contains a character a URL path cannot hold unescaped");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::http_path_problem;

    #[test]
    fn paths_a_url_holds() {
        for good in [
            "/",
            "/healthz",
            "/actuator/health/liveness",
            "/ready?full=1&x=%2F",
            "/v1/status:check",
            "/~user/a-b_c.d",
        ] {
            assert_eq!(http_path_problem(good), None, "{good}");
        }
    }

    #[test]
    fn what_is_not_a_path() {
        for (bad, problem) in [
            ("", "it is empty"),
            ("grpc:9555", "it does not start with `/`"),
            ("tcp 9555", "it does not start with `/`"),
            ("healthz", "it does not start with `/`"),
            ("/health check", "it contains whitespace"),
            ("/ready\t", "it contains whitespace"),
            ("/ready#now", "it contains `#`"),
            ("/100%", "it has a `%`"),
            ("/a%zz", "it has a `%`"),
            ("/a\"b", "it contains a character a URL path cannot hold"),
            (
                "/caf\u{e9}",
                "it contains a character a URL path cannot hold",
            ),
        ] {
            let found = http_path_problem(bad).unwrap_or_default();
            assert!(found.starts_with(problem), "{bad}: {found}");
        }
    }
}
