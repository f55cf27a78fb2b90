use super::NameRule;

/// A name from the spec that reaches generated names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpecName {
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
    pub const fn describe(self) -> &'static str {
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
pub enum Part {
    Spec(SpecName),
    Fixed(&'static str),
    /// One of several fixed texts, picked by the emitter.
    OneOf(&'static [&'static str]),
}

impl Part {
    /// The most characters the fixed text of this part takes.
    pub fn fixed_len(self) -> usize {
        match self {
            Self::Spec(_) => 0,
            Self::Fixed(text) => text.len(),
            Self::OneOf(texts) => texts.iter().map(|t| t.len()).max().unwrap_or(0),
        }
    }
}

/// A name fleetc generates: what carries it, how it is put together, and the rule it must keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamePattern {
    /// What carries the name: a kind of object, or a label key.
    pub kind: &'static str,
    pub parts: &'static [Part],
    pub rule: NameRule,
}

impl NamePattern {
    /// The name, given one value for each part that is not fixed, in order.
    pub fn build(&self, values: &[&str]) -> String {
        let mut values = values.iter();
        let mut name = String::new();
        for part in self.parts {
            match part {
                Part::Fixed(text) => name.push_str(text),
                Part::Spec(_) | Part::OneOf(_) => {
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
    pub fn spec_names(&self) -> impl Iterator<Item = SpecName> + '_ {
        self.parts.iter().filter_map(|part| match part {
            Part::Spec(name) => Some(*name),
            _ => None,
        })
    }

    /// The characters the fixed parts take at most.
    pub fn fixed_len(&self) -> usize {
        self.parts.iter().map(|part| part.fixed_len()).sum()
    }
}
