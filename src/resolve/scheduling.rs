//! Where a service's pods run in one place, and the budget that keeps them running while
//! nodes drain.

use crate::model::{BudgetModel, BudgetValue, SchedulingModel, WorkloadKind, ZoneSpread};
use crate::spec::{Budget, Scheduling, Service, Spread, SpreadMode};

/// The scheduling of a workload of `kind` that runs up to `most_pods` pods in a place whose
/// nodes are in `zones`, from the settings inheritance gave it there. Spreading needs zones to
/// spread across and more than one pod to spread.
pub(crate) fn scheduling(
    settings: Scheduling,
    kind: WorkloadKind,
    zones: &[String],
    most_pods: u32,
) -> SchedulingModel {
    let mode = settings
        .spread
        .map_or(Some(SpreadMode::Preferred), Spread::mode);
    let spreads = !zones.is_empty() && kind.has_replicas() && most_pods > 1;
    SchedulingModel {
        node_selector: settings.node_selector,
        tolerations: settings.tolerations.unwrap_or_default(),
        node_affinity: settings.node_affinity.unwrap_or_default(),
        priority_class: settings.priority_class,
        spread: mode.filter(|_| spreads).map(|mode| ZoneSpread {
            strict: mode == SpreadMode::Strict,
        }),
    }
}

/// The service's PodDisruptionBudget: what its `disruption` says, or one pod at a time. A
/// job's pods run to completion, so a budget would only hold a drain up; a worker has no
/// callers to keep answering, so it gets one where it asks.
pub(crate) fn disruption(service: &Service) -> Option<BudgetModel> {
    let asked = service.disruption.as_ref();
    let wanted = match service.kind {
        WorkloadKind::Deployment | WorkloadKind::StatefulSet => true,
        WorkloadKind::Worker => asked.is_some(),
        WorkloadKind::CronJob | WorkloadKind::Job => false,
    };
    if !wanted {
        return None;
    }
    let value = |budget: &Budget| match budget {
        Budget::Pods(pods) => BudgetValue::Pods(u32::try_from(*pods).unwrap_or(0)),
        Budget::Percent(text) => BudgetValue::Percent(text.clone()),
    };
    let min = asked.and_then(|d| d.min_available.as_ref());
    let max = asked.and_then(|d| d.max_unavailable.as_ref());
    Some(match (min, max) {
        (Some(min), _) => BudgetModel::MinAvailable(value(min)),
        (None, Some(max)) => BudgetModel::MaxUnavailable(value(max)),
        (None, None) => BudgetModel::MaxUnavailable(BudgetValue::Pods(1)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(toml: &str) -> Scheduling {
        toml::from_str(toml).unwrap()
    }

    #[test]
    fn pods_spread_only_with_zones_and_more_than_one_pod() {
        let zones = ["a".to_owned(), "b".to_owned()];
        let spread = |toml: &str, kind, zones: &[String], pods| {
            scheduling(settings(toml), kind, zones, pods).spread
        };
        let preferred = Some(ZoneSpread { strict: false });
        assert_eq!(spread("", WorkloadKind::Deployment, &zones, 3), preferred);
        assert_eq!(spread("", WorkloadKind::Deployment, &zones, 1), None);
        assert_eq!(spread("", WorkloadKind::Deployment, &[], 3), None);
        assert_eq!(spread("", WorkloadKind::CronJob, &zones, 3), None);
        assert_eq!(
            spread("spread = false", WorkloadKind::Worker, &zones, 3),
            None
        );
        assert_eq!(
            spread("spread = \"strict\"", WorkloadKind::StatefulSet, &zones, 2),
            Some(ZoneSpread { strict: true })
        );
    }

    fn service(toml: &str) -> Service {
        toml::from_str(&format!("team = \"t\"\nversion = \"1\"\n{toml}")).unwrap()
    }

    #[test]
    fn a_budget_is_for_what_keeps_running() {
        let one = Some(BudgetModel::MaxUnavailable(BudgetValue::Pods(1)));
        assert_eq!(disruption(&service("")), one);
        assert_eq!(disruption(&service("kind = \"statefulset\"")), one);
        assert_eq!(disruption(&service("kind = \"worker\"")), None);
        assert_eq!(disruption(&service("kind = \"job\"")), None);
        assert_eq!(disruption(&service("kind = \"cronjob\"")), None);
        assert_eq!(
            disruption(&service(
                "kind = \"worker\"\ndisruption = { min_available = \"50%\" }"
            )),
            Some(BudgetModel::MinAvailable(BudgetValue::Percent(
                "50%".into()
            )))
        );
    }
}
