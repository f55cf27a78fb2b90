//! Every PromQL expression fleetc writes — the canary analysis, the alert rules, the panels
//! of every dashboard — parses as Prometheus parses it, in every bundled spec and golden case
//! (and in random estates: `tests/generated_invariants.rs`), so a typo cannot ship.

use crate::common;

use fleetc::Date;
use fleetc::{Source, compile};
use serde_json::Value;

fn documents(name: &str, text: &str) -> Vec<Value> {
    let compiled = compile(&Source::new(name, text), Date::parse("2026-11-22").unwrap()).unwrap();
    compiled
        .tree
        .iter()
        .filter(|(path, _)| {
            std::path::Path::new(path)
                .extension()
                .is_some_and(|e| e == "yaml")
        })
        .flat_map(|(_, bytes)| {
            let text = std::str::from_utf8(bytes).unwrap();
            text.split("\n---\n")
                .map(|doc| serde_saphyr::from_str::<Value>(doc).unwrap())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The bundled specs and every golden case, by the path each is read from (a golden case's
/// files beside it are read from its folder).
fn specs() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![
        "spec/enterprise.toml".to_owned(),
        "spec/enterprise-100.toml".to_owned(),
    ];
    let mut cases: Vec<String> = std::fs::read_dir(root.join("golden"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|case| {
            root.join("golden")
                .join(case)
                .join("enterprise.toml")
                .is_file()
        })
        .map(|case| format!("golden/{case}/enterprise.toml"))
        .collect();
    cases.sort();
    paths.extend(cases);
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(root.join(&path)).unwrap();
            (path, text)
        })
        .collect()
}

#[test]
fn every_query_fleetc_writes_parses() {
    for (name, text) in specs() {
        let docs = documents(&name, &text);
        let unparsable = common::promql::unparsable(&docs);
        assert!(unparsable.is_empty(), "{name}: {unparsable:#?}");
    }
}

#[test]
fn every_query_reads_one_environment() {
    for (name, text) in specs() {
        let docs = documents(&name, &text);
        let unscoped = common::promql::unscoped(&docs);
        assert!(unscoped.is_empty(), "{name}: {unscoped:#?}");
    }
}

#[test]
fn every_rollout_passes_its_analysis_its_own_namespace() {
    for (name, text) in specs() {
        let compiled = compile(
            &Source::new(name.as_str(), text),
            Date::parse("2026-11-22").unwrap(),
        )
        .unwrap();
        let problems = common::promql::analysis_wiring(&compiled.tree);
        assert!(problems.is_empty(), "{name}: {problems:#?}");
    }
}

#[test]
fn the_namespace_checker_finds_a_query_of_every_environment() {
    let rule = serde_json::json!({
        "kind": "PrometheusRule",
        "metadata": { "name": "x" },
        "spec": { "groups": [{ "rules": [
            { "alert": "A", "expr": "sum(rate(http_requests_total{service=\"a\"}[5m])) > 1" },
            { "alert": "B", "expr": "sum(rate(x{namespace=\"n\"}[5m])) / sum(rate(x{service=\"a\"}[5m]))" },
            { "alert": "C", "expr": "absent(up{namespace=\"n\"} == 1)" },
        ] }] },
    });
    assert_eq!(common::promql::unscoped([&rule]).len(), 2);
}

#[test]
fn analysis_alerts_and_dashboards_each_hold_queries() {
    let docs = documents(
        "enterprise.toml",
        include_str!("../../spec/enterprise.toml"),
    );
    let count = |kind: &str| {
        docs.iter()
            .filter(|d| d["kind"] == kind)
            .map(|d| common::promql::queries(d).len())
            .sum::<usize>()
    };
    // search and payments: success rate and p99 latency each.
    assert_eq!(count("AnalysisTemplate"), 4);
    // 10 services in 3 environments, three alerts each.
    assert_eq!(count("PrometheusRule"), 90);
    // 30 service dashboards and 3 overviews, three panels each.
    assert_eq!(count("ConfigMap"), 99);
}

#[test]
fn the_checker_refuses_a_broken_query() {
    let rule = serde_json::json!({
        "kind": "PrometheusRule",
        "metadata": { "name": "x" },
        "spec": { "groups": [{ "rules": [{ "alert": "A", "expr": "sum(rate(x[5m])) >" }] }] },
    });
    assert_eq!(common::promql::unparsable([&rule]).len(), 1);
}

#[test]
fn a_grpc_services_objectives_are_read_from_its_grpc_metrics() {
    let path = "golden/protocols/enterprise.toml";
    let text = std::fs::read_to_string(path).unwrap();
    let compiled = compile(&Source::new(path, text), Date::parse("2026-11-22").unwrap()).unwrap();
    let file = |path: &str| {
        let bytes = compiled.tree.get(path).unwrap_or_else(|| panic!("{path}"));
        String::from_utf8(bytes.to_vec()).unwrap()
    };
    // `cart` serves gRPC alone: its alerts and dashboard read the gRPC interceptors' metrics.
    for written in [
        file("apps/cart/overlays/dev/prometheusrule.yaml"),
        file("apps/cart/overlays/dev/dashboard.yaml"),
    ] {
        assert!(written.contains("grpc_server_handled_total"), "{written}");
        assert!(
            written.contains("grpc_server_handling_seconds_bucket"),
            "{written}"
        );
        assert!(!written.contains("http_requests_total"), "{written}");
        assert!(!written.contains("5xx"), "{written}");
    }
    // `api` serves HTTP beside gRPC: HTTP's metrics count its requests.
    let api = file("apps/api/overlays/dev/prometheusrule.yaml");
    assert!(
        api.contains("http_requests_total") && !api.contains("grpc_server"),
        "{api}"
    );
    // The overview reads each service in its own metrics.
    let overview = file("envs/dev/dashboard.yaml");
    assert!(
        overview.contains("http_requests_total") && overview.contains("grpc_server_handled_total"),
        "{overview}"
    );
}
