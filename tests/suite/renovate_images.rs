//! Renovate proposes new versions of the images built elsewhere that a spec runs: a service's
//! `image`, a sidecar's, an init container's, each at the `version` of its own table.

use std::fs;
use std::path::Path;

use super::renovate::{Pin, extracted_from};

/// The spec whose services, sidecar and init container run images built elsewhere.
const WORKLOADS: &str = "golden/workloads/enterprise.toml";

fn workloads() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(WORKLOADS)).unwrap()
}

/// What Renovate finds in `spec` read as the estate's spec file.
fn found(spec: &str) -> Vec<Pin> {
    extracted_from(spec, "spec/enterprise.toml")
}

fn pin(image: &str, version: &str, digest: Option<&str>) -> Pin {
    (
        "docker".to_owned(),
        image.to_owned(),
        version.to_owned(),
        digest.map(str::to_owned),
    )
}

#[test]
fn every_image_built_elsewhere_is_found_at_its_version_with_its_digest() {
    let spec = workloads();
    // The base image catalog (`base/alpine`) and the init container on the service's own
    // image (`migrate`) are not images built elsewhere.
    assert_eq!(
        found(&spec),
        vec![
            pin(
                "docker.io/envoyproxy/envoy",
                "v1.31.2",
                Some("sha256:2c7b2d8e8a1f4a1f0e6a5a5f4c0d1e2b3a4c5d6e7f8091a2b3c4d5e6f7a8b9c0")
            ),
            pin(
                "docker.io/library/busybox",
                "1.36.1",
                Some("sha256:650fd573e056b679a5110a70aabeb01e26b76e545ec4b9c70a9523f2dfaf18c6")
            ),
            pin(
                "docker.io/library/redis",
                "7.2.5",
                Some("sha256:34fb46c847bb9df96e5205a39d382f648a6e8dce1e014cd85b4ca6a88d88ed03")
            ),
        ]
    );
}

#[test]
fn a_tag_is_found_as_a_tag_in_any_key_order_and_release_states_are_left_to_release() {
    let digest = "7.2.5@sha256:34fb46c847bb9df96e5205a39d382f648a6e8dce1e014cd85b4ca6a88d88ed03";
    let spec = workloads().replace(
        &format!("image = \"docker.io/library/redis\"\nversion = \"{digest}\"\n"),
        "version = \"7.3.0\"\ndeploy.prod = { version = \"7.2.4\" }\nimage = \"docker.io/library/redis\"\n",
    );
    assert!(
        spec.contains("7.2.4"),
        "the spec no longer reads as the test expects"
    );
    let redis: Vec<Pin> = found(&spec)
        .into_iter()
        .filter(|(_, image, _, _)| image == "docker.io/library/redis")
        .collect();
    // The version prod runs moves with `fleetc release`, in promotion order.
    assert_eq!(redis, vec![pin("docker.io/library/redis", "7.3.0", None)]);
}

fn config() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("renovate.json");
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// The package rules that apply to a dependency of `dep_type` named `image`.
fn rules_for(config: &serde_json::Value, dep_type: &str, image: &str) -> Vec<serde_json::Value> {
    let lists = |rule: &serde_json::Value, key: &str| -> Option<Vec<String>> {
        rule[key].as_array().map(|values| {
            values
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        })
    };
    config["packageRules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|rule| lists(rule, "matchDepTypes").is_none_or(|t| t.iter().any(|t| t == dep_type)))
        .filter(|rule| {
            lists(rule, "matchDepNames").is_none_or(|names| {
                names.iter().any(|n| {
                    n.strip_suffix("/**").map_or(n == image, |registry| {
                        image.starts_with(&format!("{registry}/"))
                    })
                })
            })
        })
        .filter(|rule| {
            lists(rule, "matchDatasources").is_none_or(|d| d.iter().any(|d| d == "docker"))
        })
        .cloned()
        .collect()
}

fn dep_type_of(config: &serde_json::Value, manager: &str) -> String {
    config["customManagers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["description"].as_str().unwrap().starts_with(manager))
        .unwrap()["depTypeTemplate"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn an_image_built_elsewhere_gets_a_pull_request_of_its_own_and_the_estates_own_none() {
    let config = config();
    let elsewhere = dep_type_of(&config, "Images built elsewhere");
    assert_ne!(elsewhere, dep_type_of(&config, "Base image versions"));
    let redis = rules_for(&config, &elsewhere, "docker.io/library/redis");
    assert!(
        redis
            .iter()
            .all(|r| r["groupName"].is_null() && r["enabled"].is_null()),
        "not grouped with the base image digests, nor turned off: {redis:#?}"
    );
    // A service the estate builds may name a repository of the estate's registry by `image`:
    // its versions are released, never bumped.
    let bundled =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/enterprise.toml"))
            .unwrap();
    let spec: toml::Value = toml::from_str(&bundled).unwrap();
    let registry = spec["enterprise"]["registry"].as_str().unwrap();
    let own = rules_for(&config, &elsewhere, &format!("{registry}/platform/shared"));
    assert!(own.iter().any(|r| r["enabled"] == false), "{own:#?}");
}

#[test]
fn a_table_written_as_toml_allows_is_read_too() {
    // A comment after the header, no spaces around `=`, indented keys, and the spec's last
    // line without its newline.
    let spec = "[enterprise]\nname = \"shop\"\n\n\
        [services.cache] # the session store\n  version=\"7.2.5\"\n  image\t= \"docker.io/library/redis\"\n\n\
        [services.cache.sidecars.exporter]\nimage = \"docker.io/oliver006/redis_exporter\"\nversion = \"v1.62.0\"";
    assert_eq!(
        found(spec),
        vec![
            pin("docker.io/library/redis", "7.2.5", None),
            pin("docker.io/oliver006/redis_exporter", "v1.62.0", None),
        ]
    );
}
