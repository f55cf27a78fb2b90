use indexmap::IndexMap;

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::naming::{NamePattern, NameRule, Part, SpecName, table};

/// Names that end up in Kubernetes object names, labels or paths must be DNS-1123 labels, and
/// short enough for every name fleetc builds from them (`naming::table`).
pub fn check(cx: &mut Context<'_>) {
    let names = spec_names(cx);
    let mut invalid = vec![false; names.len()];
    for (i, name) in names.iter().enumerate() {
        if name.reaches_paths()
            && let Some(problem) = dns_label_problem(name.text)
        {
            invalid[i] = true;
            cx.report(
                Diagnostic::error(format!(
                    "{} `{}` is not a valid Kubernetes name: {problem}",
                    name.kind.describe(),
                    name.text.escape_debug()
                ))
                .at(name.span(cx))
                .label("invalid name")
                .help("use lowercase letters, digits and `-`, starting and ending with a letter or digit (DNS-1123 label)"),
            );
        }
    }
    let mut found: IndexMap<usize, Breach> = IndexMap::new();
    for pattern in table::ALL {
        for_each_instance(pattern, &names, &invalid, &mut |instance| {
            if let Some((blamed, breach)) = judge(pattern, &names, instance) {
                let kept = found.entry(blamed).or_insert(breach.clone());
                if breach.tighter_than(kept) {
                    *kept = breach;
                }
            }
        });
    }
    found.sort_keys();
    for (i, breach) in found {
        cx.report(breach.diagnostic(&names[i]).at(names[i].span(cx)));
    }
}

/// One name written in the spec.
struct Name<'a> {
    kind: SpecName,
    text: &'a str,
    path: Vec<&'a str>,
    /// Whether the name is a value (`name = "acme"`) rather than a key (`[services.users]`).
    at_value: bool,
    /// The environment a cluster belongs to: a generated name joins a cluster only with the
    /// name of its own environment.
    environment: Option<&'a str>,
}

impl Name<'_> {
    fn span(&self, cx: &Context<'_>) -> Option<std::ops::Range<usize>> {
        if self.at_value {
            cx.spans.value(&self.path)
        } else {
            cx.spans.key(&self.path)
        }
    }

    /// Names that become folders of the tree as well as parts of object names.
    fn reaches_paths(&self) -> bool {
        !matches!(self.kind, SpecName::BaseImage | SpecName::BaseVersion)
    }
}

fn spec_names<'a>(cx: &Context<'a>) -> Vec<Name<'a>> {
    let spec = cx.spec;
    let mut names = vec![Name {
        kind: SpecName::Enterprise,
        text: &spec.enterprise.name,
        path: vec!["enterprise", "name"],
        at_value: true,
        environment: None,
    }];
    for (env_name, env) in &spec.environments {
        names.push(Name {
            kind: SpecName::Environment,
            text: env_name,
            path: vec!["environments", env_name],
            at_value: false,
            environment: None,
        });
        for cluster in env.clusters.keys() {
            names.push(Name {
                kind: SpecName::Cluster,
                text: cluster,
                path: vec!["environments", env_name, "clusters", cluster],
                at_value: false,
                environment: Some(env_name),
            });
        }
        if let Some(namespace) = &env.namespace {
            names.push(Name {
                kind: SpecName::Namespace,
                text: namespace,
                path: vec!["environments", env_name, "namespace"],
                at_value: true,
                environment: None,
            });
        }
    }
    for team in spec.teams.keys() {
        names.push(Name {
            kind: SpecName::Team,
            text: team,
            path: vec!["teams", team],
            at_value: false,
            environment: None,
        });
    }
    for service in spec.services.keys() {
        names.push(Name {
            kind: SpecName::Service,
            text: service,
            path: vec!["services", service],
            at_value: false,
            environment: None,
        });
    }
    for (base, image) in &spec.base_images {
        names.push(Name {
            kind: SpecName::BaseImage,
            text: base,
            path: vec!["base_images", base],
            at_value: false,
            environment: None,
        });
        for version in image.versions.keys() {
            names.push(Name {
                kind: SpecName::BaseVersion,
                text: version,
                path: vec!["base_images", base, "versions", version],
                at_value: false,
                environment: None,
            });
        }
    }
    names
}

