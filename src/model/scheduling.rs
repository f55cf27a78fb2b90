use indexmap::IndexMap;

use crate::spec::{NodeAffinity, Toleration};

/// Where the pods of a service run in one place, once inheritance has spoken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchedulingModel {
    pub node_selector: IndexMap<String, String>,
    pub tolerations: Vec<Toleration>,
    pub node_affinity: NodeAffinity,
    pub priority_class: Option<String>,
    /// How the pods spread across the place's zones and nodes; none where the place declares
    /// no zones, the workload runs one pod, or the service turns spreading off.
    pub spread: Option<ZoneSpread>,
}

/// Spreading across zones: strictly (a pod waits rather than unbalance them) or when the
/// scheduler can.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZoneSpread {
    pub strict: bool,
}

/// A service's PodDisruptionBudget: how many pods a drain must leave, or may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BudgetModel {
    MinAvailable(BudgetValue),
    MaxUnavailable(BudgetValue),
}

/// A number of pods, or a percentage of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BudgetValue {
    Pods(u32),
    Percent(String),
}
