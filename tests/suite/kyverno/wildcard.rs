//! Kyverno's wildcards, as its documentation gives them: `*` stands for any run of characters,
//! `/` included, and `?` for exactly one; every other character stands for itself. (Some
//! Kyverno releases also read `.` as any one character; reading it as a dot is the stricter,
//! so an image from `registryXexample/` never passes a rule for `registry.example/`.)

/// Whether `text` is one `pattern` stands for.
pub(super) fn wildcard(pattern: &str, text: &str) -> bool {
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    let (mut p, mut t) = (0, 0);
    // Where the last `*` resumes: the pattern after it, and how much of the text it covers.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p + 1, t));
                p += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((after, covered)) => {
                    star = Some((after, covered + 1));
                    (p, t) = (after, covered + 1);
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::wildcard;

    #[test]
    fn a_star_covers_any_run_of_characters_slashes_too() {
        assert!(wildcard(
            "registry.example/*",
            "registry.example/team/svc:1.0"
        ));
        assert!(wildcard("*", ""));
        assert!(wildcard("a*b*c", "a-b-b-c"));
        assert!(!wildcard("registry.example/*", "other.example/svc"));
        assert!(!wildcard("a*b*c", "a-b-b-d"));
    }

    #[test]
    fn a_question_mark_is_exactly_one_character_and_a_dot_is_a_dot() {
        assert!(wildcard("v?", "v1"));
        assert!(!wildcard("v?", "v"));
        assert!(!wildcard("v?", "v12"));
        assert!(wildcard("a.b", "a.b"));
        assert!(!wildcard("a.b", "axb"));
    }
}
