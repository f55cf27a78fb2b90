//! A toleration as Kubernetes takes it: its key a label key, a key or `Exists`, a value only
//! with `Equal`, seconds only for `NoExecute` and never negative.

use super::monitoring::label_key_problem;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{TaintEffect, Toleration, TolerationOperator};

/// What is wrong with `toleration`, each with the field it is found at (none: the whole
/// toleration), not yet placed in the spec.
pub(super) fn toleration_problems(
    toleration: &Toleration,
) -> Vec<(Option<&'static str>, Diagnostic)> {
    let mut found = Vec::new();
    let exists = toleration.operator == Some(TolerationOperator::Exists);
    match &toleration.key {
        Some(key) => {
            if let Some(problem) = label_key_problem(key) {
                let diagnostic = Diagnostic::error(format!(
                    "toleration key `{}` is not a taint key: {problem}",
                    key.escape_debug()
                ))
                .label("invalid taint key")
                .help("a taint key is a label key, `[prefix/]name`, for example `dedicated`");
                found.push((Some("key"), diagnostic));
            }
        }
        None if !exists => found.push((
            None,
            Diagnostic::error("a toleration without `key` must say `operator = \"Exists\"`")
                .label("no key")
                .help(
                    "name the taint's `key`, or tolerate every taint with `operator = \"Exists\"`",
                ),
        )),
        None => {}
    }
    if toleration.value.is_some() && exists {
        found.push((
            Some("value"),
            Diagnostic::error("a toleration with `operator = \"Exists\"` takes no `value`")
                .label("value with Exists")
                .help("remove `value` to tolerate any value, or use `operator = \"Equal\"`"),
        ));
    }
    if let Some(seconds) = toleration.seconds {
        if toleration.effect != Some(TaintEffect::NoExecute) {
            found.push((
                Some("seconds"),
                Diagnostic::error("`seconds` is only for a toleration of `effect = \"NoExecute\"`")
                    .label("seconds without NoExecute")
                    .help("only a `NoExecute` taint evicts pods, after these seconds; remove `seconds` or set `effect = \"NoExecute\"`"),
            ));
        } else if seconds < 0 {
            found.push((
                Some("seconds"),
                Diagnostic::error(format!("`seconds = {seconds}` is negative"))
                    .label("negative")
                    .help("the seconds a pod stays once the taint appears, 0 or more"),
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::toleration_problems;
    use crate::spec::Toleration;

    /// The fields a toleration is refused at, and the start of each message.
    fn refused(toml: &str) -> Vec<(Option<&'static str>, String)> {
        let toleration: Toleration = toml::from_str(toml).unwrap();
        toleration_problems(&toleration)
            .into_iter()
            .map(|(field, d)| (field, d.message))
            .collect()
    }

    #[test]
    fn a_toleration_is_refused_where_kubernetes_would_refuse_it() {
        assert!(
            refused("key = \"dedicated\"\nvalue = \"gpu\"\neffect = \"NoSchedule\"").is_empty()
        );
        assert!(refused("operator = \"Exists\"").is_empty());
        assert!(
            refused("key = \"spot\"\noperator = \"Exists\"\neffect = \"NoExecute\"\nseconds = 0")
                .is_empty()
        );
        let fields = |toml| {
            refused(toml)
                .into_iter()
                .map(|(f, _)| f)
                .collect::<Vec<_>>()
        };
        assert_eq!(fields("value = \"x\""), [None]);
        assert_eq!(
            fields("key = \"a\"\noperator = \"Exists\"\nvalue = \"x\""),
            [Some("value")]
        );
        assert_eq!(
            fields("key = \"a\"\neffect = \"NoSchedule\"\nseconds = 5"),
            [Some("seconds")]
        );
        assert_eq!(fields("key = \"a\"\nseconds = 5"), [Some("seconds")]);
        assert_eq!(
            fields("key = \"a\"\neffect = \"NoExecute\"\nseconds = -1"),
            [Some("seconds")]
        );
        assert_eq!(fields("key = \"-bad\""), [Some("key")]);
        assert!(
            refused("key = \"a/b/c\"")[0]
                .1
                .starts_with("toleration key `a/b/c` is not a taint key")
        );
    }
}
