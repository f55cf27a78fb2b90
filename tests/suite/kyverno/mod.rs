//! An evaluator of the Kyverno validate rules fleetc writes, reading exactly what they use:
//! which resources a rule selects, patterns with their anchors and value operators, `deny`
//! conditions on labels, and pods judged through their workload's template. Anything else in
//! a policy panics, so a rule is never passed for want of reading it.

mod anchors;
mod autogen;
mod deny;
mod label_selector;
mod pattern;
mod selection;
mod values;
mod wildcard;

use std::fmt;

use serde_json::Value;

pub(crate) use autogen::pod_of;

/// Where a resource fails a rule: a JSON pointer into the object, what it holds there
/// (`absent` for nothing) and what the rule wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mismatch {
    pub path: String,
    pub found: String,
    pub expected: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: found {}, wanted {}",
            self.path, self.found, self.expected
        )
    }
}

/// An object a rule refuses. A pod's failure is told in its workload's terms: the workload
/// names the object and the path runs through its pod template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Violation {
    pub policy: String,
    pub rule: String,
    pub object: String,
    pub mismatch: Mismatch,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} fails {}/{} at {}",
            self.object, self.policy, self.rule, self.mismatch
        )
    }
}

/// An object a rule selected, itself or through the pods it makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Judged {
    pub object: String,
    pub rule: String,
    pub through_pod: bool,
}

/// What judging objects found: what each rule selected, and the violations.
#[derive(Debug, Default)]
pub(crate) struct Judgement {
    pub judged: Vec<Judged>,
    pub violations: Vec<Violation>,
}

/// The violations of `policies` (ClusterPolicies) by `objects` (rendered documents).
pub(crate) fn violations(policies: &[Value], objects: &[Value]) -> Vec<Violation> {
    judge(policies, objects).violations
}

pub(crate) fn judge(policies: &[Value], objects: &[Value]) -> Judgement {
    let mut judgement = Judgement::default();
    for policy in policies {
        assert_eq!(
            policy["kind"], "ClusterPolicy",
            "only ClusterPolicies are read here"
        );
        let name = policy["metadata"]["name"].as_str().unwrap_or("").to_owned();
        let rules = policy["spec"]["rules"]
            .as_array()
            .expect("a policy has rules");
        for rule in rules {
            let rule_name = rule["name"].as_str().expect("a rule has a name").to_owned();
            assert_readable(rule);
            for object in objects {
                for (resource, prefix) in subjects(object) {
                    if !selection::selects(rule, &resource) {
                        continue;
                    }
                    judgement.judged.push(Judged {
                        object: identity(object),
                        rule: rule_name.clone(),
                        through_pod: !prefix.is_empty(),
                    });
                    if let Err(mut mismatch) = check(rule, &resource) {
                        mismatch.path = format!("{prefix}{}", mismatch.path);
                        judgement.violations.push(Violation {
                            policy: name.clone(),
                            rule: rule_name.clone(),
                            object: identity(object),
                            mismatch,
                        });
                    }
                }
            }
        }
    }
    judgement
}

/// `Kind namespace/name`, the way failures name an object.
pub(crate) fn identity(object: &Value) -> String {
    let text = |pointer: &str| {
        object
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or("")
    };
    format!(
        "{} {}/{}",
        text("/kind"),
        text("/metadata/namespace"),
        text("/metadata/name")
    )
}

/// What rules judge of an object: the object itself and, for a workload, the pod it makes,
/// each with where it lies in the object.
fn subjects(object: &Value) -> Vec<(Value, &'static str)> {
    let mut subjects = vec![(object.clone(), "")];
    subjects.extend(pod_of(object));
    subjects
}

/// Panics on a rule that asks for more than this evaluator reads, whatever it selects.
fn assert_readable(rule: &Value) {
    let name = &rule["name"];
    for key in rule.as_object().expect("a rule is a map").keys() {
        assert!(
            ["name", "match", "exclude", "validate"].contains(&key.as_str()),
            "rule {name}: `{key}` is not read here"
        );
    }
    for key in rule["validate"]
        .as_object()
        .expect("a validate rule")
        .keys()
    {
        assert!(
            ["failureAction", "message", "pattern", "deny"].contains(&key.as_str()),
            "rule {name}: validate.{key} is not read here"
        );
    }
}

