use super::NameRule;

/// A name from the spec that reaches generated names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SpecName {
    Enterprise,
    Environment,
    /// A cluster of an environment.
    Cluster,
    Namespace,
    Team,
    Service,
    BaseImage,
    BaseVersion,
}

impl SpecName {
    /// How a diagnostic calls it.
    pub(crate) const fn describe(self) -> &'static str {
        match self {
            Self::Enterprise => "enterprise name",
            Self::Environment => "environment name",
            Self::Cluster => "cluster name",
            Self::Namespace => "namespace",
            Self::Team => "team name",
            Self::Service => "service name",
            Self::BaseImage => "base image name",
            Self::BaseVersion => "base image version",
        }
    }
}

/// One piece of a generated name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Spec(SpecName),
    Fixed(&'static str),
    /// One of several fixed texts, picked by the emitter.
    OneOf(&'static [&'static str]),
    /// A hash of what the object holds, this many lowercase hexadecimal digits.
    Hash(usize),
}

impl Part {
    /// The most characters the fixed text of this part takes.
    pub(crate) fn fixed_len(self) -> usize {
        match self {
            Self::Spec(_) => 0,
            Self::Fixed(text) => text.len(),
            Self::OneOf(texts) => texts.iter().map(|t| t.len()).max().unwrap_or(0),
            Self::Hash(len) => len,
        }
    }
}

/// Which of the places its spec names make fleetc generates a name at. Beyond this, a name
/// joining a service with an environment is generated only where the service runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Generated {
    /// Wherever its spec names are: a base image's rule, for one, is written as soon as a
    /// version of it is blocked, which `fleetc block-base` may do at any time.
    Always,
    /// In an environment that lists no clusters (one that does names per cluster instead).
    WithoutClusters,
    /// For an environment that names no namespace of its own.
    WithoutNamespace,
    /// For a service that serves metrics.
    WithMetrics,
    /// For a service released blue/green, git-driven or by Argo Rollouts; a canary has none.
    WithPreview,
    /// For a service with configuration files.
    WithConfigFiles,
}

/// A name fleetc generates: what carries it, how it is put together, the rule it must keep,
/// and when it is generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NamePattern {
    /// What carries the name: a kind of object, or a label key.
    pub kind: &'static str,
    pub parts: &'static [Part],
    pub rule: NameRule,
    pub when: Generated,
}

impl NamePattern {
    /// The pattern, generated only `when`.
    #[must_use]
    pub(crate) const fn only(self, when: Generated) -> Self {
        Self { when, ..self }
    }

    /// The name, given one value for each part that is not fixed, in order.
    pub(crate) fn build(&self, values: &[&str]) -> String {
        let mut values = values.iter();
        let mut name = String::new();
        for part in self.parts {
            match part {
                Part::Fixed(text) => name.push_str(text),
                Part::Spec(_) | Part::OneOf(_) | Part::Hash(_) => {
                    let value = values.next().expect("a value for every variable part");
                    debug_assert!(
                        !matches!(part, Part::OneOf(texts) if !texts.contains(value)),
                        "{value} is not one of {part:?}"
                    );
                    name.push_str(value);
                }
            }
        }
        debug_assert!(values.next().is_none(), "more values than parts");
        name
    }

    /// The spec names the pattern is made of, in order.
    pub(crate) fn spec_names(&self) -> impl Iterator<Item = SpecName> + '_ {
        self.parts.iter().filter_map(|part| match part {
            Part::Spec(name) => Some(*name),
            _ => None,
        })
    }

    /// The characters the fixed parts take at most.
    pub(crate) fn fixed_len(&self) -> usize {
        self.parts.iter().map(|part| part.fixed_len()).sum()
    }
}
