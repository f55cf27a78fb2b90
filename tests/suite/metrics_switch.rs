//! `metrics = { enabled = false }` on a service: what else its table says is read by nothing,
//! and said so, located at the key.

use crate::common;

use common::Workspace;

#[test]
fn a_port_beside_metrics_turned_off_is_a_located_warning() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    ws.edit_spec(
        "metrics = { port = 9000 }  # served on the service's own port",
        "metrics = { enabled = false, port = 9000 }",
    );
    let (code, _, stderr) = ws.run(&["validate", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "warning: `auth` serves no metrics, so its metrics `port` is read by nothing"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--> spec/enterprise.toml:147:"), "{stderr}");
    assert!(!stderr.contains("`path` is read by nothing"), "{stderr}");

    ws.edit_spec(
        "metrics = { enabled = false, port = 9000 }",
        "metrics = { enabled = false }",
    );
    let (code, _, stderr) = ws.run(&["validate", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("read by nothing"), "{stderr}");
}

/// Two services in dev and prod, `web` serving metrics where `WEB_METRICS` says.
fn two_services(web_metrics: &str) -> String {
    crate::common::spec_preamble(&["dev", "prod"])
        + &format!(
            "[teams.core]\nowners = [\"@gen/core\"]\n\n\
             [base_images.alpine]\nimage = \"base/alpine\"\nversions.\"3.20\" = {{}}\n\n\
             [defaults]\nmetrics = {{ enabled = false }}\n\n\
             [services.web]\nteam = \"core\"\nbase = \"alpine:3.20\"\nroute = \"/\"\nversion = \"1.0.0\"\n{web_metrics}\n\n\
             [services.api]\nteam = \"core\"\nbase = \"alpine:3.20\"\nroute = \"/api\"\nversion = \"1.0.0\"\n"
        )
}

/// The overview dashboard charts the environment's services from their metrics: where none of
/// the services that run there serves any, there is nothing to chart and no dashboard.
#[test]
fn an_environment_where_no_service_serves_metrics_gets_no_overview_dashboard() {
    let ws = Workspace::with_spec("golden/minimal/enterprise.toml");
    let spec = ws.path("spec/enterprise.toml");
    std::fs::write(&spec, two_services("")).unwrap();
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    let generated = ws.generated();
    let dashboards: Vec<&String> = generated
        .keys()
        .filter(|path| path.ends_with("dashboard.yaml"))
        .collect();
    assert!(dashboards.is_empty(), "{dashboards:?}");
    let kustomization =
        String::from_utf8_lossy(&generated["generated/envs/prod/kustomization.yaml"]);
    assert!(!kustomization.contains("dashboard.yaml"), "{kustomization}");

    // One service that serves metrics in dev alone brings back dev's overview, and no other.
    std::fs::write(
        &spec,
        two_services("metrics = { enabled = true }\nenvironments = [\"dev\"]"),
    )
    .unwrap();
    let (code, _, stderr) = ws.run(&["build", "--allow-delete"]);
    assert_eq!(code, 0, "{stderr}");
    let generated = ws.generated();
    assert!(generated.contains_key("generated/envs/dev/dashboard.yaml"));
    assert!(!generated.contains_key("generated/envs/prod/dashboard.yaml"));
    let kustomization =
        String::from_utf8_lossy(&generated["generated/envs/dev/kustomization.yaml"]);
    assert!(kustomization.contains("dashboard.yaml"), "{kustomization}");
}
