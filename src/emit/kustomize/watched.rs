//! What a service's alert rules and dashboard read of one deployment. It is decided by the
//! environment alone, the same in each of its clusters, so the clusters of an environment
//! build them once.

use serde_json::Value;

use crate::model::Deployment;

/// The environment-wide facts of a deployment that its alerts and dashboard show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Watched<'a> {
    pub environment: &'a str,
    pub namespace: &'a str,
    /// The `severity` label of the alerts.
    pub severity: &'a str,
}

impl<'a> Watched<'a> {
    pub(super) fn of(deployment: &'a Deployment) -> Self {
        Self {
            environment: &deployment.environment,
            namespace: &deployment.namespace,
            severity: &deployment.alert_severity,
        }
    }
}

/// The documents last built for each overlay file that reads only [`Watched`].
#[derive(Debug, Default)]
pub(super) struct LastBuilt<'a> {
    last: Vec<(&'static str, Watched<'a>, Vec<Value>)>,
}

impl<'a> LastBuilt<'a> {
    /// The documents of file `name` for `watched`: those built last, when they were built
    /// from the same facts, or `build`'s.
    pub(super) fn documents(
        &mut self,
        name: &'static str,
        watched: Watched<'a>,
        build: impl FnOnce(Watched<'a>) -> Vec<Value>,
    ) -> Vec<Value> {
        match self.last.iter_mut().find(|(file, ..)| *file == name) {
            Some((_, from, documents)) if *from == watched => documents.clone(),
            Some((_, from, documents)) => {
                *from = watched;
                *documents = build(watched);
                documents.clone()
            }
            None => {
                let documents = build(watched);
                self.last.push((name, watched, documents.clone()));
                documents
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn watched(environment: &str) -> Watched<'_> {
        Watched {
            environment,
            namespace: "ns",
            severity: "page",
        }
    }

    #[test]
    fn the_same_facts_build_once_and_other_facts_build_again() {
        let mut last = LastBuilt::default();
        let mut builds = 0;
        let mut build = |w: Watched<'_>| {
            builds += 1;
            vec![json!(w.environment)]
        };
        assert_eq!(
            last.documents("a", watched("prod"), &mut build),
            [json!("prod")]
        );
        assert_eq!(
            last.documents("a", watched("prod"), &mut build),
            [json!("prod")]
        );
        assert_eq!(
            last.documents("b", watched("prod"), &mut build),
            [json!("prod")]
        );
        assert_eq!(
            last.documents("a", watched("dev"), &mut build),
            [json!("dev")]
        );
        assert_eq!(builds, 3);
    }
}
