//! Where pods run, as a user writes it: node labels, tolerations, node affinity and priority
//! reach every kind's pods from `[defaults]`, the service and its overrides; a workload of
//! more than one pod spreads across its environment's zones; a budget keeps what keeps
//! running, and one that would hold every drain is refused; `plan` names each change as
//! scheduling and `why` names the key of each line.

use crate::common;

use common::Workspace;
use serde_json::{Value, json};

fn workspace() -> Workspace {
    let ws = Workspace::with_spec("golden/workloads/enterprise.toml");
    ws.edit_spec("#:schema ../../schemas/enterprise.schema.json\n", "");
    assert_eq!(ws.run(&["build"]).0, 0);
    ws
}

/// The pod spec of each workload `render` prints for `service` in `env`, by workload name.
fn pod_specs(ws: &Workspace, service: &str, env: &str) -> Vec<(String, Value)> {
    let (code, stdout, stderr) = ws.run(&["render", service, env]);
    assert_eq!(code, 0, "{stderr}");
    fleetc::parse_documents(&stdout)
        .unwrap()
        .into_iter()
        .filter_map(|d| {
            let template = d
                .pointer("/spec/jobTemplate/spec/template")
                .or_else(|| d.pointer("/spec/template"))?;
            let name = d["metadata"]["name"].as_str()?.to_owned();
            Some((name, template["spec"].clone()))
        })
        .collect()
}

fn pod_spec(ws: &Workspace, service: &str, env: &str) -> Value {
    pod_specs(ws, service, env).remove(0).1
}

#[test]
fn every_kind_runs_where_its_scheduling_says() {
    let ws = workspace();
    let linux = json!({ "kubernetes.io/os": "linux" });
    for service in ["orders", "postgres", "nightly-report", "migrate", "cache"] {
        assert_eq!(
            pod_spec(&ws, service, "prod")["nodeSelector"],
            linux,
            "{service}"
        );
    }
    let fulfilment = pod_spec(&ws, "fulfilment", "prod");
    assert_eq!(
        fulfilment["nodeSelector"],
        json!({ "kubernetes.io/os": "linux", "node.kubernetes.io/pool": "workers" })
    );
    assert_eq!(
        fulfilment["tolerations"],
        json!([{ "key": "dedicated", "operator": "Equal", "value": "queue-workers", "effect": "NoSchedule" }])
    );
    let nightly = pod_spec(&ws, "nightly-report", "prod");
    assert_eq!(
        nightly["tolerations"],
        json!([{ "key": "spot", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 120 }])
    );
    assert_eq!(
        nightly["affinity"]["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"],
        json!([{ "weight": 100, "preference": { "matchExpressions": [
            { "key": "node.kubernetes.io/lifecycle", "operator": "In", "values": ["spot"] },
        ] } }])
    );
    let postgres = |env| pod_spec(&ws, "postgres", env);
    assert_eq!(
        postgres("dev")["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"],
        json!({ "nodeSelectorTerms": [{ "matchExpressions": [{
            "key": "node.kubernetes.io/instance-type", "operator": "In", "values": ["r6i.large", "r6i.xlarge"],
        }] }] })
    );
    // The override names prod's class; dev keeps the cluster's default.
    assert_eq!(postgres("prod")["priorityClassName"], "data-critical");
    assert_eq!(postgres("dev")["priorityClassName"], Value::Null);
    assert_eq!(
        pod_spec(&ws, "orders", "prod")["priorityClassName"],
        "business-critical"
    );
    let migrate = pod_spec(&ws, "migrate", "prod");
    for field in ["tolerations", "affinity", "priorityClassName"] {
        assert_eq!(migrate[field], Value::Null, "{field}");
    }
}

