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

fn specs() -> [(&'static str, &'static str); 4] {
    [
        (
            "enterprise.toml",
            include_str!("../../spec/enterprise.toml"),
        ),
        (
            "enterprise-100.toml",
            include_str!("../../spec/enterprise-100.toml"),
        ),
        (
            "minimal",
            include_str!("../../golden/minimal/enterprise.toml"),
        ),
        (
            "edge-cases",
            include_str!("../../golden/edge-cases/enterprise.toml"),
        ),
    ]
}

#[test]
fn every_query_fleetc_writes_parses() {
    for (name, text) in specs() {
        let docs = documents(name, text);
        let unparsable = common::promql::unparsable(&docs);
        assert!(unparsable.is_empty(), "{name}: {unparsable:#?}");
    }
}

#[test]
fn every_query_reads_one_environment() {
    for (name, text) in specs() {
        let docs = documents(name, text);
        let unscoped = common::promql::unscoped(&docs);
        assert!(unscoped.is_empty(), "{name}: {unscoped:#?}");
    }
}

#[test]
fn every_rollout_passes_its_analysis_its_own_namespace() {
    for (name, text) in specs() {
        let compiled =
            compile(&Source::new(name, text), Date::parse("2026-11-22").unwrap()).unwrap();
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