fn check(rule: &Value, resource: &Value) -> Result<(), Mismatch> {
    let validate = &rule["validate"];
    if let Some(pattern) = validate.get("pattern") {
        match pattern::check(resource, pattern) {
            Ok(()) | Err(pattern::Miss::Skip(_)) => {}
            Err(pattern::Miss::Fail(mismatch)) => return Err(mismatch),
        }
    }
    if let Some(deny) = validate.get("deny") {
        deny::check(deny, resource)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Judged, judge, violations};
    use serde_json::{Value, json};

    fn policy(rule: Value) -> Value {
        let mut policy = json!({
            "apiVersion": "kyverno.io/v1",
            "kind": "ClusterPolicy",
            "metadata": { "name": "shop-prod-hygiene" },
        });
        policy["spec"]["rules"] = Value::Array(vec![rule]);
        policy
    }

    fn non_root() -> Value {
        policy(json!({
            "name": "require-non-root",
            "match": { "any": [{ "resources": { "kinds": ["Pod"], "namespaces": ["shop-prod"] } }] },
            "validate": {
                "failureAction": "Enforce",
                "pattern": { "spec": { "containers": [{ "securityContext": { "runAsNonRoot": true } }] } },
            },
        }))
    }

    fn deployment(namespace: &str, non_root: bool) -> Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": { "name": "svc", "namespace": namespace },
            "spec": { "template": { "metadata": { "labels": {} }, "spec": { "containers": [
                { "name": "svc", "securityContext": { "runAsNonRoot": non_root } },
            ] } } },
        })
    }

    #[test]
    fn a_pod_rule_judges_a_workload_through_its_template_and_says_where_it_fails() {
        assert!(violations(&[non_root()], &[deployment("shop-prod", true)]).is_empty());
        let found = violations(&[non_root()], &[deployment("shop-prod", false)]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].to_string(),
            "Deployment shop-prod/svc fails shop-prod-hygiene/require-non-root at \
             /spec/template/spec/containers/0/securityContext/runAsNonRoot: found false, wanted true"
        );
    }

    #[test]
    fn a_rule_judges_only_what_it_selects() {
        let other = judge(&[non_root()], &[deployment("shop-dev", false)]);
        assert!(other.violations.is_empty());
        assert!(other.judged.is_empty());
        let own = judge(&[non_root()], &[deployment("shop-prod", true)]);
        assert_eq!(
            own.judged,
            [Judged {
                object: "Deployment shop-prod/svc".to_owned(),
                rule: "require-non-root".to_owned(),
                through_pod: true,
            }]
        );
    }

    #[test]
    fn a_rule_with_a_deny_refuses_what_its_conditions_hold_for() {
        let blocked = policy(json!({
            "name": "deny-blocked-python",
            "match": { "any": [{ "resources": { "kinds": ["Pod"] } }] },
            "validate": { "deny": { "conditions": { "any": [{
                "key": "{{ request.object.metadata.labels.\"v\" || '' }}",
                "operator": "AnyIn",
                "value": ["3.11"],
            }] } } },
        }));
        let mut workload = deployment("shop-prod", true);
        assert!(
            violations(
                std::slice::from_ref(&blocked),
                std::slice::from_ref(&workload)
            )
            .is_empty()
        );
        workload["spec"]["template"]["metadata"]["labels"]["v"] = json!("3.11");
        let found = violations(&[blocked], &[workload]);
        assert_eq!(found[0].mismatch.path, "/spec/template/metadata/labels/v");
    }

    #[test]
    #[should_panic(expected = "preconditions")]
    fn a_rule_feature_this_evaluator_does_not_read_panics_whatever_the_rule_selects() {
        let mut policy = non_root();
        policy["spec"]["rules"][0]["preconditions"] = json!({ "any": [] });
        violations(&[policy], &[deployment("shop-dev", true)]);
    }
}
