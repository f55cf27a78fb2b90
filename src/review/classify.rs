use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::AppChange;
use super::escape_hatch::OwnParts;
use super::field_rule::{CONFIG_FILES, Field, WORKLOADS, field, object_change, rule_kind};
use super::json_diff::differing_paths;
use crate::model::{EXCEPTIONS_ANNOTATION, granted_levels};
use crate::spec::IdentityProvider;

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

/// What is found while comparing, merged into one list per Application.
#[derive(Default)]
struct Found {
    changes: BTreeSet<AppChange>,
    variables: BTreeSet<String>,
    /// Variables whose secret reference changed.
    secrets: BTreeSet<String>,
    preview_service_moved: bool,
    /// The workloads of HorizontalPodAutoscalers that appear or go.
    autoscaled: Vec<String>,
    /// The fields each patch file beside the spec sets that changed, by file and object.
    patched: BTreeMap<(String, String), BTreeSet<String>>,
    /// The configuration files of the ConfigMaps that go and of those that appear, by key:
    /// a change of any file names another ConfigMap.
    config_files: [BTreeMap<String, Value>; 2],
}

/// The changes between two renderings of one overlay that has no files beside the spec.
#[cfg(test)]
pub(super) fn classify(before: &[Value], after: &[Value]) -> Vec<AppChange> {
    classify_with(before, after, &OwnParts::default())
}

/// The changes between two renderings of one overlay; `own` names what the files beside the
/// spec put into it, which is named as theirs whatever it is.
pub(super) fn classify_with(before: &[Value], after: &[Value], own: &OwnParts) -> Vec<AppChange> {
    let (old, new) = (keyed(before), keyed(after));
    let mut found = Found::default();
    for (key, document) in &new {
        let differs = old.get(key) != Some(document);
        if own_object(&mut found, own, key, differs) {
            continue;
        }
        match old.get(key) {
            None => appeared(&mut found, key, document, true),
            Some(previous) if previous != document => {
                changed(&mut found, own, key, previous, document);
            }
            Some(_) => {}
        }
    }
    for (key, document) in &old {
        if !new.contains_key(key) && !own_object(&mut found, own, key, true) {
            appeared(&mut found, key, document, false);
        }
    }
    let [gone, came] = std::mem::take(&mut found.config_files);
    let files: Vec<String> = gone
        .keys()
        .chain(came.keys())
        .filter(|key| gone.get(*key) != came.get(*key))
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !files.is_empty() {
        found.changes.insert(AppChange::ConfigFiles { files });
    }
    for ((file, object), fields) in std::mem::take(&mut found.patched) {
        found.changes.insert(AppChange::Patch {
            file,
            object,
            fields: fields.into_iter().collect(),
        });
    }
    // A preview Service comes and goes with the idle colour it selects.
    let colour_moved = found
        .changes
        .iter()
        .any(|c| matches!(c, AppChange::Colour { .. }));
    if found.preview_service_moved && !colour_moved {
        found.changes.insert(AppChange::Routes);
    }
    // An autoscaler comes and goes with the colour it scales.
    let moved = |workload: &String| {
        found
            .changes
            .iter()
            .any(|c| matches!(c, AppChange::Colour { workload: w, .. } if w == workload))
    };
    if !found.autoscaled.iter().all(moved) {
        found.changes.insert(AppChange::Autoscaling);
    }
    if !found.secrets.is_empty() {
        found.changes.insert(AppChange::Secrets {
            names: found.secrets.into_iter().collect(),
        });
    }
    if !found.variables.is_empty() {
        found.changes.insert(AppChange::Variables {
            names: found.variables.into_iter().collect(),
        });
    }
    found.changes.into_iter().collect()
}

/// Whether `key` is an object of the service's own; it is named as such where it `differs`.
fn own_object(found: &mut Found, own: &OwnParts, (kind, name): &Key, differs: bool) -> bool {
    let Some(file) = own.object_file(kind, name) else {
        return false;
    };
    if differs {
        found.changes.insert(AppChange::ExtraManifest {
            file: file.to_owned(),
            object: format!("{kind}/{name}"),
        });
    }
    true
}

