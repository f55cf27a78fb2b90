//! The evaluator refuses a real workload broken in each way a rule forbids: a prod service of
//! `generated/` built on a base image with a blocked version, as Argo CD applies it.

use std::path::PathBuf;

use fleetc::{Renderer, overlays};
use serde_json::{Value, json};

use super::argocd::ArgoCd;
use super::{load, overlay_of, policies};
use crate::kyverno;

const CONTAINER: &str = "/spec/template/spec/containers/0";
const DIGEST: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// The prod policies of `generated/` and the Deployment of a prod service on `python`.
fn prod_python_deployment() -> (Vec<Value>, Value) {
    let tree = load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("generated"));
    let mut renderer = Renderer::new(&tree);
    let policies = policies(&mut renderer, "envs/prod");
    let on_python = |d: &Value| {
        d["kind"] == "Deployment"
            && d["spec"]["template"]["metadata"]["labels"]["fleetc.io/base-image"] == "python"
    };
    let folder = overlays(&tree)
        .into_iter()
        .filter(|folder| overlay_of(folder, "prod"))
        .find(|folder| renderer.render(folder).unwrap().iter().any(on_python))
        .expect("a prod service on python");
    let objects = ArgoCd::of(&tree).applied(&mut renderer, &folder);
    assert!(
        kyverno::violations(&policies, &objects).is_empty(),
        "{folder} passes as generated"
    );
    let deployment = objects.into_iter().find(on_python).unwrap();
    (policies, deployment)
}

fn container(deployment: &mut Value) -> &mut Value {
    deployment.pointer_mut(CONTAINER).unwrap()
}

/// The rules a copy of `deployment` fails once broken, each with the path it fails at.
fn failed_by(
    policies: &[Value],
    deployment: &Value,
    break_it: impl Fn(&mut Value),
) -> Vec<(String, String)> {
    let mut broken = deployment.clone();
    break_it(&mut broken);
    let violations = kyverno::violations(policies, &[broken]);
    violations
        .into_iter()
        .map(|v| (v.rule, v.mismatch.path))
        .collect()
}

fn only(rule: &str, path: &str) -> Vec<(String, String)> {
    vec![(rule.to_owned(), path.to_owned())]
}

#[test]
fn breaking_a_rendered_workload_fails_the_rule_it_breaks() {
    let (policies, deployment) = prod_python_deployment();
    let image_path = format!("{CONTAINER}/image");
    let image = |image: String| move |d: &mut Value| container(d)["image"] = json!(image);
    let running = deployment.pointer(&image_path).unwrap().as_str().unwrap();
    let (repository, _) = running.split_once(':').unwrap();

    let root = |d: &mut Value| {
        container(d)["securityContext"]
            .as_object_mut()
            .unwrap()
            .remove("runAsNonRoot");
    };
    let non_root = format!("{CONTAINER}/securityContext/runAsNonRoot");
    assert_eq!(
        failed_by(&policies, &deployment, root),
        only("run-as-non-root", &non_root)
    );
    let unlimited = |d: &mut Value| {
        container(d)["resources"]["limits"]
            .as_object_mut()
            .unwrap()
            .remove("memory");
    };
    assert_eq!(
        failed_by(&policies, &deployment, unlimited),
        only(
            "require-memory-limit",
            &format!("{CONTAINER}/resources/limits/memory")
        )
    );
    let elsewhere = image(format!("docker.io/library/python:3.12@{DIGEST}"));
    assert_eq!(
        failed_by(&policies, &deployment, elsewhere),
        only("approved-registry", &image_path)
    );
    let latest = image(format!("{repository}:latest@{DIGEST}"));
    assert_eq!(
        failed_by(&policies, &deployment, latest),
        only("disallow-latest", &image_path)
    );
    let undigested = image(format!("{repository}:1.0"));
    assert_eq!(
        failed_by(&policies, &deployment, undigested),
        only("require-digest", &image_path)
    );

    let rules = policies
        .iter()
        .flat_map(|p| p["spec"]["rules"].as_array().unwrap());
    let deny = rules
        .clone()
        .find(|rule| rule["name"] == "deny-blocked-python");
    let blocked = &deny.expect("python has a blocked version")["validate"]["deny"];
    let blocked = blocked["conditions"]["any"][0]["value"][0].clone();
    let on_blocked = |d: &mut Value| {
        d["spec"]["template"]["metadata"]["labels"]["fleetc.io/base-version"] = blocked.clone();
    };
    let version = "/spec/template/metadata/labels/fleetc.io~1base-version";
    assert_eq!(
        failed_by(&policies, &deployment, on_blocked),
        only("deny-blocked-python", version)
    );

    let variables = deployment
        .pointer(&format!("{CONTAINER}/env"))
        .and_then(Value::as_array);
    let literal = format!("{CONTAINER}/env/{}/value", variables.map_or(0, Vec::len));
    let leak = |d: &mut Value| {
        let variable = json!({ "name": "DB_PASSWORD", "value": "hunter2" });
        container(d)["env"].as_array_mut().unwrap().push(variable);
    };
    assert_eq!(
        failed_by(&policies, &deployment, leak),
        only("no-literal-secrets", &literal)
    );

    let by_hand = |d: &mut Value| {
        d["metadata"]["labels"]
            .as_object_mut()
            .unwrap()
            .remove("fleetc.io/synced-by");
    };
    let synced = "/metadata/labels/fleetc.io~1synced-by";
    assert_eq!(
        failed_by(&policies, &deployment, by_hand),
        only("require-argocd-sync", synced)
    );
}

