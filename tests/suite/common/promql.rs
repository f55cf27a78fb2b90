//! Every PromQL expression in a document, wherever fleetc writes one: the queries of an
//! AnalysisTemplate, the `expr` of each alert rule, and the targets of each dashboard panel.

use serde_json::Value;

/// `(where, expression)` for every query `doc` holds.
pub(crate) fn queries(doc: &Value) -> Vec<(String, String)> {
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
pub(crate) fn unparsable<'a>(docs: impl IntoIterator<Item = &'a Value>) -> Vec<String> {
    docs.into_iter()
        .flat_map(queries)
        .filter_map(|(place, query)| {
            promql_parser::parser::parse(&query)
                .err()
                .map(|error| format!("{place}: {query}: {error}"))
        })
        .collect()
}

/// The expressions of `docs` with a selector that does not name one namespace: a query that
/// would read the same service's requests in every environment.
pub(crate) fn unscoped<'a>(docs: impl IntoIterator<Item = &'a Value>) -> Vec<String> {
    docs.into_iter()
        .flat_map(queries)
        .filter(|(_, query)| {
            let Ok(expr) = promql_parser::parser::parse(query) else {
                return false;
            };
            let mut found = Vec::new();
            selectors(&expr, &mut found);
            found.is_empty()
                || found.iter().any(|selector| {
                    !selector.matchers.matchers.iter().any(|m| {
                        m.name == "namespace"
                            && m.op == promql_parser::label::MatchOp::Equal
                            && !m.value.is_empty()
                    })
                })
        })
        .map(|(place, query)| format!("{place}: {query}"))
        .collect()
}

fn selectors<'e>(
    expr: &'e promql_parser::parser::Expr,
    found: &mut Vec<&'e promql_parser::parser::VectorSelector>,
) {
    use promql_parser::parser::Expr;
    match expr {
        Expr::Aggregate(e) => {
            selectors(&e.expr, found);
            if let Some(param) = &e.param {
                selectors(param, found);
            }
        }
        Expr::Unary(e) => selectors(&e.expr, found),
        Expr::Binary(e) => {
            selectors(&e.lhs, found);
            selectors(&e.rhs, found);
        }
        Expr::Paren(e) => selectors(&e.expr, found),
        Expr::Subquery(e) => selectors(&e.expr, found),
        Expr::VectorSelector(vs) => found.push(vs),
        Expr::MatrixSelector(ms) => found.push(&ms.vs),
        Expr::Call(call) => call.args.args.iter().for_each(|a| selectors(a, found)),
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::Extension(_) => {}
    }
}

/// What Argo Rollouts would refuse or misread in the analysis wiring of every rendered
/// overlay: an argument the AnalysisTemplate declares that the Rollout does not pass, or a
/// `namespace` argument other than the namespace the Rollout runs in.
pub(crate) fn analysis_wiring(tree: &fleetc::Tree) -> Vec<String> {
    let mut renderer = fleetc::Renderer::new(tree);
    let mut problems = Vec::new();
    for overlay in fleetc::overlays(tree) {
        let documents = renderer.render(&overlay).expect("every overlay renders");
        let of_kind = |kind: &'static str| documents.iter().filter(move |d| d["kind"] == kind);
        for rollout in of_kind("Rollout") {
            let strategy = &rollout["spec"]["strategy"];
            let analysis = if strategy["canary"].is_object() {
                &strategy["canary"]["analysis"]
            } else {
                &strategy["blueGreen"]["prePromotionAnalysis"]
            };
            let passed: Vec<&Value> = array(&analysis["args"]).collect();
            let namespace = &rollout["metadata"]["namespace"];
            for reference in array(&analysis["templates"]) {
                let Some(template) = of_kind("AnalysisTemplate")
                    .find(|t| t["metadata"]["name"] == reference["templateName"])
                else {
                    problems.push(format!("{overlay}: no AnalysisTemplate {reference}"));
                    continue;
                };
                for declared in array(&template["spec"]["args"]) {
                    let given = passed.iter().find(|a| a["name"] == declared["name"]);
                    match given {
                        None => {
                            problems.push(format!("{overlay}: {} not passed", declared["name"]));
                        }
                        Some(arg) if arg["name"] == "namespace" && &arg["value"] != namespace => {
                            problems.push(format!(
                                "{overlay}: namespace {} in {namespace}",
                                arg["value"]
                            ));
                        }
                        Some(_) => {}
                    }
                }
            }
        }
    }
    problems
}