/// An object that exists on one side only.
fn appeared(found: &mut Found, (kind, name): &Key, document: &Value, running: bool) {
    let kind = rule_kind(kind, name);
    if WORKLOADS.contains(&kind) {
        found.changes.insert(AppChange::Colour {
            workload: name.clone(),
            running,
        });
    } else if kind == "Service" && name.ends_with("-preview") {
        found.preview_service_moved = true;
    } else if kind == CONFIG_FILES {
        let data = document["data"].as_object().into_iter().flatten();
        let side = &mut found.config_files[usize::from(running)];
        side.extend(data.map(|(key, text)| (key.clone(), text.clone())));
    } else if kind == "HorizontalPodAutoscaler" {
        let target = document["spec"]["scaleTargetRef"]["name"].as_str();
        found.autoscaled.push(target.unwrap_or_default().to_owned());
    } else if kind == "ExternalSecret" {
        found
            .secrets
            .extend(secret_references(document).into_keys());
    } else if kind == "ConfigMap" || kind == "Secret" {
        let keys = document["data"]
            .as_object()
            .into_iter()
            .flat_map(|d| d.keys());
        found.variables.extend(keys.cloned());
    } else if let Some(change) = object_change(kind) {
        found.changes.insert(change);
    } else {
        found.changes.insert(AppChange::Configuration {
            object: format!("{kind}/{name}"),
            fields: vec![if running { "added" } else { "removed" }.to_owned()],
        });
    }
}

/// An object on both sides that differs: each differing field by the rule that names it.
fn changed(
    found: &mut Found,
    own: &OwnParts,
    (kind, name): &Key,
    previous: &Value,
    document: &Value,
) {
    let object = (kind.as_str(), name.as_str());
    let kind = rule_kind(kind, name);
    let mut other = BTreeSet::new();
    for path in differing_paths(previous, document) {
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        if let Some(file) = own.patch_of(object, &path, [previous, document]) {
            let patched = (file.to_owned(), format!("{}/{}", object.0, object.1));
            found
                .patched
                .entry(patched)
                .or_default()
                .insert(path.join("."));
            continue;
        }
        match field(kind, &path) {
            Field::Kind(change) => {
                found.changes.insert(change);
            }
            Field::Image(index) => {
                let image = |d: &Value| tag(container(d, index, "image").as_str().unwrap_or(""));
                found.changes.insert(AppChange::Image {
                    workload: name.clone(),
                    from: image(previous),
                    to: image(document),
                });
            }
            Field::InitImage(index) => {
                let follows_release = |d: &Value| {
                    pod_template(d)["spec"]["initContainers"][index]["image"]
                        == container(d, 0, "image")
                };
                if !(follows_release(previous) && follows_release(document)) {
                    found.changes.insert(AppChange::Containers);
                }
            }
            Field::BaseImage => {
                let (from, to) = (base(previous), base(document));
                if from != to {
                    found.changes.insert(AppChange::BaseImage {
                        workload: name.clone(),
                        from,
                        to,
                    });
                }
            }
            Field::Variables(index) => {
                let variables = |d: &Value| variables(&container(d, index, "env"));
                let (old, new) = (variables(previous), variables(document));
                let names = old.keys().chain(new.keys());
                let differing = names.filter(|n| old.get(*n) != new.get(*n));
                found.variables.extend(differing.cloned());
            }
            Field::SecretReferences => {
                let (old, new) = (secret_references(previous), secret_references(document));
                let names = old.keys().chain(new.keys());
                let differing: Vec<&String> =
                    names.filter(|n| old.get(*n) != new.get(*n)).collect();
                // The store or the refresh interval moved: every variable reads anew.
                if differing.is_empty() {
                    found.secrets.extend(new.into_keys());
                } else {
                    found.secrets.extend(differing.into_iter().cloned());
                }
            }
            Field::DataKey(key) => {
                found.variables.insert(key);
            }
            Field::ColourSelector => {
                let colour =
                    |d: &Value| d["spec"]["selector"]["version"].as_str().map(str::to_owned);
                if let (Some(from), Some(to)) = (colour(previous), colour(document))
                    && !name.ends_with("-preview")
                {
                    found.changes.insert(AppChange::ColourSwitch { from, to });
                }
            }
            Field::Identity => {
                let (from, to) = (identity(previous), identity(document));
                if from != to {
                    found.changes.insert(AppChange::Identity { from, to });
                }
            }
            Field::SecurityExceptions => security_exceptions(found, previous, document),
            Field::Implied => {}
            Field::Other => {
                other.insert(path.join("."));
            }
        }
    }
    if !other.is_empty() {
        found.changes.insert(AppChange::Configuration {
            object: format!("{kind}/{name}"),
            fields: other.into_iter().collect(),
        });
    }
}

