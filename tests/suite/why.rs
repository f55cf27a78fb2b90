//! `why PATH[:LINE]` names the spec key that produced a generated file or line.

use crate::common;

use std::fs;

use common::Workspace;

fn line_of(ws: &Workspace, path: &str, needle: &str) -> usize {
    let text = fs::read_to_string(ws.path(path)).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} in {path}"))
        + 1
}

fn why(ws: &Workspace, target: &str) -> String {
    let (code, stdout, stderr) = ws.run(&["why", target, "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    stdout
}

/// Each `(path, text on the line, spec key)`: `why` names the key behind that line.
fn lines_come_from(ws: &Workspace, cases: &[(&str, &str, &str)]) {
    for (path, needle, key) in cases {
        let line = line_of(ws, path, needle);
        let stdout = why(ws, &format!("{path}:{line}"));
        assert!(
            stdout.contains(&format!("this line comes from `{key}`")),
            "{path}:{line} ({needle}):\n{stdout}"
        );
        assert!(stdout.contains("--> spec/enterprise.toml:"), "{stdout}");
    }
}

#[test]
fn names_the_certificate_key_behind_a_line() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    assert_eq!(ws.run(&["build"]).0, 0);
    lines_come_from(
        &ws,
        &[
            (
                "generated/envs/prod/cluster-issuer.yaml",
                "hostedZoneID:",
                "environments.prod.certificates.acme.solver.route53.hosted_zone_id",
            ),
            (
                "generated/envs/dev/cluster-issuer.yaml",
                "email:",
                "environments.dev.certificates.acme.email",
            ),
            (
                "generated/envs/staging/certificate.yaml",
                "name: northwind-internal-ca",
                "environments.staging.certificates.issuer",
            ),
            (
                "generated/envs/prod/certificate.yaml",
                "- preview.shop.northwind.example",
                "environments.prod.domain",
            ),
            (
                "generated/envs/prod/ingress-preview.yaml",
                "secretName:",
                "environments.prod.certificates",
            ),
        ],
    );
}

#[test]
fn names_the_key_behind_a_line() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    assert_eq!(ws.run(&["build"]).0, 0);
    let cases = [
        (
            "generated/apps/users/overlays/prod/deployment-green-patch.yaml",
            "users:1.5.0",
            "services.users.deploy.prod.green",
        ),
        (
            "generated/apps/orders/overlays/prod/deployment-blue-patch.yaml",
            "- name: ORDER_EXPORT",
            "services.orders.overrides.prod.env.ORDER_EXPORT",
        ),
        (
            "generated/apps/orders/overlays/prod/deployment-blue-patch.yaml",
            "memory: 1536Mi",
            "services.orders.overrides.prod.resources",
        ),
        (
            "generated/apps/cart/overlays/dev/hpa.yaml",
            "maxReplicas",
            "defaults.autoscaling.max.dev",
        ),
        (
            "generated/apps/users/overlays/prod/service-patch.yaml",
            "value: blue",
            "services.users.deploy.prod.live",
        ),
        (
            "generated/envs/prod/ingress.yaml",
            "- path: /cart",
            "services.cart.route",
        ),
        (
            "generated/terraform/prod/main.tf",
            "node_image",
            "terraform.node_image.prod",
        ),
        ("generated/ci/users.yml", "uses:", "ci.waves"),
        (
            "generated/apps/storefront/overlays/dev/hpa.yaml",
            "maxReplicas",
            "defaults.autoscaling.max.dev",
        ),
        (
            "generated/apps/storefront/overlays/prod/hpa.yaml",
            "maxReplicas",
            "services.storefront.autoscaling.max.prod",
        ),
        (
            "generated/apps/users/overlays/prod/deployment-blue-patch.yaml",
            "fleetc.io~1base-version",
            "services.users.base",
        ),
        (
            "generated/apps/auth/overlays/dev/hpa.yaml",
            "minReplicas",
            "defaults.replicas.dev",
        ),
        (
            "generated/apps/auth/overlays/prod/hpa.yaml",
            "minReplicas",
            "services.auth.replicas.prod",
        ),
    ];
    lines_come_from(&ws, &cases);
    let stdout = why(&ws, "generated/apps/cart/base/service.yaml");
    assert!(
        stdout.contains("this file comes from `services.cart`"),
        "{stdout}"
    );
}

#[test]
fn names_the_keys_behind_metrics_alerts_and_dashboards() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    assert_eq!(ws.run(&["build"]).0, 0);
    lines_come_from(
        &ws,
        &[
            (
                "generated/apps/catalog/base/servicemonitor.yaml",
                "path: /actuator",
                "services.catalog.metrics.path",
            ),
            (
                "generated/apps/cart/base/service-metrics.yaml",
                "port: 9090",
                "defaults.metrics.port",
            ),
            (
                "generated/apps/cart/base/servicemonitor.yaml",
                "release: prometheus",
                "observability.prometheus_selector.release",
            ),
            (
                "generated/apps/search/overlays/prod/prometheusrule.yaml",
                "histogram_quantile",
                "services.search.analysis.p99_latency_ms",
            ),
            (
                "generated/apps/search/overlays/dev/prometheusrule.yaml",
                "code=~",
                "services.search.analysis.success_rate",
            ),
            (
                "generated/apps/cart/overlays/staging/prometheusrule.yaml",
                "severity:",
                "observability.alert_severity.staging",
            ),
            (
                "generated/apps/cart/overlays/staging/prometheusrule.yaml",
                "runbook_url:",
                "observability.runbook_url",
            ),
            (
                "generated/apps/search/overlays/prod/dashboard.yaml",
                "objective",
                "services.search.analysis",
            ),
            (
                "generated/apps/users/overlays/prod/prometheusrule.yaml",
                "code=~",
                "services.users.analysis.success_rate",
            ),
            (
                "generated/apps/search/overlays/prod/rollout-patch.yaml",
                "value: northwind-prod",
                "environments.prod",
            ),
            (
                "generated/apps/users/overlays/staging/kustomization.yaml",
                "namespace: northwind-staging",
                "environments.staging",
            ),
        ],
    );
}

