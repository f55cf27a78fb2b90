//! `impact` of an image built elsewhere: every service, sidecar and init container running it,
//! environment by environment; and the base image commands, which give verdicts on what the
//! estate builds, saying why none applies to it.

use crate::common;

use common::Workspace;
use serde_json::{Value, json};

const REDIS_DIGEST: &str =
    "sha256:34fb46c847bb9df96e5205a39d382f648a6e8dce1e014cd85b4ca6a88d88ed03";

fn workspace() -> Workspace {
    let ws = Workspace::with_spec("golden/workloads/enterprise.toml");
    ws.edit_spec("#:schema ../../schemas/enterprise.schema.json\n", "");
    ws
}

fn impact_json(ws: &Workspace, image: &str) -> Value {
    let (code, stdout, stderr) = ws.run(&["impact", image, "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// (service, role, container, environment, versions) of every container in the answer.
fn runners(answer: &Value) -> Vec<(String, String, String, String, Value)> {
    answer["containers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let text = |key: &str| c[key].as_str().unwrap().to_owned();
            (
                text("service"),
                text("role"),
                text("container"),
                text("environment"),
                c["running"].clone(),
            )
        })
        .collect()
}

fn runner(
    service: &str,
    role: &str,
    container: &str,
    env: &str,
    running: &[&str],
) -> (String, String, String, String, Value) {
    (
        service.to_owned(),
        role.to_owned(),
        container.to_owned(),
        env.to_owned(),
        json!(running),
    )
}

#[test]
fn impact_names_every_container_running_an_image_built_elsewhere_per_environment() {
    let ws = workspace();
    let pinned = format!("7.2.5@{REDIS_DIGEST}");
    ws.edit_spec(
        "scheduling.spread = false\n",
        "scheduling.spread = false\ndeploy.prod = { version = \"7.2.4\" }\n",
    );
    assert_eq!(
        runners(&impact_json(&ws, "docker.io/library/redis")),
        vec![
            runner("cache", "service", "cache", "dev", &[&pinned]),
            runner("cache", "service", "cache", "prod", &["7.2.4"]),
        ]
    );
    let envoy = "v1.31.2@sha256:2c7b2d8e8a1f4a1f0e6a5a5f4c0d1e2b3a4c5d6e7f8091a2b3c4d5e6f7a8b9c0";
    assert_eq!(
        runners(&impact_json(&ws, "docker.io/envoyproxy/envoy")),
        vec![
            runner("orders", "sidecar", "envoy", "dev", &[envoy]),
            runner("orders", "sidecar", "envoy", "prod", &[envoy]),
        ]
    );
    let (code, stdout, stderr) = ws.run(&["impact", "docker.io/library/busybox"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("docker.io/library/busybox (built elsewhere): 1 services, 2 container × environment pairs\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("orders  init container wait-for-postgres  1.36.1@sha256:")
            && stdout.contains("team orders  in dev, prod"),
        "{stdout}"
    );
}

#[test]
fn impact_of_an_image_built_elsewhere_at_a_version_names_who_runs_that_version_only() {
    let ws = workspace();
    ws.edit_spec(
        "scheduling.spread = false\n",
        "scheduling.spread = false\ndeploy.prod = { version = \"7.2.4\" }\n",
    );
    let prod = runners(&impact_json(&ws, "docker.io/library/redis:7.2.4"));
    assert_eq!(
        prod,
        vec![runner("cache", "service", "cache", "prod", &["7.2.4"])]
    );
    let pinned = format!("7.2.5@{REDIS_DIGEST}");
    for version in ["7.2.5", pinned.as_str()] {
        let dev = runners(&impact_json(
            &ws,
            &format!("docker.io/library/redis:{version}"),
        ));
        assert_eq!(
            dev,
            vec![runner("cache", "service", "cache", "dev", &[&pinned])],
            "{version}"
        );
    }
    assert_eq!(
        runners(&impact_json(&ws, "docker.io/library/redis:8.0.0")),
        vec![]
    );
}

#[test]
fn the_clusters_of_an_environment_running_the_image_make_one_environment() {
    let ws = Workspace::with_spec("golden/regions/enterprise.toml");
    ws.edit_spec(
        "platform_team = \"@globex/platform\"\n",
        "platform_team = \"@globex/platform\"\nregistries = [\"docker.io/envoyproxy\"]\n",
    );
    let envoy = "v1.31.2@sha256:2c7b2d8e8a1f4a1f0e6a5a5f4c0d1e2b3a4c5d6e7f8091a2b3c4d5e6f7a8b9c0";
    ws.edit_spec(
        "[services.users.overrides.prod.clusters.us]",
        &format!(
            "[services.users.sidecars.proxy]\nimage = \"docker.io/envoyproxy/envoy\"\nversion = \"{envoy}\"\n\n[services.users.overrides.prod.clusters.us]"
        ),
    );
    // prod runs it in its three clusters.
    assert_eq!(
        runners(&impact_json(&ws, "docker.io/envoyproxy/envoy")),
        vec![
            runner("users", "sidecar", "proxy", "staging", &[envoy]),
            runner("users", "sidecar", "proxy", "prod", &[envoy]),
        ]
    );
}

#[test]
fn impact_of_an_image_nothing_runs_names_the_base_images_and_the_images_built_elsewhere() {
    let ws = workspace();
    let (code, stdout, stderr) = ws.run(&["impact", "docker.io/library/postgres"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains("`docker.io/library/postgres` is not a base image of the catalog; known: alpine (base/alpine); nor an image built elsewhere that a container runs: ")
            && stderr.contains("docker.io/library/redis")
            && stderr.contains("docker.io/envoyproxy/envoy"),
        "{stderr}"
    );
}

#[test]
fn dockerfiles_are_asked_of_a_base_image_not_of_an_image_built_elsewhere() {
    let ws = workspace();
    let (code, stdout, stderr) =
        ws.run(&["impact", "docker.io/library/redis", "--dockerfiles", "."]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains("`docker.io/library/redis` is an image built elsewhere")
            && stderr.contains("`--dockerfiles` goes with a base image of the catalog"),
        "{stderr}"
    );
}

#[test]
fn a_base_image_verdict_asked_of_an_image_built_elsewhere_says_why_none_applies() {
    let ws = workspace();
    let before = std::fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let commands: [&[&str]; 4] = [
        &["upgrade-base", "docker.io/envoyproxy/envoy", "v1.32.0"],
        &[
            "block-base",
            "docker.io/library/redis",
            "7.2.5",
            "--reason",
            "CVE",
        ],
        &[
            "approve-base",
            "docker.io/library/redis",
            "7.2.6",
            "--digest",
            REDIS_DIGEST,
        ],
        &[
            "except",
            "cache",
            "docker.io/library/redis:7.2.5",
            "--expires",
            "2099-01-01",
            "--ticket",
            "SEC-1",
        ],
    ];
    for args in commands {
        let (code, stdout, stderr) = ws.run(args);
        assert_eq!(code, 2, "{args:?}: {stdout}");
        assert!(
            stderr.contains("is an image built elsewhere, run by")
                && stderr.contains("no base image verdict applies"),
            "{args:?}: {stderr}"
        );
    }
    assert!(
        ws.run(&["upgrade-base", "docker.io/envoyproxy/envoy", "v1.32.0"])
            .2
            .contains("run by the sidecar `envoy` of `orders`")
    );
    assert_eq!(
        std::fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap(),
        before
    );
}