/// The services a pod security policy lets run at more than its environment, each whose
/// level changed; a reason or ticket alone is a change of the policy.
fn security_exceptions(found: &mut Found, previous: &Value, document: &Value) {
    let read = |d: &Value| {
        d["metadata"]["annotations"][EXCEPTIONS_ANNOTATION]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_default()
    };
    let (old_text, new_text) = (read(previous), read(document));
    let (old, new) = (granted_levels(&old_text), granted_levels(&new_text));
    if old == new {
        // A reason or a ticket changed: still a change of the policy.
        found.changes.insert(AppChange::Policies);
    }
    for service in old.keys().chain(new.keys()) {
        let (from, to) = (old.get(service), new.get(service));
        if from != to {
            found.changes.insert(AppChange::SecurityException {
                service: (*service).to_owned(),
                from: from.map_or("none", |l| *l).to_owned(),
                to: to.map_or("none", |l| *l).to_owned(),
            });
        }
    }
}

/// What an ExternalSecret reads for each variable (the Secret's key), by variable name.
fn secret_references(document: &Value) -> BTreeMap<String, Value> {
    let entries = document["spec"]["data"].as_array();
    entries
        .into_iter()
        .flatten()
        .map(|entry| {
            let name = entry["secretKey"].as_str().unwrap_or("").to_owned();
            (name, entry["remoteRef"].clone())
        })
        .collect()
}

fn container(document: &Value, index: usize, field: &str) -> Value {
    pod_template(document)["spec"]["containers"][index][field].clone()
}

/// A workload's pod template: a CronJob's is in its job template.
fn pod_template(document: &Value) -> &Value {
    match document["kind"].as_str() {
        Some("CronJob") => &document["spec"]["jobTemplate"]["spec"]["template"],
        _ => &document["spec"]["template"],
    }
}

/// The variables of a container by name. The version in the OpenTelemetry resource
/// attributes follows the image, so it is left out: an image change alone changes no variable.
fn variables(env: &Value) -> BTreeMap<String, Value> {
    let entries = env.as_array().map(Vec::as_slice).unwrap_or_default();
    entries
        .iter()
        .map(|entry| {
            let name = entry["name"].as_str().unwrap_or("").to_owned();
            let mut value = entry.clone();
            if name == "OTEL_RESOURCE_ATTRIBUTES"
                && let Some(text) = entry["value"].as_str()
            {
                let kept: Vec<&str> = text
                    .split(',')
                    .filter(|a| !a.starts_with("service.version="))
                    .collect();
                value["value"] = Value::String(kept.join(","));
            }
            (name, value)
        })
        .collect()
}

/// `python:3.12-r2`, from the labels every pod carries; when only the digest moved, the
/// digest's beginning.
fn base(document: &Value) -> String {
    let template = &pod_template(document)["metadata"];
    let label = |key: &str| template["labels"][key].as_str().unwrap_or("?").to_owned();
    let name = format!(
        "{}:{}",
        label("fleetc.io/base-image"),
        label("fleetc.io/base-version")
    );
    let digest = template["annotations"]["fleetc.io/base-image-ref"]
        .as_str()
        .and_then(|r| r.split_once('@'))
        .map(|(_, digest)| digest.chars().take(19).collect::<String>());
    match digest {
        Some(digest) => format!("{name}@{digest}"),
        None => name,
    }
}

/// `aws arn:aws:iam::…:role/orders`: the cloud and identity a ServiceAccount's annotation
/// names, or `none`.
fn identity(account: &Value) -> String {
    IdentityProvider::ALL
        .into_iter()
        .find_map(|provider| {
            let id = account["metadata"]["annotations"][provider.annotation()].as_str()?;
            Some(format!("{} {id}", provider.as_str()))
        })
        .unwrap_or_else(|| "none".to_owned())
}