/// Each control of the restricted and baseline Pod Security Standards that fleetc's settings
/// reach is a rule a broken pod fails, and fails alone.
#[test]
fn breaking_a_pod_security_control_fails_its_rule() {
    let (policies, deployment) = prod_python_deployment();
    let pod = "/spec/template/spec";
    let security = format!("{CONTAINER}/securityContext");
    let as_root =
        |d: &mut Value| d.pointer_mut(pod).unwrap()["securityContext"]["runAsUser"] = json!(0);
    assert_eq!(
        failed_by(&policies, &deployment, as_root),
        only(
            "run-as-non-root",
            &format!("{pod}/securityContext/runAsUser")
        )
    );
    let escalating =
        |d: &mut Value| container(d)["securityContext"]["allowPrivilegeEscalation"] = json!(true);
    assert_eq!(
        failed_by(&policies, &deployment, escalating),
        only(
            "disallow-privilege-escalation",
            &format!("{security}/allowPrivilegeEscalation")
        )
    );
    let chown = |d: &mut Value| {
        container(d)["securityContext"]["capabilities"]["add"] = json!(["CHOWN"]);
    };
    let added = format!("{security}/capabilities/add/0");
    assert_eq!(
        failed_by(&policies, &deployment, chown),
        only("drop-all-capabilities", &added)
    );
    let net_admin = |d: &mut Value| {
        container(d)["securityContext"]["capabilities"]["add"] = json!(["NET_ADMIN"]);
    };
    assert_eq!(
        failed_by(&policies, &deployment, net_admin),
        vec![
            ("drop-all-capabilities".to_owned(), added.clone()),
            ("restrict-capabilities".to_owned(), added.clone()),
        ]
    );
    let keeping = |d: &mut Value| {
        container(d)["securityContext"]["capabilities"]["drop"] = json!(["NET_RAW"]);
    };
    assert_eq!(
        failed_by(&policies, &deployment, keeping),
        only(
            "drop-all-capabilities",
            &format!("{security}/capabilities/drop")
        )
    );
    let unconfined = |d: &mut Value| {
        d.pointer_mut(pod).unwrap()["securityContext"]["seccompProfile"]["type"] =
            json!("Unconfined");
    };
    assert_eq!(
        failed_by(&policies, &deployment, unconfined),
        only(
            "restrict-seccomp",
            &format!("{pod}/securityContext/seccompProfile/type")
        )
    );
    let privileged = |d: &mut Value| container(d)["securityContext"]["privileged"] = json!(true);
    assert_eq!(
        failed_by(&policies, &deployment, privileged),
        only("disallow-privileged", &format!("{security}/privileged"))
    );
    let host_network = |d: &mut Value| d.pointer_mut(pod).unwrap()["hostNetwork"] = json!(true);
    assert_eq!(
        failed_by(&policies, &deployment, host_network),
        only("disallow-host-namespaces", &format!("{pod}/hostNetwork"))
    );
    let host_path = |d: &mut Value| {
        d.pointer_mut(pod).unwrap()["volumes"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "name": "node", "hostPath": { "path": "/" } }));
    };
    let volumes = deployment
        .pointer(&format!("{pod}/volumes"))
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    assert_eq!(
        failed_by(&policies, &deployment, host_path),
        only(
            "disallow-host-path",
            &format!("{pod}/volumes/{volumes}/hostPath")
        )
    );
    let host_port = |d: &mut Value| container(d)["ports"][0]["hostPort"] = json!(80);
    assert_eq!(
        failed_by(&policies, &deployment, host_port),
        only(
            "disallow-host-ports",
            &format!("{CONTAINER}/ports/0/hostPort")
        )
    );
}
