use indexmap::IndexMap;

use super::context::Context;
use crate::naming::{Generated, NamePattern, NameRule, Part, SpecName, table};
use crate::source::diagnostic::Diagnostic;
use crate::spec::Strategy;

/// Names that end up in Kubernetes object names, labels or paths must be DNS-1123 labels, and
/// short enough for every name fleetc builds from them (`naming::table`).
pub(super) fn check(cx: &mut Context<'_>) {
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
    let mut joining: IndexMap<usize, Joining<'_>> = IndexMap::new();
    for pattern in table::ALL {
        for_each_instance(pattern, &names, &invalid, &mut |instance| match generated(
            cx.spec, pattern, &names, instance,
        ) {
            Made::Never => {}
            Made::Now => {
                if let Some((blamed, breach)) = judge(pattern, &names, instance) {
                    let kept = found.entry(blamed).or_insert(breach.clone());
                    if breach.tighter_than(kept) {
                        *kept = breach;
                    }
                }
            }
            Made::Joining { service, env } => {
                if let Some(breach) = judge_joining(pattern, &names, instance, service, env) {
                    let kept = joining.entry(service).or_insert(breach.clone());
                    if breach.limit < kept.limit {
                        *kept = breach;
                    }
                }
            }
        });
    }
    found.sort_keys();
    joining.sort_keys();
    for (i, breach) in &found {
        cx.report(breach.diagnostic(&names[*i]).at(names[*i].span(cx)));
    }
    for (i, breach) in joining {
        if !found.contains_key(&i) {
            cx.report(breach.diagnostic(&names[i]).at(names[i].span(cx)));
        }
    }
}

/// Whether fleetc generates the name a pattern builds from an instance of spec names.
#[derive(Debug, PartialEq, Eq)]
enum Made<'a> {
    Now,
    /// Only once `service` (an index into the names) runs in `env` too, which it does not.
    Joining {
        service: usize,
        env: &'a str,
    },
    Never,
}

/// Whether the name `pattern` builds from `instance` is one fleetc generates: the pattern's
/// condition holds for its environment and service, and the service runs in the environment.
fn generated<'a>(
    spec: &crate::spec::Spec,
    pattern: &NamePattern,
    names: &[Name<'a>],
    instance: &[usize],
) -> Made<'a> {
    let part = |kind: SpecName| instance.iter().copied().find(|&i| names[i].kind == kind);
    let env = part(SpecName::Environment).map(|i| names[i].text);
    let service = part(SpecName::Service);
    let environment = env.and_then(|e| spec.environments.get(e));
    let declared = service.and_then(|i| Some((names[i].text, spec.services.get(names[i].text)?)));
    let holds = match pattern.when {
        Generated::Always => true,
        Generated::WithoutClusters => environment.is_none_or(|e| e.clusters.is_empty()),
        Generated::WithoutNamespace => environment.is_none_or(|e| e.namespace.is_none()),
        Generated::WithMetrics => {
            declared.is_none_or(|(_, service)| spec.metrics_of(service).serves())
        }
        Generated::WithPreview => declared.is_none_or(|(_, s)| s.strategy != Strategy::Canary),
        Generated::WithConfigFiles => declared.is_none_or(|(_, s)| !s.config_files.is_empty()),
    };
    if !holds {
        return Made::Never;
    }
    match (service, declared, env) {
        (Some(service), Some((_, declared)), Some(env)) if !declared.deployed_to(env) => {
            Made::Joining { service, env }
        }
        _ => Made::Now,
    }
}

/// A name fleetc would generate for a service in an environment it does not run in yet, too
/// long: the service may have at most `limit` characters to run there one day.
#[derive(Clone)]
struct Joining<'a> {
    env: &'a str,
    pattern: NamePattern,
    example: String,
    limit: usize,
}

impl Joining<'_> {
    fn diagnostic(&self, name: &Name<'_>) -> Diagnostic {
        let what = name.kind.describe();
        Diagnostic::warning(format!(
            "{what} `{}` is {} characters long, too long to run in `{}`: there fleetc would generate the {} `{}` ({} characters) from it, and {} allows {}",
            name.text.escape_debug(),
            name.text.len(),
            self.env,
            self.pattern.kind,
            self.example.escape_debug(),
            self.example.len(),
            self.pattern.rule.authority(),
            self.pattern.rule.max_len(),
        ))
        .label(format!("too long for `{}`", self.env))
        .help(format!(
            "it fits everywhere it runs today; to leave `{}` open to it, shorten the {what} to at most {} characters",
            self.env, self.limit
        ))
    }
}

/// Whether the name `pattern` builds from `instance` for `service` in `env`, where it does not
/// run, would be too long, and if so the most characters the service name may keep: what
/// would have to change is the service joining, so the service is the name asked to shrink.
fn judge_joining<'a>(
    pattern: &NamePattern,
    names: &[Name<'_>],
    instance: &[usize],
    service: usize,
    env: &'a str,
) -> Option<Joining<'a>> {
    let example = longest(pattern, names, instance);
    let max = pattern.rule.max_len();
    if example.len() <= max {
        return None;
    }
    let room = max.saturating_sub(pattern.fixed_len());
    let others: usize = instance
        .iter()
        .filter(|&&i| i != service)
        .map(|&i| names[i].text.len())
        .sum();
    Some(Joining {
        env,
        pattern: *pattern,
        example,
        limit: room.saturating_sub(others).max(1),
    })
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
            Part::Hash(len) => out.push_str(&"0".repeat(*len)),
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
pub(super) fn dns_label_problem(name: &str) -> Option<&'static str> {
    if name.len() > NameRule::Dns1123Label.max_len() {
        return Some("it is longer than 63 characters");
    }
    NameRule::Dns1123Label.problem(name)
}

