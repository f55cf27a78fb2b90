//! Every PromQL expression in a document, wherever fleetc writes one: the queries of an
//! AnalysisTemplate, the `expr` of each alert rule, and the targets of each dashboard panel.

use serde_json::Value;

/// `(where, expression)` for every query `doc` holds.
pub fn queries(doc: &Value) -> Vec<(String, String)> {
    let name = doc
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("?");
    let mut found = Vec::new();
    match doc["kind"].as_str() {
        Some("AnalysisTemplate") => {
            for metric in array(&doc["spec"]["metrics"]) {
                let query = &metric["provider"]["prometheus"]["query"];
                found.push((format!("{name} {}", metric["name"]), text(query)));
            }
        }
        Some("PrometheusRule") => {
            for group in array(&doc["spec"]["groups"]) {
                for rule in array(&group["rules"]) {
                    found.push((format!("{name} {}", rule["alert"]), text(&rule["expr"])));
                }
            }
        }
        Some("ConfigMap") => {
            for (file, content) in doc["data"].as_object().into_iter().flatten() {
                let Ok(dashboard) = serde_json::from_str::<Value>(&text(content)) else {
                    continue;
                };
                for panel in array(&dashboard["panels"]) {
                    for target in array(&panel["targets"]) {
                        found.push((
                            format!("{name} {file} {}", panel["title"]),
                            text(&target["expr"]),
                        ));
                    }
                }
            }
        }
        _ => {}
    }
    found
}

fn array(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

fn text(value: &Value) -> String {
    value.as_str().expect("a query is a string").to_owned()
}

/// The expressions of `docs` that Prometheus would refuse, with why.
pub fn unparsable<'a>(docs: impl IntoIterator<Item = &'a Value>) -> Vec<String> {
    docs.into_iter()
        .flat_map(queries)
        .filter_map(|(place, query)| {
            promql_parser::parser::parse(&query)
                .err()
                .map(|error| format!("{place}: {query}: {error}"))
        })
        .collect()
}
