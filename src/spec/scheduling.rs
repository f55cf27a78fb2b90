//! Where a service's pods may run and how they spread: the nodes they select, the taints they
//! tolerate, the node labels they require or prefer, their priority, and whether they spread
//! across their place's zones. Every layer of the inheritance may say it; each key is merged
//! on its own (see [`Scheduling::over`]).

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

/// Where the pods of a service run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({
    "node_selector": {"node.kubernetes.io/pool": "general"},
    "tolerations": [{"key": "dedicated", "value": "payments", "effect": "NoSchedule"}],
    "node_affinity": {"required": {"kubernetes.io/arch": ["amd64", "arm64"]}},
    "priority_class": "business-critical",
    "spread": "strict",
}))]
pub struct Scheduling {
    /// Node labels every node the pods run on carries, label by label (merged over the
    /// layers below: a layer sets one label and keeps the others).
    #[serde(default)]
    #[schemars(example = serde_json::json!({"node.kubernetes.io/pool": "general"}))]
    pub node_selector: IndexMap<String, String>,
    /// The node taints the pods tolerate; the most specific layer that lists them gives the
    /// whole list (`[]` tolerates none of what a layer below lists).
    #[serde(default)]
    pub tolerations: Option<Vec<Toleration>>,
    /// Node labels the pods require (`required`) or prefer (`preferred`), each a label key
    /// and the values it may take; each of the two is given whole by the most specific layer.
    #[serde(default)]
    pub node_affinity: Option<NodeAffinity>,
    /// The PriorityClass of the pods, by name (default: the cluster's default class).
    #[serde(default)]
    #[schemars(example = &"business-critical")]
    pub priority_class: Option<String>,
    /// How pods spread across the zones their place declares, and across nodes:
    /// `"preferred"` (the default: the scheduler spreads when it can), `"strict"` (a pod
    /// waits rather than unbalance them) or `false` (no spreading).
    #[serde(default)]
    pub spread: Option<Spread>,
}

/// A taint the pods tolerate.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"key": "dedicated", "value": "payments", "effect": "NoSchedule"}))]
pub struct Toleration {
    /// The taint's key, a label key; left out with `operator = "Exists"`, every taint.
    #[serde(default)]
    #[schemars(example = &"dedicated")]
    pub key: Option<String>,
    /// `Equal` (the default): the taint's value is `value`; `Exists`: any value.
    #[serde(default)]
    pub operator: Option<TolerationOperator>,
    /// The taint's value, for `Equal`; never with `Exists`.
    #[serde(default)]
    pub value: Option<String>,
    /// The taint's effect (default: every effect).
    #[serde(default)]
    pub effect: Option<TaintEffect>,
    /// For `NoExecute`: how long a pod stays on a node once the taint appears (default: for
    /// ever).
    #[serde(default)]
    #[schemars(example = 300)]
    pub seconds: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum TolerationOperator {
    Equal,
    Exists,
}

impl TolerationOperator {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Equal => "Equal",
            Self::Exists => "Exists",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
}

impl TaintEffect {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoSchedule => "NoSchedule",
            Self::PreferNoSchedule => "PreferNoSchedule",
            Self::NoExecute => "NoExecute",
        }
    }
}

/// Node labels the pods require or prefer: label key → the values it may take.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"required": {"kubernetes.io/arch": ["amd64"]}, "preferred": {"node.kubernetes.io/instance-type": ["m7g.large"]}}))]
pub struct NodeAffinity {
    /// A node qualifies only when it carries every key with one of its values.
    #[serde(default)]
    pub required: Option<IndexMap<String, Vec<String>>>,
    /// Nodes carrying a key with one of its values are preferred, each key on its own.
    #[serde(default)]
    pub preferred: Option<IndexMap<String, Vec<String>>>,
}

