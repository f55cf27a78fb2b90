//! Ten releases in flight among a hundred services change the files of those ten services,
//! and nothing else: not the environment's preview Ingress, not the root's record of files.

use std::collections::BTreeSet;

use fleetc::Date;
use fleetc::between;
use fleetc::{ReleaseAction, apply_release_action};
use fleetc::{Source, compile};

#[test]
fn releases_in_flight_touch_only_their_own_services() {
    let text = include_str!("../../spec/enterprise-100.toml");
    let with_releases = compile(&Source::new("enterprise-100.toml", text), today()).unwrap();
    assert_eq!(with_releases.model.services.len(), 100);

    let releasing: Vec<String> = with_releases
        .model
        .services
        .iter()
        .filter(|s| s.deployment("prod").is_some_and(|d| d.idle_run().is_some()))
        .map(|s| s.name.clone())
        .collect();
    assert_eq!(releasing.len(), 10);

    let mut settled = text.to_owned();
    for service in &releasing {
        let spec = compile(
            &Source::new("enterprise-100.toml", settled.as_str()),
            today(),
        )
        .unwrap()
        .spec;
        settled = apply_release_action(&spec, &settled, service, "prod", &ReleaseAction::Retire)
            .unwrap()
            .text;
    }
    let without = compile(&Source::new("enterprise-100.toml", settled), today()).unwrap();
    assert!(
        without
            .model
            .services
            .iter()
            .all(|s| s.deployments.iter().all(|d| d.idle_run().is_none()))
    );

    let changed: Vec<String> = between(&without.tree, &with_releases.tree)
        .into_iter()
        .map(|c| c.path)
        .collect();
    let mut touched_services = BTreeSet::new();
    for path in &changed {
        if let Some(rest) = path.strip_prefix("apps/") {
            let service = rest.split('/').next().unwrap();
            assert!(
                releasing.iter().any(|r| r == service),
                "{path} belongs to a service with no release"
            );
            touched_services.insert(service.to_owned());
        } else {
            panic!("{path} changed, but belongs to no releasing service");
        }
    }
    assert_eq!(
        touched_services.len(),
        10,
        "each release changes its own service"
    );
    for service in &releasing {
        assert!(
            changed.contains(&format!(
                "apps/{service}/overlays/prod/service-preview.yaml"
            )),
            "{service} has a preview Service"
        );
        assert!(
            !changed
                .iter()
                .any(|p| p.starts_with(&format!("apps/{service}/overlays/dev/"))),
            "a prod release leaves dev alone"
        );
    }
}

/// A secret reference edited, or secrets given to a service that had none, change that
/// service's files alone (its record of files among them, when a file appears).
#[test]
fn a_services_secrets_touch_only_its_own_files() {
    let text = include_str!("../../spec/enterprise.toml");
    let before = compile(&Source::new("enterprise.toml", text), today()).unwrap();
    for (what, service, from, to) in [
        (
            "a reference in one environment",
            "users",
            "DB_PASSWORD = \"prod/users/db#password\"",
            "DB_PASSWORD = \"prod/users/db-v2#password\"",
        ),
        (
            "secrets for a service that had none",
            "cart",
            "route = \"/cart\"",
            "route = \"/cart\"\nsecrets = { REDIS_PASSWORD = \"cart/redis#password\" }",
        ),
    ] {
        let edited = text.replace(from, to);
        assert_ne!(edited, text, "{what}: the edit applies");
        let after = compile(&Source::new("enterprise.toml", edited), today()).unwrap();
        let changed: Vec<String> = between(&before.tree, &after.tree)
            .into_iter()
            .map(|c| c.path)
            .collect();
        assert!(!changed.is_empty(), "{what}");
        for path in &changed {
            assert!(
                path.starts_with(&format!("apps/{service}/overlays/"))
                    || *path == format!("apps/{service}/.fleetc-manifest"),
                "{what}: {path} changed, but belongs to another service or the estate"
            );
        }
    }
}

/// A service's security settings change that service's files alone; an exception changes
/// the environments' shared files alone, and no service's.
#[test]
fn a_services_security_touches_only_its_own_files_and_an_exception_only_the_environments() {
    let text = include_str!("../../spec/enterprise.toml");
    let before = compile(&Source::new("enterprise.toml", text), today()).unwrap();
    let changed = |edited: &str| -> Vec<String> {
        let after = compile(&Source::new("enterprise.toml", edited), today()).unwrap();
        between(&before.tree, &after.tree)
            .into_iter()
            .map(|c| c.path)
            .collect()
    };
    let security = text.replace(
        "route = \"/cart\"",
        "route = \"/cart\"\nsecurity = { user = 0, capabilities = [\"CHOWN\"] }",
    );
    let exception = security.replace(
        "[environments.dev]",
        "[[security_exceptions]]\nservice = \"cart\"\nlevel = \"baseline\"\nreason = \"r\"\n\n[environments.dev]",
    );
    let granted = compile(&Source::new("enterprise.toml", exception.as_str()), today()).unwrap();
    let service_files: Vec<String> = between(&before.tree, &granted.tree)
        .into_iter()
        .map(|c| c.path)
        .filter(|path| path.starts_with("apps/"))
        .collect();
    assert!(!service_files.is_empty());
    assert!(
        service_files
            .iter()
            .all(|path| path.starts_with("apps/cart/")),
        "{service_files:?}"
    );
    let exception_only = changed(&text.replace(
        "[environments.dev]",
        "[[security_exceptions]]\nservice = \"cart\"\nlevel = \"baseline\"\nreason = \"r\"\n\n[environments.dev]",
    ));
    assert!(!exception_only.is_empty());
    for path in &exception_only {
        assert!(
            path.starts_with("envs/")
                && (path.ends_with("/policies.yaml") || path.ends_with("/namespace.yaml")),
            "{path} changed for an exception"
        );
    }
}