/// The Prometheus an analysis queries is the service's own, or the one of the namespace the
/// estate declares Prometheus runs in.
#[test]
fn names_the_prometheus_an_analysis_queries() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    ws.edit_spec(
        "prometheus_selector = { release = \"prometheus\" }",
        "prometheus_selector = { release = \"prometheus\" }\nprometheus_namespace = \"observability\"",
    );
    assert_eq!(ws.run(&["build"]).0, 0);
    lines_come_from(
        &ws,
        &[
            (
                "generated/apps/search/rollout/analysis.yaml",
                "address: http://prometheus-operated.observability:9090",
                "observability.prometheus_namespace",
            ),
            (
                "generated/apps/payments/rollout/analysis.yaml",
                "address: http://prometheus.monitoring:9090",
                "services.payments.analysis.prometheus",
            ),
        ],
    );
}

#[test]
fn names_the_reference_or_store_behind_a_secret_line() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    assert_eq!(ws.run(&["build"]).0, 0);
    let cases = [
        (
            "generated/apps/users/overlays/prod/externalsecret.yaml",
            "key: prod/users/db",
            "services.users.overrides.prod.secrets.DB_PASSWORD",
        ),
        (
            "generated/apps/users/overlays/prod/externalsecret.yaml",
            "property: signing-key",
            "services.users.secrets.SESSION_SIGNING_KEY",
        ),
        (
            "generated/apps/users/overlays/prod/externalsecret.yaml",
            "refreshInterval",
            "environments.prod.secret_store.refresh",
        ),
        (
            "generated/apps/users/overlays/dev/externalsecret.yaml",
            "name: northwind-dev",
            "environments.dev.secret_store",
        ),
        (
            "generated/apps/users/overlays/prod/deployment-blue-patch.yaml",
            "key: DB_PASSWORD",
            "services.users.overrides.prod.secrets.DB_PASSWORD",
        ),
        (
            "generated/apps/payments/overlays/dev/rollout-patch.yaml",
            "- name: PSP_API_KEY",
            "services.payments.secrets.PSP_API_KEY",
        ),
        (
            "generated/apps/users/overlays/dev/deployment-blue-patch.yaml",
            "secret.reloader.stakater.com/reload",
            "services.users.secrets",
        ),
        (
            "generated/envs/staging/secret-store.yaml",
            "region: eu-west-1",
            "environments.staging.secret_store.aws",
        ),
    ];
    lines_come_from(&ws, &cases);
}

/// A cluster's secret store inherits its environment's key by key, and `why` names the table
/// each key of it came from: the cluster's where it writes the key, the environment's where
/// it leaves it out.
#[test]
fn names_the_cluster_or_environment_key_behind_each_secret_store_setting() {
    let ws = Workspace::with_spec("golden/regions/enterprise.toml");
    ws.edit_spec(
        "approvers = [\"@globex/sre\"]\nsecret_store.aws = { region = \"eu-west-1\" }",
        "approvers = [\"@globex/sre\"]\nsecret_store = { refresh = \"15m\", aws = { region = \"eu-west-1\" } }",
    );
    ws.edit_spec(
        "wave = 0\n",
        "wave = 0\nsecret_store = { refresh = \"5m\" }\n",
    );
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    let overlay =
        |cluster: &str| format!("generated/apps/users/overlays/prod/{cluster}/externalsecret.yaml");
    let store = |cluster: &str| format!("generated/envs/prod/{cluster}/secret-store.yaml");
    lines_come_from(
        &ws,
        &[
            (
                &overlay("us"),
                "refreshInterval: 15m",
                "environments.prod.secret_store.refresh",
            ),
            (
                &overlay("eu-canary"),
                "refreshInterval: 5m",
                "environments.prod.clusters.eu-canary.secret_store.refresh",
            ),
            (
                &overlay("us"),
                "name: globex-prod",
                "environments.prod.clusters.us.secret_store",
            ),
            (
                &overlay("eu"),
                "name: globex-prod",
                "environments.prod.secret_store",
            ),
            (
                &store("us"),
                "region: us-east-1",
                "environments.prod.clusters.us.secret_store.aws",
            ),
            (
                &store("eu-canary"),
                "region: eu-west-1",
                "environments.prod.secret_store.aws",
            ),
        ],
    );
}

#[test]
fn refuses_files_fleetc_does_not_generate() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let (code, _, stderr) = ws.run(&["why", "generated/README.md"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is not a file fleetc generates"),
        "{stderr}"
    );
    let (code, _, stderr) = ws.run(&["why", "generated/CODEOWNERS:9999"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("has"), "{stderr}");
}
