//! The pods fleetc writes, as `render` hydrates them: how their images are pulled.

use crate::common;

use common::Workspace;
use serde_json::Value;

/// The hydrated documents of one overlay.
fn rendered(ws: &Workspace, service: &str, place: &str) -> Vec<Value> {
    let (code, stdout, stderr) = ws.run(&["render", service, place]);
    assert_eq!(code, 0, "{stderr}");
    fleetc::parse_documents(&stdout).unwrap()
}

/// Every container of the workloads (Deployments, Rollouts) among `documents`: its image and
/// pull policy.
fn pulls(documents: &[Value]) -> Vec<(String, String)> {
    documents
        .iter()
        .filter_map(|d| d["spec"]["template"]["spec"]["containers"].as_array())
        .flatten()
        .map(|c| {
            (
                c["image"].as_str().unwrap().to_owned(),
                c["imagePullPolicy"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn an_image_pinned_by_digest_is_pulled_if_not_present_and_a_tag_always() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    // users: a Deployment per colour, both pinned in prod, tags in dev; search: a Rollout.
    for (service, place, pinned) in [
        ("users", "prod", true),
        ("users", "dev", false),
        ("search", "prod", true),
        ("search", "dev", false),
    ] {
        let pulls = pulls(&rendered(&ws, service, place));
        assert!(!pulls.is_empty(), "{service} {place}");
        for (image, policy) in pulls {
            assert_eq!(
                image.contains("@sha256:"),
                pinned,
                "{service} {place}: {image}"
            );
            let expected = if pinned { "IfNotPresent" } else { "Always" };
            assert_eq!(policy, expected, "{service} {place}: {image}");
        }
    }
}
