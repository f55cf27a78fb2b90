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
        policies.contains("image: registry.example.com/* | docker.io/library/*"),
        "{policies}"
    );
    ws.edit_spec(
        "registries = [\"docker.io/library\"]",
        "registries = [\"docker.io/library\", \"ghcr.io/acme\"]",
    );
    assert_eq!(ws.run(&["build"]).0, 0);
    let policies = std::fs::read_to_string(ws.path("generated/envs/prod/policies.yaml")).unwrap();
    assert!(
        policies.contains("image: registry.example.com/* | docker.io/library/* | ghcr.io/acme/*"),
        "{policies}"
    );
}