#[test]
fn workloads_of_more_than_one_pod_spread_across_their_zones() {
    let ws = workspace();
    let spread =
        |service: &str, env: &str| pod_spec(&ws, service, env)["topologySpreadConstraints"].clone();
    let constraints = |selector: Value, zones: &str| {
        json!([
            { "maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": zones, "labelSelector": { "matchLabels": selector } },
            { "maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": { "matchLabels": selector } },
        ])
    };
    assert_eq!(
        spread("postgres", "prod"),
        constraints(
            json!({ "app.kubernetes.io/name": "postgres" }),
            "DoNotSchedule"
        )
    );
    assert_eq!(
        spread("fulfilment", "prod"),
        constraints(
            json!({ "app.kubernetes.io/name": "fulfilment" }),
            "ScheduleAnyway"
        )
    );
    // One replica its autoscaler may grow spreads; one pod for good has nothing to spread;
    // the cache turns spreading off; jobs run one pod.
    assert_eq!(
        spread("fulfilment", "dev"),
        constraints(
            json!({ "app.kubernetes.io/name": "fulfilment" }),
            "ScheduleAnyway"
        )
    );
    assert_eq!(spread("postgres", "dev"), Value::Null);
    assert_eq!(spread("cache", "prod"), Value::Null);
    assert_eq!(spread("nightly-report", "prod"), Value::Null);
    assert_eq!(spread("migrate", "prod"), Value::Null);
    // Mid-release in dev, each colour spreads its own pods.
    let colours = pod_specs(&ws, "orders", "dev");
    assert_eq!(colours.len(), 2);
    for (name, pod) in colours {
        let colour = name.rsplit('-').next().unwrap().to_owned();
        assert_eq!(
            pod["topologySpreadConstraints"],
            constraints(
                json!({ "app.kubernetes.io/name": "orders", "version": colour }),
                "ScheduleAnyway"
            ),
            "{name}"
        );
    }
    // Without zones, nothing spreads, and a `spread` that asks for it is told so.
    ws.edit_spec(
        "zones = [\"eu-west-1a\", \"eu-west-1b\", \"eu-west-1c\"]\n",
        "",
    );
    assert_eq!(ws.run(&["build"]).0, 0);
    assert_eq!(spread("postgres", "prod"), Value::Null);
    assert_ne!(
        spread("fulfilment", "dev"),
        Value::Null,
        "dev still declares zones"
    );
    ws.edit_spec("zones = [\"eu-west-1a\", \"eu-west-1b\"]\n", "");
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("`spread` has no zones to spread across"),
        "{stderr}"
    );
    assert!(
        stderr.contains("scheduling.spread = \"strict\""),
        "{stderr}"
    );
    assert_eq!(spread("fulfilment", "dev"), Value::Null);
}

#[test]
fn a_budget_keeps_what_keeps_running_and_no_job() {
    let ws = workspace();
    let budget = |service: &str| {
        let path = ws.path(&format!("generated/apps/{service}/base/pdb.yaml"));
        std::fs::read_to_string(path)
            .ok()
            .map(|text| fleetc::parse_documents(&text).unwrap()[0]["spec"].clone())
    };
    let selecting = |service: &str, field: &str, value: Value| {
        let mut spec =
            json!({ "selector": { "matchLabels": { "app.kubernetes.io/name": service } } });
        spec[field] = value;
        Some(spec)
    };
    assert_eq!(
        budget("orders"),
        selecting("orders", "minAvailable", json!(1))
    );
    assert_eq!(
        budget("fulfilment"),
        selecting("fulfilment", "maxUnavailable", json!("50%"))
    );
    assert_eq!(
        budget("postgres"),
        selecting("postgres", "maxUnavailable", json!(1))
    );
    assert_eq!(budget("nightly-report"), None);
    assert_eq!(budget("migrate"), None);
    // A worker that asks for no budget gets none.
    ws.edit_spec("disruption = { max_unavailable = \"50%\" }\n", "");
    assert_eq!(ws.run(&["build"]).0, 0);
    assert_eq!(budget("fulfilment"), None);
}

#[test]
fn a_budget_that_would_hold_every_drain_is_refused_at_its_key() {
    let ws = workspace();
    let before = ws.generated();
    ws.edit_spec(
        "disruption = { min_available = 1 }",
        "disruption = { min_available = 2 }",
    );
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("`min_available` of `orders` (2) keeps every pod in `dev` (2 replicas), `prod` (2 replicas)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("disruption = { min_available = 2 }"),
        "{stderr}"
    );
    assert_eq!(ws.generated(), before, "nothing written");
}