/// How pods spread: `"preferred"`, `"strict"`, or `false` for not at all (`true` is
/// `"preferred"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Spread {
    Mode(SpreadMode),
    Switch(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SpreadMode {
    /// The scheduler spreads pods when it can (`ScheduleAnyway`).
    Preferred,
    /// A pod waits rather than unbalance the zones or nodes (`DoNotSchedule`).
    Strict,
}

impl Spread {
    /// The mode pods spread in, or none.
    pub fn mode(self) -> Option<SpreadMode> {
        match self {
            Self::Mode(mode) => Some(mode),
            Self::Switch(true) => Some(SpreadMode::Preferred),
            Self::Switch(false) => None,
        }
    }
}

impl Scheduling {
    /// `self` over `below`: node labels label by label, every other key whole.
    #[must_use]
    pub fn over(&self, below: &Self) -> Self {
        let mut node_selector = below.node_selector.clone();
        node_selector.extend(self.node_selector.clone());
        let affinity = match (&self.node_affinity, &below.node_affinity) {
            (Some(own), Some(below)) => Some(NodeAffinity {
                required: own.required.clone().or_else(|| below.required.clone()),
                preferred: own.preferred.clone().or_else(|| below.preferred.clone()),
            }),
            (own, below) => own.clone().or_else(|| below.clone()),
        };
        Self {
            node_selector,
            tolerations: self
                .tolerations
                .clone()
                .or_else(|| below.tolerations.clone()),
            node_affinity: affinity,
            priority_class: self
                .priority_class
                .clone()
                .or_else(|| below.priority_class.clone()),
            spread: self.spread.or(below.spread),
        }
    }
}

/// How many of a service's pods a voluntary disruption (a node drain) must leave running, or
/// may take at once: one of the two, a number of pods or a percentage (`"50%"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"min_available": 2}))]
pub struct Disruption {
    /// Pods that must stay available while nodes drain.
    #[serde(default)]
    pub min_available: Option<Budget>,
    /// Pods a drain may take at once (the default: 1).
    #[serde(default)]
    pub max_unavailable: Option<Budget>,
}

/// A number of pods, or a percentage of them (`"25%"`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Budget {
    Pods(i64),
    Percent(String),
}

impl Budget {
    /// The percentage a `"N%"` budget names, if it is one.
    pub fn percent(&self) -> Option<u32> {
        match self {
            Self::Percent(text) => text.strip_suffix('%')?.parse().ok(),
            Self::Pods(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Scheduling, Spread, SpreadMode};

    fn scheduling(toml: &str) -> Scheduling {
        toml::from_str(toml).unwrap()
    }

    #[test]
    fn node_labels_merge_label_by_label_and_the_rest_is_given_whole() {
        let below = scheduling(
            "node_selector = { pool = \"general\", arch = \"amd64\" }\ntolerations = [{ key = \"a\", operator = \"Exists\" }]\nnode_affinity = { required = { zone = [\"a\"] }, preferred = { type = [\"big\"] } }\npriority_class = \"low\"",
        );
        let own = scheduling(
            "node_selector = { pool = \"gpu\" }\ntolerations = []\nnode_affinity = { required = { zone = [\"b\"] } }",
        );
        let merged = own.over(&below);
        assert_eq!(merged.node_selector["pool"], "gpu");
        assert_eq!(merged.node_selector["arch"], "amd64");
        assert_eq!(merged.tolerations, Some(vec![]));
        let affinity = merged.node_affinity.unwrap();
        assert_eq!(affinity.required.unwrap()["zone"], ["b"]);
        assert_eq!(affinity.preferred.unwrap()["type"], ["big"]);
        assert_eq!(merged.priority_class.as_deref(), Some("low"));
    }

    #[test]
    fn spread_is_a_mode_or_off() {
        let spread = |toml: &str| scheduling(toml).spread.and_then(Spread::mode);
        assert_eq!(spread("spread = \"strict\""), Some(SpreadMode::Strict));
        assert_eq!(spread("spread = true"), Some(SpreadMode::Preferred));
        assert_eq!(spread("spread = false"), None);
    }
}
