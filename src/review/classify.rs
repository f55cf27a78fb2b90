use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// How one Application changed, as a reviewer would name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Change {
    /// The Application appears or disappears.
    Added,
    Removed,
    /// A workload runs another image.
    Image {
        workload: String,
        from: String,
        to: String,
    },
    /// Live traffic moves to the other colour.
    ColourSwitch {
        from: String,
        to: String,
    },
    /// A colour starts or stops running (a release starts or settles).
    Colour {
        workload: String,
        running: bool,
    },
    Replicas,
    Resources,
    Routes,
    Policies,
    /// Anything else in the rendered manifests (variables, labels, probes…).
    Configuration,
}

impl Change {
    pub fn describe(&self) -> String {
        match self {
            Self::Added => "new".into(),
            Self::Removed => "removed".into(),
            Self::Image { workload, from, to } => format!("image of {workload} {from} → {to}"),
            Self::ColourSwitch { from, to } => format!("live colour {from} → {to}"),
            Self::Colour {
                workload,
                running: true,
            } => format!("{workload} starts"),
            Self::Colour {
                workload,
                running: false,
            } => format!("{workload} stops"),
            Self::Replicas => "replicas".into(),
            Self::Resources => "resources".into(),
            Self::Routes => "routes".into(),
            Self::Policies => "policies".into(),
            Self::Configuration => "configuration".into(),
        }
    }
}

type Key = (String, String);

fn keyed(documents: &[Value]) -> BTreeMap<Key, &Value> {
    documents
        .iter()
        .map(|d| {
            let field = |v: &Value| v.as_str().unwrap_or("").to_owned();
            ((field(&d["kind"]), field(&d["metadata"]["name"])), d)
        })
        .collect()
}

const WORKLOADS: &[&str] = &["Deployment", "Rollout", "StatefulSet"];

/// The changes between two renderings of one overlay.
pub fn classify(before: &[Value], after: &[Value]) -> Vec<Change> {
    let (old, new) = (keyed(before), keyed(after));
    let mut found = Vec::new();
    let mut push = |change: Change| {
        if !found.contains(&change) {
            found.push(change);
        }
    };
    for (key, document) in &new {
        let Some(previous) = old.get(key) else {
            if WORKLOADS.contains(&key.0.as_str()) {
                push(Change::Colour {
                    workload: key.1.clone(),
                    running: true,
                });
            } else {
                push(Change::Configuration);
            }
            continue;
        };
        if previous == document {
            continue;
        }
        let mut rest = (*document).clone();
        let mut was = (*previous).clone();
        if WORKLOADS.contains(&key.0.as_str()) {
            for change in workload_changes(&key.1, previous, document, &mut was, &mut rest) {
                push(change);
            }
        }
        if key.0 == "Service" {
            let colour = |d: &Value| d["spec"]["selector"]["version"].as_str().map(str::to_owned);
            if let (Some(from), Some(to)) = (colour(previous), colour(document))
                && from != to
            {
                if !key.1.ends_with("-preview") {
                    push(Change::ColourSwitch { from, to });
                }
                for d in [&mut rest, &mut was] {
                    d["spec"]["selector"]["version"] = Value::Null;
                }
            }
        }
        if key.0 == "HorizontalPodAutoscaler" {
            push(Change::Replicas);
            continue;
        }
        if key.0 == "Ingress" {
            push(Change::Routes);
            continue;
        }
        if key.0 == "ClusterPolicy" || key.0 == "NetworkPolicy" {
            push(Change::Policies);
            continue;
        }
        if rest != was {
            push(Change::Configuration);
        }
    }
    for key in old.keys() {
        if !new.contains_key(key) {
            if WORKLOADS.contains(&key.0.as_str()) {
                push(Change::Colour {
                    workload: key.1.clone(),
                    running: false,
                });
            } else {
                push(Change::Configuration);
            }
        }
    }
    found.sort();
    found
}

/// Image, replicas and resources of a workload; `was` and `rest` lose the fields compared,
/// so what remains different is configuration.
fn workload_changes(
    name: &str,
    previous: &Value,
    document: &Value,
    was: &mut Value,
    rest: &mut Value,
) -> Vec<Change> {
    let mut found = Vec::new();
    let container =
        |d: &Value, field: &str| d["spec"]["template"]["spec"]["containers"][0][field].clone();
    let image = |d: &Value| container(d, "image").as_str().unwrap_or("").to_owned();
    let (from, to) = (image(previous), image(document));
    if from != to {
        found.push(Change::Image {
            workload: name.to_owned(),
            from: tag(&from),
            to: tag(&to),
        });
    }
    if previous["spec"]["replicas"] != document["spec"]["replicas"] {
        found.push(Change::Replicas);
    }
    if container(previous, "resources") != container(document, "resources") {
        found.push(Change::Resources);
    }
    for d in [was, rest] {
        let pod = &mut d["spec"]["template"];
        pod["spec"]["containers"][0]["image"] = Value::Null;
        pod["spec"]["containers"][0]["resources"] = Value::Null;
        pod["metadata"]["labels"]["app.kubernetes.io/version"] = Value::Null;
        d["metadata"]["labels"]["app.kubernetes.io/version"] = Value::Null;
        d["spec"]["replicas"] = Value::Null;
    }
    found
}

/// `registry/app:1.2.3@sha256:…` → `1.2.3`.
fn tag(image: &str) -> String {
    let without_digest = image.split('@').next().unwrap_or(image);
    match without_digest.rsplit_once(':') {
        Some((_, tag)) if !tag.contains('/') => tag.to_owned(),
        _ => without_digest.to_owned(),
    }
}