#[test]
fn a_scheduling_change_is_planned_as_scheduling_for_its_service_alone() {
    let ws = workspace();
    ws.edit_spec(
        "scheduling.spread = \"strict\"",
        "scheduling.spread = \"preferred\"",
    );
    ws.edit_spec(
        "scheduling.priority_class = \"business-critical\"",
        "scheduling.priority_class = \"best-effort\"",
    );
    let (code, stdout, stderr) = ws.run(&["plan", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let mut planned: Vec<(String, String, Value)> = Vec::new();
    for env in report["environments"].as_array().unwrap() {
        for app in env["applications"].as_array().unwrap() {
            for change in app["changes"].as_array().unwrap() {
                planned.push((
                    env["name"].as_str().unwrap().to_owned(),
                    app["service"].as_str().unwrap_or_default().to_owned(),
                    change.clone(),
                ));
            }
        }
    }
    planned.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let scheduling = json!({ "kind": "scheduling" });
    // postgres runs one pod in dev: strict or preferred, it spreads nothing there.
    let expected: Vec<(String, String, Value)> =
        [("dev", "orders"), ("prod", "orders"), ("prod", "postgres")]
            .into_iter()
            .map(|(env, svc)| (env.to_owned(), svc.to_owned(), scheduling.clone()))
            .collect();
    assert_eq!(planned, expected, "{stdout}");
}

#[test]
fn a_budget_change_is_planned_as_a_disruption_budget_everywhere_the_service_runs() {
    let ws = workspace();
    ws.edit_spec(
        "disruption = { min_available = 1 }",
        "disruption = { max_unavailable = 1 }",
    );
    let (code, stdout, stderr) = ws.run(&["plan", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let mut planned: Vec<(String, String, Value)> = Vec::new();
    for env in report["environments"].as_array().unwrap() {
        for app in env["applications"].as_array().unwrap() {
            for change in app["changes"].as_array().unwrap() {
                let env = env["name"].as_str().unwrap().to_owned();
                let svc = app["service"].as_str().unwrap_or_default().to_owned();
                planned.push((env, svc, change.clone()));
            }
        }
    }
    planned.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let budget = json!({ "kind": "disruption-budget" });
    let expected: Vec<(String, String, Value)> = ["dev", "prod"]
        .into_iter()
        .map(|env| (env.to_owned(), "orders".to_owned(), budget.clone()))
        .collect();
    assert_eq!(planned, expected, "{stdout}");
}

#[test]
fn why_names_the_key_of_each_scheduling_line() {
    let ws = workspace();
    let why = |path: &str, needle: &str| {
        let text = std::fs::read_to_string(ws.path(path)).unwrap();
        let line = text.lines().position(|l| l.contains(needle)).expect(needle) + 1;
        let (code, stdout, stderr) = ws.run(&["why", &format!("{path}:{line}")]);
        assert_eq!(code, 0, "{stderr}");
        format!("{stdout}{stderr}")
    };
    let postgres = "generated/apps/postgres/overlays/prod/statefulset-patch.yaml";
    for (needle, key) in [
        (
            "kubernetes.io/os",
            "`defaults.scheduling.node_selector.kubernetes.io/os`",
        ),
        (
            "r6i.large",
            "`services.postgres.scheduling.node_affinity.required`",
        ),
        (
            "priorityClassName",
            "`services.postgres.overrides.prod.scheduling.priority_class`",
        ),
        ("DoNotSchedule", "`services.postgres.scheduling.spread`"),
    ] {
        let answer = why(postgres, needle);
        assert!(answer.contains(key), "{needle}: {answer}");
    }
    let fulfilment = "generated/apps/fulfilment/overlays/prod/deployment-patch.yaml";
    assert!(
        why(fulfilment, "queue-workers").contains("`services.fulfilment.scheduling.tolerations`")
    );
    assert!(why(fulfilment, "kubernetes.io/hostname").contains("`environments.prod.zones`"));
    assert!(
        why("generated/apps/fulfilment/base/pdb.yaml", "maxUnavailable")
            .contains("`services.fulfilment.disruption.max_unavailable`")
    );
}
