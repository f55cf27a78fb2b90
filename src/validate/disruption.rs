//! A service's disruption budget is one of its two forms, and lets a drain evict at least one
//! pod everywhere the service runs: a budget that lets none would hold every node upgrade.

use super::context::Context;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{Budget, Place, Service, inherited_at};

pub(super) fn check(cx: &mut Context<'_>) {
    for (name, service) in &cx.spec.services {
        let Some(disruption) = &service.disruption else {
            continue;
        };
        let at = |field: &'static str| ["services", name.as_str(), "disruption", field];
        match (&disruption.min_available, &disruption.max_unavailable) {
            (Some(_), Some(_)) => cx.report(
                Diagnostic::error(format!(
                    "the disruption budget of `{name}` gives both `min_available` and `max_unavailable`"
                ))
                .at(cx.spans.key(&at("max_unavailable")))
                .label("one or the other")
                .help("a PodDisruptionBudget says how many pods must stay, or how many may go: keep one"),
            ),
            (Some(min), None) => check_min(cx, name, service, min),
            (None, Some(max)) => {
                if let Some(problem) = budget_problem(max).or_else(|| blocks_as_max(max)) {
                    let span = cx.spans.value(&at("max_unavailable"));
                    cx.report(refused(name, "max_unavailable", &problem).at(span));
                }
            }
            (None, None) => {}
        }
    }
}

fn refused(name: &str, field: &str, problem: &str) -> Diagnostic {
    Diagnostic::error(format!("`{field}` of `{name}` {problem}"))
        .label("refused budget")
        .help("a budget lets a drain take at least one pod: `max_unavailable = 1`, or `min_available` below the replicas of every environment")
}

/// What is wrong with a budget's form, if anything.
fn budget_problem(budget: &Budget) -> Option<String> {
    match budget {
        Budget::Pods(pods) if *pods < 0 => Some("is negative".to_owned()),
        Budget::Pods(_) => None,
        Budget::Percent(text) => match budget.percent() {
            Some(percent) if percent <= 100 => None,
            _ => Some(format!(
                "`{}` is no percentage from 0% to 100%",
                text.escape_debug()
            )),
        },
    }
}

/// A budget that lets no pod go.
fn blocks_as_max(max: &Budget) -> Option<String> {
    let none = matches!(max, Budget::Pods(0)) || max.percent() == Some(0);
    none.then(|| "lets no pod go: a drain could never evict one".to_owned())
}

/// `min_available` must be below the replicas wherever the service runs.
fn check_min(cx: &mut Context<'_>, name: &str, service: &Service, min: &Budget) {
    let span = cx
        .spans
        .value(&["services", name, "disruption", "min_available"]);
    if let Some(problem) = budget_problem(min) {
        cx.report(refused(name, "min_available", &problem).at(span));
        return;
    }
    if min.percent() == Some(100) {
        let problem = "keeps every pod: a drain could never evict one".to_owned();
        cx.report(refused(name, "min_available", &problem).at(span));
        return;
    }
    let spec = cx.spec;
    let mut blocked: Vec<String> = Vec::new();
    for (env, environment) in &spec.environments {
        if !service.deployed_to(env) {
            continue;
        }
        for place in Place::all_of(env, environment) {
            let replicas = inherited_at(&spec.defaults, service, &place)
                .replicas
                .unwrap_or(1);
            if replicas > 0 && kept(min, replicas) >= replicas {
                let at = place
                    .cluster
                    .map_or_else(|| env.clone(), |c| format!("{env}/{}", c.name));
                let noun = if replicas == 1 { "replica" } else { "replicas" };
                blocked.push(format!("`{at}` ({replicas} {noun})"));
            }
        }
    }
    if !blocked.is_empty() {
        let problem = format!(
            "({}) keeps every pod in {}; a drain could never evict one there",
            shown(min),
            blocked.join(", ")
        );
        cx.report(refused(name, "min_available", &problem).at(span));
    }
}

/// The pods a `min_available` keeps of `replicas`: Kubernetes rounds a percentage up, so
/// half of one pod is that pod.
fn kept(min: &Budget, replicas: i64) -> i64 {
    match (min, min.percent()) {
        (Budget::Pods(pods), _) => *pods,
        (Budget::Percent(_), Some(percent)) => {
            let replicas = u64::try_from(replicas).unwrap_or(0);
            i64::try_from((replicas * u64::from(percent)).div_ceil(100)).unwrap_or(i64::MAX)
        }
        (Budget::Percent(_), None) => 0,
    }
}

fn shown(budget: &Budget) -> String {
    match budget {
        Budget::Pods(pods) => pods.to_string(),
        Budget::Percent(text) => format!("\"{text}\""),
    }
}

#[cfg(test)]
mod tests {
    use super::{Budget, blocks_as_max, budget_problem, kept};

    #[test]
    fn a_budget_is_pods_or_a_percentage_and_lets_one_go() {
        assert_eq!(budget_problem(&Budget::Pods(2)), None);
        assert!(budget_problem(&Budget::Pods(-1)).is_some());
        assert_eq!(budget_problem(&Budget::Percent("25%".into())), None);
        assert!(budget_problem(&Budget::Percent("25".into())).is_some());
        assert!(budget_problem(&Budget::Percent("120%".into())).is_some());
        assert!(blocks_as_max(&Budget::Pods(0)).is_some());
        assert!(blocks_as_max(&Budget::Percent("0%".into())).is_some());
        assert_eq!(blocks_as_max(&Budget::Pods(1)), None);
    }

    #[test]
    fn a_percentage_kept_rounds_up_as_kubernetes_rounds_it() {
        let half = Budget::Percent("50%".into());
        assert_eq!(kept(&half, 1), 1);
        assert_eq!(kept(&half, 3), 2);
        assert_eq!(kept(&half, 4), 2);
        assert_eq!(kept(&Budget::Pods(2), 9), 2);
    }
}
