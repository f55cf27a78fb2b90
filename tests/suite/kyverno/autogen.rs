//! The pods a workload's controller makes, which rules over `Pod` judge: Kyverno writes such
//! rules again for Deployments, StatefulSets, DaemonSets, Jobs and CronJobs, and an Argo
//! Rollout's pods meet the Pod rules when they are made. A pod is its template's spec and
//! labels, in the workload's namespace, named after the workload.

use serde_json::{Value, json};

/// Where each kind of workload (`group`, `kind`) holds its pod template.
const TEMPLATES: &[(&str, &str, &str)] = &[
    ("apps", "Deployment", "/spec/template"),
    ("apps", "StatefulSet", "/spec/template"),
    ("apps", "DaemonSet", "/spec/template"),
    ("batch", "Job", "/spec/template"),
    ("batch", "CronJob", "/spec/jobTemplate/spec/template"),
    ("argoproj.io", "Rollout", "/spec/template"),
];

/// The pod `object` makes and where its template lies in `object`; `None` for an object that
/// makes no pods.
pub(crate) fn pod_of(object: &Value) -> Option<(Value, &'static str)> {
    let api_version = object["apiVersion"].as_str().unwrap_or("");
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    let kind = object["kind"].as_str().unwrap_or("");
    let &(_, _, pointer) = TEMPLATES
        .iter()
        .find(|(g, k, _)| *g == group && *k == kind)?;
    let template = object.pointer(pointer).unwrap_or_else(|| {
        panic!(
            "{kind} {} has no pod template at {pointer}",
            object["metadata"]["name"]
        )
    });
    let metadata = &template["metadata"];
    let pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": object["metadata"]["name"],
            "namespace": object["metadata"]["namespace"],
            "labels": metadata.get("labels").cloned().unwrap_or_else(|| json!({})),
            "annotations": metadata.get("annotations").cloned().unwrap_or_else(|| json!({})),
        },
        "spec": template["spec"],
    });
    Some((pod, pointer))
}

#[cfg(test)]
mod tests {
    use super::pod_of;
    use serde_json::{Value, json};

    fn template(image: &str) -> Value {
        json!({
            "metadata": { "labels": { "app": "svc" } },
            "spec": { "containers": [{ "name": "svc", "image": image }] },
        })
    }

    fn workload(api_version: &str, kind: &str, spec: Value) -> Value {
        let mut workload = json!({
            "apiVersion": api_version,
            "kind": kind,
            "metadata": { "name": "svc", "namespace": "shop-prod", "labels": { "owner": "workload" } },
        });
        workload["spec"] = spec;
        workload
    }

    #[test]
    fn a_pod_is_its_template_in_the_workloads_namespace() {
        for (api_version, kind) in [
            ("apps/v1", "Deployment"),
            ("apps/v1", "StatefulSet"),
            ("apps/v1", "DaemonSet"),
            ("batch/v1", "Job"),
            ("argoproj.io/v1alpha1", "Rollout"),
        ] {
            let (pod, pointer) = pod_of(&workload(
                api_version,
                kind,
                json!({ "template": template("r/a:1") }),
            ))
            .unwrap();
            assert_eq!(pointer, "/spec/template", "{kind}");
            assert_eq!(pod["kind"], "Pod");
            assert_eq!(pod["metadata"]["namespace"], "shop-prod");
            assert_eq!(
                pod["metadata"]["labels"],
                json!({ "app": "svc" }),
                "the template's labels, not the workload's"
            );
            assert_eq!(pod["spec"]["containers"][0]["image"], "r/a:1");
        }
    }

    #[test]
    fn a_cron_jobs_pod_is_its_job_templates_template() {
        let cron = workload(
            "batch/v1",
            "CronJob",
            json!({ "jobTemplate": { "spec": { "template": template("r/b:2") } } }),
        );
        let (pod, pointer) = pod_of(&cron).unwrap();
        assert_eq!(pointer, "/spec/jobTemplate/spec/template");
        assert_eq!(pod["spec"]["containers"][0]["image"], "r/b:2");
    }

    #[test]
    fn other_kinds_make_no_pods() {
        assert!(pod_of(&workload("v1", "Service", json!({}))).is_none());
        assert!(
            pod_of(&workload(
                "example.io/v1",
                "Deployment",
                json!({ "template": template("x") })
            ))
            .is_none()
        );
    }

    #[test]
    #[should_panic(expected = "no pod template")]
    fn a_workload_without_a_template_panics() {
        pod_of(&workload(
            "argoproj.io/v1alpha1",
            "Rollout",
            json!({ "workloadRef": { "name": "svc" } }),
        ));
    }
}
