//! Images built elsewhere: a third-party image runs from its own repository at the spec's
//! version, with nothing of fleetc's build about it, and the cluster admits exactly the
//! registries the spec declares.

use crate::common;

use common::Workspace;
use serde_json::Value;

fn workspace() -> Workspace {
    let ws = Workspace::with_spec("golden/workloads/enterprise.toml");
    ws.edit_spec("#:schema ../../schemas/enterprise.schema.json\n", "");
    assert_eq!(ws.run(&["build"]).0, 0);
    ws
}

#[test]
fn a_third_party_image_runs_at_its_version_without_a_base() {
    let ws = workspace();
    let (code, stdout, stderr) = ws.run(&["render", "cache", "prod"]);
    assert_eq!(code, 0, "{stderr}");
    let set = fleetc::parse_documents(&stdout)
        .unwrap()
        .into_iter()
        .find(|d| d["kind"] == "StatefulSet")
        .unwrap();
    let pod = &set["spec"]["template"];
    let container = &pod["spec"]["containers"][0];
    let image = container["image"].as_str().unwrap();
    assert!(
        image.starts_with("docker.io/library/redis:7.2.5@sha256:"),
        "{image}"
    );
    assert_eq!(container["imagePullPolicy"], "IfNotPresent");
    // No base image of the estate's: no labels for the blocked-base rule to read.
    assert_eq!(
        pod["metadata"]["labels"]["fleetc.io/base-image"],
        Value::Null
    );
    assert_eq!(pod["metadata"]["annotations"], Value::Null);
    // Nothing to build.
    assert!(!ws.path("generated/ci/cache.yml").exists());
}

#[test]
fn the_cluster_admits_the_declared_registries_and_no_other() {
    let ws = workspace();
    let policies = std::fs::read_to_string(ws.path("generated/envs/prod/policies.yaml")).unwrap();
    assert!(
        policies.contains(
            "image: registry.example.com/* | docker.io/library/* | docker.io/envoyproxy/*"
        ),
        "{policies}"
    );
    ws.edit_spec(
        "registries = [\"docker.io/library\", \"docker.io/envoyproxy\"]",
        "registries = [\"docker.io/library\", \"docker.io/envoyproxy\", \"ghcr.io/acme\"]",
    );
    assert_eq!(ws.run(&["build"]).0, 0);
    let policies = std::fs::read_to_string(ws.path("generated/envs/prod/policies.yaml")).unwrap();
    assert!(
        policies.contains("image: registry.example.com/* | docker.io/library/* | docker.io/envoyproxy/* | ghcr.io/acme/*"),
        "{policies}"
    );
}

fn container_of(ws: &Workspace, service: &str, env: &str) -> Value {
    let (code, stdout, stderr) = ws.run(&["render", service, env]);
    assert_eq!(code, 0, "{stderr}");
    let workload = fleetc::parse_documents(&stdout)
        .unwrap()
        .into_iter()
        .find(|d| d["spec"]["template"].is_object() || d["spec"]["jobTemplate"].is_object())
        .unwrap();
    let template = workload
        .pointer("/spec/jobTemplate/spec/template")
        .unwrap_or(&workload["spec"]["template"]);
    template["spec"]["containers"][0].clone()
}

#[test]
fn a_digest_is_pulled_if_not_present_a_tag_always_and_the_spec_can_say_otherwise() {
    let ws = workspace();
    let pull = |service: &str| container_of(&ws, service, "prod")["imagePullPolicy"].clone();
    assert_eq!(pull("cache"), "IfNotPresent", "pinned by digest");
    assert_eq!(pull("fulfilment"), "Always", "a tag can move");
    assert_eq!(pull("migrate"), "IfNotPresent", "the spec says so");
    ws.edit_spec("pull = \"if-not-present\"", "pull = \"never\"");
    assert_eq!(ws.run(&["build"]).0, 0);
    assert_eq!(pull("migrate"), "Never");
    let patch = "generated/apps/migrate/overlays/prod/job-patch.yaml";
    let text = std::fs::read_to_string(ws.path(patch)).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("imagePullPolicy"))
        .unwrap()
        + 1;
    let (code, stdout, stderr) = ws.run(&["why", &format!("{patch}:{line}")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains("services.migrate.pull"),
        "{stdout}{stderr}"
    );
}

#[test]
fn a_memory_limit_is_written_unless_the_spec_turns_it_off_and_the_policy_names_who_did() {
    let ws = workspace();
    let resources = |service: &str| container_of(&ws, service, "prod")["resources"].clone();
    assert_eq!(
        resources("fulfilment")["limits"]["memory"],
        "128Mi",
        "the request"
    );
    let report = resources("nightly-report");
    assert_eq!(report["requests"]["memory"], "512Mi");
    assert_eq!(report["limits"], serde_json::json!({}));
    let policies = std::fs::read_to_string(ws.path("generated/envs/prod/policies.yaml")).unwrap();
    let rule = fleetc::parse_documents(&policies)
        .unwrap()
        .into_iter()
        .flat_map(|p| p["spec"]["rules"].as_array().unwrap().clone())
        .find(|r| r["name"] == "require-memory-limit")
        .unwrap();
    assert_eq!(
        rule["exclude"]["any"][0]["resources"]["selector"]["matchExpressions"][0]["values"],
        serde_json::json!(["nightly-report"])
    );
    ws.edit_spec("memory_limit = false", "memory_limit = true");
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`memory_limit = true` names no limit"),
        "{stderr}"
    );
}
