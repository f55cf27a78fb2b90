use serde_json::{Value, json};

use super::pod::pod_template;
use super::pod_origins::pod_template_origins;
use super::scope::ServiceScope;
use super::scope::colour_name;
use crate::emit::header::{header_named, kustomization};
use crate::model::{Colour, RunModel, ServiceModel, WorkloadKind};
use crate::tree::Tree;
use crate::tree::layout::colour_dir;
use crate::tree::origin::{Gathered, key};

/// The Deployment of one colour, as every environment starts from it. Its selector includes
/// the colour, so the two colours never claim each other's pods.
pub(super) fn emit(
    scope: &ServiceScope<'_>,
    service: &ServiceModel,
    colour: Colour,
    tree: &mut Tree,
) {
    let dir = colour_dir(&service.name, colour);
    let head = header_named(scope.spec_name, &format!("services.{}", service.name));
    let path = format!("{dir}/deployment.yaml");
    let mut origins = tree.gather();
    pod_template_origins(service, &mut origins);
    tree.record(&path, origins);
    tree.insert_yaml(path, &head, vec![deployment(service, colour)]);
    let kustomization = kustomization(&[json!("deployment.yaml")]);
    let path = format!("{dir}/kustomization.yaml");
    let mut origins = tree.gather();
    origins.file(|| vec![key(&["services", &service.name])]);
    tree.record(&path, origins);
    tree.insert_yaml(path, &head, vec![kustomization]);
}

/// The one workload of a kind that rolls in place, as every environment starts from it.
pub(super) fn in_place_workload(service: &ServiceModel) -> Value {
    let mut metadata = json!({ "name": service.name, "labels": service.labels });
    let mut pod_labels = service.labels.clone();
    pod_labels.insert("app".to_owned(), service.name.clone());
    let mut template = pod_template(service, &pod_labels);
    let spec = match service.kind {
        WorkloadKind::Deployment | WorkloadKind::Worker => json!({
            "replicas": 1,
            "revisionHistoryLimit": 5,
            "selector": { "matchLabels": service.selector() },
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": { "maxSurge": "25%", "maxUnavailable": 0 },
            },
            "template": template,
        }),
        WorkloadKind::StatefulSet => json!({
            "replicas": 1,
            "revisionHistoryLimit": 5,
            "serviceName": crate::naming::table::SERVICE.build(&[&service.name]),
            "podManagementPolicy": "OrderedReady",
            "selector": { "matchLabels": service.selector() },
            "updateStrategy": { "type": "RollingUpdate" },
            "template": template,
        }),
        WorkloadKind::CronJob => {
            template["spec"]["restartPolicy"] = json!("OnFailure");
            let run = service.run.as_ref().expect("a job kind has run settings");
            let mut spec = json!({
                "schedule": run.schedule,
                "concurrencyPolicy": run.concurrency.policy(),
                "successfulJobsHistoryLimit": run.keep_succeeded,
                "failedJobsHistoryLimit": run.keep_failed,
                "jobTemplate": { "spec": job_spec(run, &template) },
            });
            if let Some(zone) = &run.timezone {
                spec["timeZone"] = json!(zone);
            }
            if let Some(seconds) = run.start_within {
                spec["startingDeadlineSeconds"] = json!(seconds);
            }
            spec
        }
        WorkloadKind::Job => {
            template["spec"]["restartPolicy"] = json!("OnFailure");
            // A Job's pod template cannot change once it exists: Argo CD replaces the Job,
            // so a new version (or any change) runs it again.
            metadata["annotations"] =
                json!({ "argocd.argoproj.io/sync-options": "Force=true,Replace=true" });
            let run = service.run.as_ref().expect("a job kind has run settings");
            job_spec(run, &template)
        }
    };
    json!({
        "apiVersion": api_version(service.kind),
        "kind": service.kind.object_kind(),
        "metadata": metadata,
        "spec": spec,
    })
}

fn api_version(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::CronJob | WorkloadKind::Job => "batch/v1",
        _ => "apps/v1",
    }
}

/// The spec of a Job (or of a CronJob's jobs): retries, deadline, the pod.
fn job_spec(run: &RunModel, template: &Value) -> Value {
    let mut spec = json!({ "backoffLimit": run.retries, "template": template });
    if let Some(seconds) = run.deadline {
        spec["activeDeadlineSeconds"] = json!(seconds);
    }
    spec
}

/// What the lines of the one workload of a kind that rolls in place come from: its pod, and
/// the keys of its kind.
pub(super) fn in_place_origins(service: &ServiceModel, origins: &mut Gathered) {
    let svc = service.name.as_str();
    pod_template_origins(service, origins);
    let kind_keys = || vec![key(&["services", svc, "kind"])];
    origins.node(0, &["kind"], kind_keys);
    origins.node(0, &["apiVersion"], kind_keys);
    for (field, setting) in [("schedule", "schedule"), ("timeZone", "timezone")] {
        origins.node(0, &["spec", field], || {
            vec![key(&["services", svc, setting])]
        });
    }
    let run = |setting: &'static str| {
        move || {
            vec![
                key(&["services", svc, "run", setting]),
                key(&["services", svc, "run"]),
                key(&["services", svc, "kind"]),
            ]
        }
    };
    origins.node(0, &["spec", "concurrencyPolicy"], run("concurrency"));
    origins.node(0, &["spec", "startingDeadlineSeconds"], run("start_within"));
    origins.node(0, &["spec", "successfulJobsHistoryLimit"], run("keep"));
    origins.node(0, &["spec", "failedJobsHistoryLimit"], run("keep"));
    let job: &[&str] = match service.kind {
        WorkloadKind::CronJob => &["spec", "jobTemplate", "spec"],
        _ => &["spec"],
    };
    origins.node(0, &[job, &["backoffLimit"]].concat(), run("retries"));
    origins.node(
        0,
        &[job, &["activeDeadlineSeconds"]].concat(),
        run("deadline"),
    );
    let mounts: Vec<&str> = [
        service.kind.pod_template_at(),
        &["spec", "containers", "0", "volumeMounts"],
    ]
    .concat();
    let scratch = usize::from(service.security.tmp);
    for (index, storage) in service.storage.iter().enumerate() {
        // /tmp, where the pod has it, is the first mount.
        let index = (index + scratch).to_string();
        let pointer = [&mounts[..], &[&index]].concat();
        origins.node(0, &pointer, || {
            vec![key(&["services", svc, "storage", &storage.name])]
        });
    }
}

/// The file the one workload of a kind that rolls in place is written to, in the base.
pub(super) fn in_place_file(kind: WorkloadKind) -> String {
    format!("{}.yaml", kind.object_kind().to_ascii_lowercase())
}

fn deployment(service: &ServiceModel, colour: Colour) -> Value {
    let mut selector = service.selector();
    selector.insert("version".to_owned(), colour.as_str().to_owned());
    let mut metadata_labels = service.labels.clone();
    metadata_labels.insert("app".to_owned(), service.name.clone());
    metadata_labels.insert("version".to_owned(), colour.as_str().to_owned());
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": { "name": colour_name(&service.name, colour), "labels": metadata_labels },
        "spec": {
            "replicas": 1,
            "revisionHistoryLimit": 5,
            "selector": { "matchLabels": selector },
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": { "maxSurge": "25%", "maxUnavailable": 0 },
            },
            "template": pod_template(service, &metadata_labels),
        },
    })
}