/// `registry/app:1.2.3@sha256:…` → `1.2.3`.
fn tag(image: &str) -> String {
    let without_digest = image.split('@').next().unwrap_or(image);
    match without_digest.rsplit_once(':') {
        Some((_, tag)) if !tag.contains('/') => tag.to_owned(),
        _ => without_digest.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn deployment(name: &str, image: &str, base_version: &str, env: &[(&str, &str)]) -> Value {
        let env: Vec<Value> = env
            .iter()
            .map(|(n, v)| json!({"name": n, "value": v}))
            .collect();
        json!({
            "kind": "Deployment",
            "metadata": {"name": name, "labels": {"app.kubernetes.io/version": image}},
            "spec": {
                "replicas": 2,
                "template": {
                    "metadata": {
                        "labels": {"fleetc.io/base-image": "python", "fleetc.io/base-version": base_version},
                        "annotations": {"fleetc.io/base-image-ref": format!("r/python:{base_version}@sha256:0123456789abcdef")}
                    },
                    "spec": {"containers": [{
                        "name": "app",
                        "image": format!("r/app:{image}"),
                        "env": env,
                        "readinessProbe": {"httpGet": {"path": "/ready"}},
                        "resources": {"requests": {"cpu": "100m"}}
                    }]}
                }
            }
        })
    }

    fn otel(version: &str) -> String {
        format!("service.version={version},deployment.environment.name=prod")
    }

    fn users(version: &str) -> Value {
        deployment(
            "users-blue",
            version,
            "3.12",
            &[
                ("OTEL_RESOURCE_ATTRIBUTES", &otel(version)),
                ("LOG", "json"),
            ],
        )
    }

    fn edited(mut document: Value, pointer: &str, value: Value) -> Value {
        *document.pointer_mut(pointer).unwrap() = value;
        document
    }

    #[test]
    fn an_image_change_is_only_an_image_change() {
        assert_eq!(
            classify(&[users("1.4.2")], &[users("1.5.0")]),
            [AppChange::Image {
                workload: "users-blue".into(),
                from: "1.4.2".into(),
                to: "1.5.0".into()
            }]
        );
    }

    #[test]
    fn a_base_image_change_names_both_bases() {
        let after = deployment(
            "users-blue",
            "1.4.2",
            "3.13",
            &[
                ("OTEL_RESOURCE_ATTRIBUTES", &otel("1.4.2")),
                ("LOG", "json"),
            ],
        );
        assert_eq!(
            classify(&[users("1.4.2")], &[after]),
            [AppChange::BaseImage {
                workload: "users-blue".into(),
                from: "python:3.12@sha256:0123456789ab".into(),
                to: "python:3.13@sha256:0123456789ab".into()
            }]
        );
    }

    fn external_secret(references: &[(&str, &str)]) -> Value {
        let data: Vec<Value> = references
            .iter()
            .map(|(name, key)| json!({ "secretKey": name, "remoteRef": { "key": key } }))
            .collect();
        json!({
            "apiVersion": "external-secrets.io/v1",
            "kind": "ExternalSecret",
            "metadata": { "name": "users-secrets" },
            "spec": { "refreshInterval": "1h", "data": data },
        })
    }

    #[test]
    fn a_secret_reference_change_names_the_variable_and_no_reference() {
        let before = external_secret(&[("DB_PASSWORD", "users/db"), ("API_KEY", "users/api")]);
        let after = external_secret(&[("DB_PASSWORD", "prod/users/db"), ("API_KEY", "users/api")]);
        let changes = classify(std::slice::from_ref(&before), &[after]);
        assert_eq!(
            changes,
            [AppChange::Secrets {
                names: vec!["DB_PASSWORD".into()]
            }]
        );
        assert!(!changes[0].describe().contains("users/db"));
        let mut refreshed = before.clone();
        refreshed["spec"]["refreshInterval"] = json!("15m");
        assert_eq!(
            classify(std::slice::from_ref(&before), &[refreshed]),
            [AppChange::Secrets {
                names: vec!["API_KEY".into(), "DB_PASSWORD".into()]
            }]
        );
        assert_eq!(
            classify(&[], &[before]),
            [AppChange::Secrets {
                names: vec!["API_KEY".into(), "DB_PASSWORD".into()]
            }]
        );
    }

    #[test]
    fn variables_are_named() {
        let after = edited(
            users("1.4.2"),
            "/spec/template/spec/containers/0/env/1/value",
            json!("logfmt"),
        );
        assert_eq!(
            classify(&[users("1.4.2")], &[after]),
            [AppChange::Variables {
                names: vec!["LOG".into()]
            }]
        );
    }

    #[test]
    fn probes_resources_replicas_and_others_are_named() {
        let before = users("1.4.2");
        for (pointer, value, change) in [
            (
                "/spec/template/spec/containers/0/readinessProbe/httpGet/path",
                json!("/readyz"),
                AppChange::Probes,
            ),
            (
                "/spec/template/spec/containers/0/resources/requests/cpu",
                json!("1"),
                AppChange::Resources,
            ),
            ("/spec/replicas", json!(3), AppChange::Replicas),
            (
                "/metadata/labels",
                json!({"team": "web"}),
                AppChange::Labels,
            ),
        ] {
            let after = edited(before.clone(), pointer, value);
            assert_eq!(
                classify(std::slice::from_ref(&before), &[after]),
                [change],
                "{pointer}"
            );
        }
        let mut after = before.clone();
        after["spec"]["template"]["spec"]["hostNetwork"] = json!(true);
        assert_eq!(
            classify(&[before], &[after]),
            [AppChange::Configuration {
                object: "Deployment/users-blue".into(),
                fields: vec!["spec.template.spec.hostNetwork".into()]
            }]
        );
    }

    #[test]
    fn colours_starting_stopping_and_switching_are_named() {
        let service = |colour: &str| json!({"kind": "Service", "metadata": {"name": "users"}, "spec": {"selector": {"version": colour}}});
        let preview = json!({"kind": "Service", "metadata": {"name": "users-preview"}});
        let green = deployment("users-green", "1.5.0", "3.12", &[]);
        let hpa = json!({"kind": "HorizontalPodAutoscaler", "metadata": {"name": "users-green"}, "spec": {"scaleTargetRef": {"name": "users-green"}}});
        assert_eq!(
            classify(
                &[users("1.4.2"), service("blue")],
                &[users("1.4.2"), green, service("blue"), preview, hpa]
            ),
            [AppChange::Colour {
                workload: "users-green".into(),
                running: true
            }]
        );
        assert_eq!(
            classify(&[service("blue")], &[service("green")]),
            [AppChange::ColourSwitch {
                from: "blue".into(),
                to: "green".into()
            }]
        );
    }

    fn account(annotations: &Value) -> Value {
        json!({"kind": "ServiceAccount", "metadata": {"name": "users", "annotations": annotations}})
    }

    #[test]
    fn an_identity_change_names_the_cloud_and_both_identities() {
        let role = |arn: &str| account(&json!({"eks.amazonaws.com/role-arn": arn}));
        assert_eq!(
            classify(&[role("arn:a")], &[role("arn:b")]),
            [AppChange::Identity {
                from: "aws arn:a".into(),
                to: "aws arn:b".into()
            }]
        );
        // Azure's pod label comes and goes with its identity.
        let before = [users("1.4.2"), account(&json!(null))];
        let mut labelled = users("1.4.2");
        labelled["spec"]["template"]["metadata"]["labels"]["azure.workload.identity/use"] =
            json!("true");
        let after = [
            labelled,
            account(&json!({"azure.workload.identity/client-id": "7d4f"})),
        ];
        assert_eq!(
            classify(&before, &after),
            [AppChange::Identity {
                from: "none".into(),
                to: "azure 7d4f".into()
            }]
        );
    }

    #[test]
    fn objects_that_appear_are_named_by_kind() {
        let hpa = json!({"kind": "HorizontalPodAutoscaler", "metadata": {"name": "users"}, "spec": {"scaleTargetRef": {"name": "users"}}});
        let policy = json!({"kind": "NetworkPolicy", "metadata": {"name": "users"}});
        let config =
            json!({"kind": "ConfigMap", "metadata": {"name": "users"}, "data": {"MODE": "x"}});
        assert_eq!(
            classify(&[], &[hpa, policy, config]),
            [
                AppChange::Autoscaling,
                AppChange::Variables {
                    names: vec!["MODE".into()]
                },
                AppChange::Policies
            ]
        );
    }

    #[test]
    fn configuration_files_are_named_by_the_files_whose_text_changed() {
        let config = |hash: &str, files: Value| json!({ "kind": "ConfigMap", "metadata": { "name": format!("ledger-config-{hash}") }, "data": files });
        let before = [config(
            "0000000000",
            json!({ "app.toml": "a = 1\n", "log.yaml": "level: info\n" }),
        )];
        let after = [config(
            "1111111111",
            json!({ "app.toml": "a = 1\n", "log.yaml": "level: debug\n", "new.ini": "x\n" }),
        )];
        assert_eq!(
            classify(&before, &after),
            [AppChange::ConfigFiles {
                files: vec!["log.yaml".into(), "new.ini".into()]
            }]
        );
        assert!(classify(&before, &before).is_empty());
    }
}