/// A service's scheduling changes that service's files alone; an environment's zones change
/// the overlays of that environment alone (its services of more than one pod spread there).
#[test]
fn a_services_scheduling_touches_only_its_files_and_zones_only_their_environments() {
    let text = include_str!("../../spec/enterprise.toml");
    let before = compile(&Source::new("enterprise.toml", text), today()).unwrap();
    let changed = |edited: &str| -> Vec<String> {
        assert_ne!(edited, text, "the edit applies");
        let after = compile(&Source::new("enterprise.toml", edited), today()).unwrap();
        between(&before.tree, &after.tree)
            .into_iter()
            .map(|c| c.path)
            .collect()
    };
    let scheduling = changed(&text.replace(
        "route = \"/cart\"",
        "route = \"/cart\"\nscheduling = { node_selector = { \"node.kubernetes.io/pool\" = \"web\" }, priority_class = \"high\" }\ndisruption = { max_unavailable = \"25%\" }",
    ));
    assert!(!scheduling.is_empty());
    for path in &scheduling {
        assert!(
            path.starts_with("apps/cart/"),
            "{path} changed for cart's scheduling"
        );
    }
    let zones = changed(&text.replacen(
        "[environments.prod]\n",
        "[environments.prod]\nzones = [\"eu-west-1a\", \"eu-west-1b\"]\n",
        1,
    ));
    assert!(!zones.is_empty());
    for path in &zones {
        assert!(
            path.starts_with("apps/") && path.contains("/overlays/prod/"),
            "{path} changed for prod's zones"
        );
    }
}

/// A fixed day, so deadlines in test specs are judged the same way on every run.
fn today() -> Date {
    Date::parse("2026-11-22").unwrap()
}

/// A service's metrics endpoint and its objectives reach its metrics Service, ServiceMonitor,
/// alert rules, dashboards and analysis — all in the service's own folder, nowhere else.
#[test]
fn a_services_metrics_or_objectives_change_only_its_own_files() {
    let text = include_str!("../../spec/enterprise.toml");
    let before = compile(&Source::new("enterprise.toml", text), today()).unwrap();
    let per_env =
        |file: &str| ["dev", "staging", "prod"].map(|env| format!("overlays/{env}/{file}"));
    let edits = [
        (
            "users",
            "env = { SESSION_TTL = \"3600\" }",
            "env = { SESSION_TTL = \"3600\" }\nmetrics = { port = 9100, path = \"/stats\" }",
            vec![
                "base/service-metrics.yaml".to_owned(),
                "base/servicemonitor.yaml".to_owned(),
                "colours/blue/deployment.yaml".to_owned(),
            ],
        ),
        (
            "search",
            "analysis = { success_rate = 0.995, p99_latency_ms = 300 }",
            "analysis = { success_rate = 0.98, p99_latency_ms = 450 }",
            [
                vec!["rollout/analysis.yaml".to_owned()],
                per_env("prometheusrule.yaml").to_vec(),
                per_env("dashboard.yaml").to_vec(),
            ]
            .concat(),
        ),
        (
            "notifications",
            "autoscaling = { enabled = false }",
            "autoscaling = { enabled = false }\nmetrics = { enabled = false }",
            [
                vec![
                    "base/service-metrics.yaml".to_owned(),
                    "base/servicemonitor.yaml".to_owned(),
                    "base/networkpolicy.yaml".to_owned(),
                    "colours/blue/deployment.yaml".to_owned(),
                ],
                per_env("prometheusrule.yaml").to_vec(),
                per_env("dashboard.yaml").to_vec(),
            ]
            .concat(),
        ),
    ];
    for (service, from, to, expected) in edits {
        assert!(text.contains(from));
        let after = compile(
            &Source::new("enterprise.toml", text.replacen(from, to, 1)),
            today(),
        )
        .unwrap();
        let changed: Vec<String> = between(&before.tree, &after.tree)
            .into_iter()
            .map(|c| c.path)
            .collect();
        assert!(!changed.is_empty(), "editing {service} changes something");
        // The service's record of its files follows files that come and go; the root's does not.
        for path in &changed {
            assert!(
                path.starts_with(&format!("apps/{service}/")),
                "{path} changed when only {service}'s monitoring did"
            );
        }
        for file in expected {
            let path = format!("apps/{service}/{file}");
            assert!(changed.contains(&path), "{path} follows the edit");
        }
    }
}