#[cfg(test)]
mod tests {
    use super::{dns_label_problem, equal_share};
    use crate::Source;
    use crate::compile::check_spec;
    use crate::edit::test_spec::today;
    use crate::source::diagnostic::Diagnostic;

    /// The errors and the warnings of a spec, by message.
    fn verdicts(text: &str) -> (Vec<String>, Vec<String>) {
        let found = match check_spec(&Source::new("enterprise.toml", text), today()) {
            Ok((_, warnings)) => warnings,
            Err(diagnostics) => diagnostics,
        };
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            found.into_iter().partition(Diagnostic::is_error);
        let messages = |found: Vec<Diagnostic>| found.into_iter().map(|d| d.message).collect();
        (messages(errors), messages(warnings))
    }

    /// `dev` is one cluster; `prod` lists the cluster `us-east-primary`.
    fn estate(services: &str) -> String {
        format!(
            "[enterprise]\nname = \"e\"\nregistry = \"r.example\"\ngitops_repo = \"https://g.example/r.git\"\nplatform_team = \"@e/p\"\n\n\
             [environments.dev]\ncluster = \"https://dev.example\"\ndomain = \"dev.example\"\n\n\
             [environments.prod]\ndomain = \"prod.example\"\n\n\
             [environments.prod.clusters.us-east-primary]\nserver = \"https://us.example\"\n\n\
             [teams.t]\nowners = [\"@e/t\"]\n\n\
             [base_images.py]\nimage = \"py\"\nversions.\"1\" = {{ status = \"approved\" }}\n\n{services}"
        )
    }

    const FIFTY: &str = "orders-history-export-to-the-finance-warehouse-job";

    /// A service is held to the names generated where it runs; the room an environment it
    /// does not run in would need is a warning that says so.
    #[test]
    fn a_service_is_held_to_the_names_of_the_environments_it_runs_in() {
        assert_eq!(FIFTY.len(), 50);
        let (errors, warnings) = verdicts(&estate(&format!(
            "[services.{FIFTY}]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0.0\"\nenvironments = [\"dev\"]\n"
        )));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            warnings,
            [format!(
                "service name `{FIFTY}` is 50 characters long, too long to run in `prod`: there fleetc would generate the Argo CD Application `{FIFTY}-prod-us-east-primary` (71 characters) from it, and Kubernetes allows 63"
            )]
        );
        let (errors, _) = verdicts(&estate(&format!(
            "[services.{FIFTY}]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0.0\"\n"
        )));
        assert_eq!(
            errors,
            [format!(
                "service name `{FIFTY}` is 50 characters long; at most 42 fit: fleetc generates the Argo CD Application `{FIFTY}-prod-us-east-primary` (71 characters) from it, and Kubernetes allows 63"
            )]
        );
    }

    /// Names fleetc writes only in some places are judged only there.
    #[test]
    fn a_name_is_judged_only_where_it_is_generated() {
        use super::{Made, Name, SpecName, generated};
        use crate::naming::table;
        let text = estate(
            "[services.worker]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0.0\"\nmetrics = { enabled = false }\n\n\
             [services.api]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0.0\"\nstrategy = \"canary\"\n",
        )
        .replace(
            "domain = \"dev.example\"\n",
            "domain = \"dev.example\"\nnamespace = \"development\"\n",
        );
        let spec = crate::edit::test_spec::parsed(&text);
        let name = |kind, text: &'static str| Name {
            kind,
            text,
            path: Vec::new(),
            at_value: false,
            environment: None,
        };
        let names = [
            name(SpecName::Enterprise, "e"),
            name(SpecName::Environment, "dev"),
            name(SpecName::Environment, "prod"),
            name(SpecName::Service, "worker"),
            name(SpecName::Service, "api"),
        ];
        let made = |pattern, instance: &[usize]| generated(&spec, pattern, &names, instance);
        assert_eq!(made(&table::DEFAULT_NAMESPACE, &[0, 1]), Made::Never);
        assert_eq!(made(&table::DEFAULT_NAMESPACE, &[0, 2]), Made::Now);
        assert_eq!(made(&table::ENVIRONMENT_APPLICATION, &[0, 1]), Made::Now);
        assert_eq!(made(&table::ENVIRONMENT_APPLICATION, &[0, 2]), Made::Never);
        assert_eq!(made(&table::SERVICE_APPLICATION, &[3, 1]), Made::Now);
        assert_eq!(made(&table::SERVICE_APPLICATION, &[3, 2]), Made::Never);
        assert_eq!(made(&table::METRICS_SERVICE, &[3]), Made::Never);
        assert_eq!(made(&table::METRICS_SERVICE, &[4]), Made::Now);
        assert_eq!(made(&table::PREVIEW_SERVICE, &[3]), Made::Now);
        assert_eq!(made(&table::PREVIEW_SERVICE, &[4]), Made::Never);
    }

    /// A canary has no preview Service: what limits its name is its metrics Service.
    #[test]
    fn a_canary_is_not_held_to_a_preview_service_it_never_has() {
        let name = &FIFTY[..48];
        let long = format!("{name}-canary");
        assert_eq!(long.len(), 55);
        let service = |name: &str| {
            format!(
                "[services.{name}]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0.0\"\nenvironments = [\"dev\"]\nstrategy = \"canary\"\n"
            )
        };
        let (errors, _) = verdicts(&estate(&service(&long)));
        assert!(errors.is_empty(), "{errors:?}");
        let longer = format!("{long}x");
        let (errors, _) = verdicts(&estate(&service(&longer)));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains(&format!("the Service `{longer}-metrics`")),
            "{errors:?}"
        );
    }

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