/// Calls `visit` with every combination of spec names the pattern is built from (indices
/// into `names`, one per spec part, in order); names already reported invalid are left out.
fn for_each_instance(
    pattern: &NamePattern,
    names: &[Name<'_>],
    invalid: &[bool],
    visit: &mut dyn FnMut(&[usize]),
) {
    let choices: Vec<Vec<usize>> = pattern
        .spec_names()
        .map(|kind| {
            (0..names.len())
                .filter(|&i| names[i].kind == kind && !invalid[i])
                .collect()
        })
        .collect();
    let mut instance = Vec::with_capacity(choices.len());
    product(&choices, &mut instance, &mut |instance| {
        if clusters_in_their_environment(names, instance) {
            visit(instance);
        }
    });
}

/// Whether every cluster of an instance is joined with its own environment (or with none).
fn clusters_in_their_environment(names: &[Name<'_>], instance: &[usize]) -> bool {
    let environment = instance
        .iter()
        .find(|&&i| names[i].kind == SpecName::Environment)
        .map(|&i| names[i].text);
    instance.iter().all(|&i| {
        names[i].kind != SpecName::Cluster
            || environment.is_none_or(|e| names[i].environment == Some(e))
    })
}

fn product(choices: &[Vec<usize>], instance: &mut Vec<usize>, visit: &mut dyn FnMut(&[usize])) {
    let Some((first, rest)) = choices.split_first() else {
        visit(instance);
        return;
    };
    for &choice in first {
        instance.push(choice);
        product(rest, instance, visit);
        instance.pop();
    }
}

/// What breaks when a generated name does not keep its rule.
#[derive(Clone)]
enum Breach {
    /// The name has characters (or a first character) the rule refuses.
    Invalid {
        pattern: NamePattern,
        example: String,
        problem: &'static str,
    },
    /// The name is too long; the blamed spec name may have at most `limit` characters.
    TooLong {
        pattern: NamePattern,
        example: String,
        limit: usize,
    },
}

impl Breach {
    fn tighter_than(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Invalid { .. }, Self::TooLong { .. }) => true,
            (Self::TooLong { limit: a, .. }, Self::TooLong { limit: b, .. }) => a < b,
            _ => false,
        }
    }

    fn diagnostic(&self, name: &Name<'_>) -> Diagnostic {
        let what = name.kind.describe();
        match self {
            Self::Invalid {
                pattern,
                example,
                problem,
            } => Diagnostic::error(format!(
                "{what} `{}` cannot be used: fleetc generates the {} `{}` from it, and {problem}",
                name.text.escape_debug(),
                pattern.kind,
                example.escape_debug()
            ))
            .label("invalid name")
            .help(format!(
                "a {} must be {}",
                pattern.kind,
                pattern.rule.describe()
            )),
            Self::TooLong {
                pattern,
                example,
                limit,
            } => Diagnostic::error(format!(
                "{what} `{}` is {} characters long; at most {limit} fit: fleetc generates the {} `{}` ({} characters) from it, and {} allows {}",
                name.text.escape_debug(),
                name.text.len(),
                pattern.kind,
                example.escape_debug(),
                example.len(),
                pattern.rule.authority(),
                pattern.rule.max_len(),
            ))
            .label("too long")
            .help(format!("shorten the {what} to at most {limit} characters")),
        }
    }
}

/// Whether the name `pattern` builds from `instance` keeps its rule, and if not, which spec
/// name to blame: for a bad character the first (only the start of a name can break a rule
/// its parts each keep); for a length the longest, with the room the others leave it, or
/// when they leave none, an equal share of the room (see [`equal_share`]).
fn judge(pattern: &NamePattern, names: &[Name<'_>], instance: &[usize]) -> Option<(usize, Breach)> {
    let example = longest(pattern, names, instance);
    let rule = pattern.rule;
    let problem = rule.problem(&example)?;
    if example.len() <= rule.max_len() {
        let blamed = *instance.first()?;
        return Some((
            blamed,
            Breach::Invalid {
                pattern: *pattern,
                example,
                problem,
            },
        ));
    }
    let room = rule.max_len().saturating_sub(pattern.fixed_len());
    let total: usize = instance.iter().map(|&i| names[i].text.len()).sum();
    let &blamed = instance
        .iter()
        .rev()
        .max_by_key(|&&i| names[i].text.len())
        .expect("a name too long has a spec part");
    let others = total - names[blamed].text.len();
    let limit = match room.saturating_sub(others) {
        0 => {
            let lengths: Vec<usize> = instance.iter().map(|&i| names[i].text.len()).collect();
            equal_share(room, &lengths)
        }
        limit => limit,
    };
    Some((
        blamed,
        Breach::TooLong {
            pattern: *pattern,
            example,
            limit,
        },
    ))
}

/// The most characters every name may keep (a shorter one keeping its own) for all of them
/// to fit in `room`. Asked of the blamed name when the others fill the room by themselves,
/// where the room they would leave at one character each can exceed its length and ask for
/// nothing; a share is below the longest length, so each name given one must shrink.
fn equal_share(room: usize, lengths: &[usize]) -> usize {
    let longest = lengths.iter().copied().max().unwrap_or(0);
    (1..longest)
        .rev()
        .find(|&share| lengths.iter().map(|&l| l.min(share)).sum::<usize>() <= room)
        .unwrap_or(1)
}

/// The longest name the pattern builds from these spec names.
fn longest(pattern: &NamePattern, names: &[Name<'_>], instance: &[usize]) -> String {
    let mut values = instance.iter();
    let mut out = String::new();
    for part in pattern.parts {
        match part {
            Part::Spec(_) => out.push_str(names[*values.next().expect("one per part")].text),
            Part::Fixed(text) => out.push_str(text),
            Part::OneOf(texts) => {
                out.push_str(
                    texts
                        .iter()
                        .rev()
                        .max_by_key(|t| t.len())
                        .copied()
                        .unwrap_or(""),
                );
            }
        }
    }
    out
}

/// Why `name` is not a DNS-1123 label, if it is not.
pub fn dns_label_problem(name: &str) -> Option<&'static str> {
    if name.len() > NameRule::Dns1123Label.max_len() {
        return Some("it is longer than 63 characters");
    }
    NameRule::Dns1123Label.problem(name)
}

#[cfg(test)]
mod tests {
    use super::{dns_label_problem, equal_share};

    #[test]
    fn an_equal_share_is_below_the_longest_name_and_fits() {
        // `<service>-<env>-<cluster>`: 61 characters of room, an environment of 6.
        assert_eq!(equal_share(61, &[55, 6, 55]), 27);
        assert_eq!(equal_share(62, &[62, 62]), 31);
        assert_eq!(equal_share(3, &[40, 1, 1]), 1);
    }

    #[test]
    fn accepts_dns_labels_and_rejects_the_rest() {
        for good in ["users", "a", "order-api-2", &"a".repeat(63)] {
            assert_eq!(dns_label_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "Users",
            "-users",
            "users-",
            "us_ers",
            "../x",
            "a/b",
            "ünï",
            &"a".repeat(64),
        ] {
            assert!(dns_label_problem(bad).is_some(), "{bad}");
        }
    }
}
