//! One environment in several clusters (`golden/regions`: prod in a canary cluster, then in
//! eu and us): the ApplicationSet expands, as Argo CD's list generator does, into one
//! Application per service × cluster, each on its cluster's overlay and server, rolled out
//! wave by wave; and a change to one cluster changes only that cluster's files.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use common::applications::{applications, instantiate};
use common::changed_paths as changed;
use fleetc::Date;
use fleetc::Tree;
use fleetc::{Source, compile};
use serde_json::Value;

const SPEC: &str = "golden/regions/enterprise.toml";

fn spec_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SPEC)).unwrap()
}

fn tree_of(text: &str) -> Tree {
    let today = Date::parse("2026-11-22").unwrap();
    match compile(&Source::new(SPEC, text.to_owned()), today) {
        Ok(compiled) => compiled.tree,
        Err(problems) => panic!("{problems:#?}"),
    }
}

fn document(tree: &Tree, path: &str) -> Value {
    let bytes = tree
        .get(path)
        .unwrap_or_else(|| panic!("{path} is in the tree"));
    serde_saphyr::from_str(std::str::from_utf8(bytes).unwrap()).unwrap()
}

#[test]
fn the_application_set_expands_to_one_application_per_service_and_cluster() {
    let tree = tree_of(&spec_text());
    let set = document(&tree, "argocd/applicationsets/prod.yaml");
    let apps = applications(&set);
    let names: Vec<&str> = apps.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "orders-prod-eu-canary",
            "orders-prod-eu",
            "orders-prod-us",
            "users-prod-eu-canary",
            "users-prod-eu",
            "users-prod-us"
        ]
    );
    let template = &set["spec"]["template"];
    let elements = set["spec"]["generators"][0]["list"]["elements"]
        .as_array()
        .unwrap();
    for (app, element) in apps.iter().zip(elements) {
        let cluster = element["cluster"].as_str().unwrap();
        let overlay = app.source_path.strip_prefix("generated/").unwrap();
        assert_eq!(
            overlay,
            format!("apps/{}/overlays/prod/{cluster}", app.service)
        );
        assert!(tree.get(&format!("{overlay}/kustomization.yaml")).is_some());
        for refreshed in &app.refresh_paths {
            let folder = refreshed.as_deref().expect("inside the repository");
            let folder = folder.strip_prefix("generated/").unwrap();
            assert!(
                tree.paths().any(|p| p.starts_with(&format!("{folder}/"))),
                "{}: {folder} holds files",
                app.name
            );
        }
        let server = instantiate(
            template["spec"]["destination"]["server"].as_str().unwrap(),
            element,
        );
        let platform = document(&tree, &format!("argocd/environments/prod/{cluster}.yaml"));
        assert_eq!(server, platform["spec"]["destination"]["server"]);
    }
    let project = document(&tree, "argocd/projects/prod.yaml");
    assert_eq!(
        project["spec"]["destinations"].as_array().unwrap().len(),
        3,
        "the project lets its Applications reach every cluster"
    );
}

#[test]
fn clusters_roll_out_wave_by_wave_canary_first() {
    let tree = tree_of(&spec_text());
    let set = document(&tree, "argocd/applicationsets/prod.yaml");
    let strategy = &set["spec"]["strategy"];
    assert_eq!(strategy["type"], "RollingSync");
    let steps: Vec<Vec<&str>> = strategy["rollingSync"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| {
            let expression = &step["matchExpressions"][0];
            assert_eq!(expression["key"], "fleetc.io/wave");
            assert_eq!(expression["operator"], "In");
            expression["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(steps, [["0"], ["1"]]);
    let label = set["spec"]["template"]["metadata"]["labels"]["fleetc.io/wave"]
        .as_str()
        .unwrap();
    let elements = set["spec"]["generators"][0]["list"]["elements"]
        .as_array()
        .unwrap();
    for element in elements {
        let wave = instantiate(label, element);
        let expected = if element["cluster"] == "eu-canary" {
            "0"
        } else {
            "1"
        };
        assert_eq!(wave, expected, "{element}");
    }
    let staging = document(&tree, "argocd/applicationsets/staging.yaml");
    assert!(
        staging["spec"].get("strategy").is_none(),
        "an environment of one cluster syncs as it always has"
    );
}

/// RollingSync turns off the Applications' automated sync and syncs them itself: in an
/// environment a person syncs, no step may sync on its own.
#[test]
fn a_manual_environment_s_waves_wait_for_a_person_and_an_auto_one_s_roll_on() {
    let max_updates = |text: &str| -> Vec<Option<i64>> {
        let set = document(&tree_of(text), "argocd/applicationsets/prod.yaml");
        set["spec"]["strategy"]["rollingSync"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|step| step.get("maxUpdate").map(|m| m.as_i64().unwrap()))
            .collect()
    };
    let manual = spec_text();
    assert!(manual.contains("sync = \"manual\""));
    assert_eq!(max_updates(&manual), [Some(0), Some(0)]);
    let auto = manual.replacen("sync = \"manual\"", "sync = \"auto\"", 1);
    assert_eq!(max_updates(&auto), [None, None]);
}

#[test]
fn a_service_override_in_one_cluster_changes_only_that_clusters_overlay() {
    let text = spec_text();
    let before = tree_of(&text);
    let after = tree_of(&text.replace(
        "[services.users.overrides.prod.clusters.us]\nreplicas = 5",
        "[services.users.overrides.prod.clusters.us]\nreplicas = 7",
    ));
    let changed = changed(&before, &after);
    assert!(!changed.is_empty());
    for path in &changed {
        assert!(
            path.starts_with("apps/users/overlays/prod/us/"),
            "{path} changed"
        );
    }
}

#[test]
fn a_clusters_own_settings_change_only_that_clusters_files() {
    let text = spec_text();
    let before = tree_of(&text);
    let after = tree_of(&text.replace(
        "overrides = { env = { AWS_REGION = \"us-east-1\" } }",
        "overrides = { env = { AWS_REGION = \"us-east-2\" } }",
    ));
    let changed = changed(&before, &after);
    assert_eq!(
        changed
            .iter()
            .map(|p| p.split('/').take(5).collect::<Vec<_>>().join("/"))
            .collect::<BTreeSet<_>>(),
        BTreeSet::from([
            "apps/orders/overlays/prod/us".to_owned(),
            "apps/users/overlays/prod/us".to_owned()
        ])
    );
    let pinned = tree_of(&text.replace("ami-0us2026112401", "ami-0us2026120101"));
    assert_eq!(
        changed_paths(&before, &pinned),
        ["terraform/prod/us/main.tf"]
    );
}

fn changed_paths(before: &Tree, after: &Tree) -> Vec<String> {
    changed(before, after).into_iter().collect()
}

#[test]
fn render_and_why_name_a_cluster_as_env_slash_cluster() {
    let workspace = common::Workspace::with_spec(SPEC);
    let (code, out, err) = workspace.run(&["render", "users", "prod/us"]);
    assert_eq!(code, 0, "{err}");
    let tree = tree_of(&spec_text());
    let rendered = fleetc::render(&tree, "apps/users/overlays/prod/us").unwrap();
    assert_eq!(fleetc::parse_documents(&out).unwrap(), rendered);
    assert!(out.contains("replicas: 5"));

    let (code, _, err) = workspace.run(&["render", "users", "prod"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("it runs in staging, prod/eu-canary, prod/eu, prod/us"),
        "{err}"
    );

    assert_eq!(workspace.run(&["build"]).0, 0);
    let patch = "generated/apps/users/overlays/prod/eu-canary/deployment-blue-patch.yaml";
    let replicas = 2 + std::fs::read_to_string(workspace.path(patch))
        .unwrap()
        .lines()
        .position(|l| l.contains("path: /spec/replicas"))
        .unwrap();
    let (code, out, err) = workspace.run(&["why", &format!("{patch}:{replicas}")]);
    assert_eq!(code, 0, "{err}");
    let said = format!("{out}{err}");
    assert!(
        said.contains("`environments.prod.clusters.eu-canary.overrides.replicas`"),
        "{said}"
    );
    let set = std::fs::read_to_string(workspace.path("generated/argocd/applicationsets/prod.yaml"))
        .unwrap();
    let held = 1 + set.lines().position(|l| l.contains("maxUpdate")).unwrap();
    let (_, out, err) = workspace.run(&[
        "why",
        &format!("generated/argocd/applicationsets/prod.yaml:{held}"),
    ]);
    let said = format!("{out}{err}");
    assert!(said.contains("`environments.prod.sync`"), "{said}");
    let (_, out, err) = workspace.run(&["why", "generated/terraform/prod/us/main.tf:8"]);
    let said = format!("{out}{err}");
    assert!(
        said.contains("`environments.prod.clusters.us.node_image`"),
        "{said}"
    );
}

#[test]
fn plan_names_the_application_of_the_cluster_that_changes() {
    let workspace = common::Workspace::with_spec(SPEC);
    assert_eq!(workspace.run(&["build"]).0, 0);
    workspace.edit_spec(
        "[services.users.overrides.prod.clusters.us]\nreplicas = 5",
        "[services.users.overrides.prod.clusters.us]\nreplicas = 7",
    );
    let (code, out, err) = workspace.run(&["plan", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let text = report.to_string();
    assert!(text.contains("\"cluster\":\"us\""), "{text}");
    let (_, out, _) = workspace.run(&["plan"]);
    assert!(out.contains("users-prod-us  replicas"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("users") && l.split_whitespace().nth(1) == Some("prod/us")),
        "the files are counted for the cluster: {out}"
    );
    assert!(!out.contains("users-prod-eu"), "{out}");
}

#[test]
fn a_release_state_of_one_cluster_changes_only_that_clusters_files() {
    let text = spec_text();
    let before = tree_of(&text);
    let canary = "[services.orders.deploy.prod.clusters.eu-canary]";
    let (head, tail) = text.split_once(canary).unwrap();
    let rolled_back = format!(
        "{head}{canary}{}",
        tail.replace(
            "live = \"green\"\nprevious = \"blue\"",
            "live = \"blue\"\nprevious = \"green\""
        )
    );
    let after = tree_of(&rolled_back);
    let changed = changed_paths(&before, &after);
    assert!(!changed.is_empty());
    for path in &changed {
        assert!(
            path.starts_with("apps/orders/overlays/prod/eu-canary/"),
            "{path} changed"
        );
    }
    let eu = fleetc::render(&before, "apps/orders/overlays/prod/eu").unwrap();
    assert!(
        !serde_json::to_string(&eu).unwrap().contains("4.1.0"),
        "wave 1 keeps the environment's version while the canary runs the new one"
    );
}

#[test]
fn an_edit_of_the_environment_waits_while_a_cluster_runs_its_own_release() {
    let workspace = common::Workspace::with_spec(SPEC);
    let before = std::fs::read_to_string(workspace.path("spec/enterprise.toml")).unwrap();
    for args in [
        &["promote", "orders", "--env", "prod"][..],
        &["retire", "orders", "--env", "prod"][..],
    ] {
        let (code, _, err) = workspace.run(args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(
            err.contains("runs a release state of its own in cluster `eu-canary` of `prod`"),
            "{err}"
        );
        assert!(err.contains("deploy.prod.clusters.eu-canary"), "{err}");
    }
    let after = std::fs::read_to_string(workspace.path("spec/enterprise.toml")).unwrap();
    assert_eq!(before, after, "nothing was written");
    let (code, out, err) = workspace.run(&["promote", "users", "--env", "prod"]);
    assert_eq!(code, 2, "users has no release in flight: {out}{err}");
}

const NEW: &str = "4.1.0@sha256:4444444444444444444444444444444444444444444444444444444444444444";

#[test]
fn a_release_rolls_through_the_waves_and_settles_into_the_environments_state() {
    let workspace = common::Workspace::with_spec(SPEC);
    let spec = || std::fs::read_to_string(workspace.path("spec/enterprise.toml")).unwrap();

    let (code, _, err) = workspace.run(&[
        "release",
        "users",
        "2.1.0@sha256:2222222222222222222222222222222222222222222222222222222222222222",
        "--env",
        "prod",
        "--cluster",
        "us",
    ]);
    assert_eq!(code, 2, "already live there: {err}");

    let (code, out, err) =
        workspace.run(&["release", "orders", NEW, "--env", "prod", "--wave", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("`orders` in `prod/eu`: green now runs"),
        "{out}"
    );
    assert!(
        out.contains("`orders` in `prod/us`: green now runs"),
        "{out}"
    );
    assert!(spec().contains("[services.orders.deploy.prod.clusters.us]"));
    assert_eq!(workspace.run(&["validate"]).0, 0);

    let (code, _, err) = workspace.run(&["promote", "orders", "--env", "prod", "--wave", "1"]);
    assert_eq!(code, 0, "{err}");
    let settled = spec();
    assert!(
        !settled.contains("deploy.prod.clusters"),
        "every cluster serves the same state: it is the environment's again\n{settled}"
    );
    let tree = tree_of(&settled);
    for cluster in ["eu-canary", "eu", "us"] {
        let rendered =
            fleetc::render(&tree, &format!("apps/orders/overlays/prod/{cluster}")).unwrap();
        let service = rendered
            .iter()
            .find(|d| d["kind"] == "Service" && d["metadata"]["name"] == "orders")
            .unwrap();
        assert_eq!(
            service["spec"]["selector"]["version"], "green",
            "{cluster} serves the new version"
        );
    }
    let (code, _, err) = workspace.run(&["retire", "orders", "--env", "prod"]);
    assert_eq!(code, 0, "the environment is one state again: {err}");
}

#[test]
fn a_wave_waits_for_the_waves_before_it() {
    let workspace = common::Workspace::with_spec(SPEC);
    let (code, _, err) = workspace.run(&[
        "rollback",
        "orders",
        "--env",
        "prod",
        "--cluster",
        "eu-canary",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = workspace.run(&["release", "orders", NEW, "--env", "prod", "--wave", "1"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "is not live yet in `eu-canary` (wave 0) of `prod`, so it cannot reach `eu` (wave 1)"
        ),
        "{err}"
    );
}

#[test]
fn every_clusters_files_belong_to_the_environments_approvers() {
    let tree = tree_of(&spec_text());
    let codeowners = std::str::from_utf8(tree.get("CODEOWNERS").unwrap()).unwrap();
    let rules = common::codeowners::Codeowners::parse(codeowners);
    let production = ["@globex/platform", "@globex/sre"];
    let mut checked = 0;
    for path in tree.paths() {
        let of_a_prod_cluster = ["eu-canary", "eu", "us"].iter().any(|cluster| {
            path.contains(&format!("/overlays/prod/{cluster}/"))
                || path.starts_with(&format!("envs/prod/{cluster}/"))
                || path.starts_with(&format!("terraform/prod/{cluster}/"))
                || path == format!("argocd/environments/prod/{cluster}.yaml")
        });
        if of_a_prod_cluster {
            assert_eq!(
                rules.owners(&format!("generated/{path}")),
                production,
                "{path}"
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked} files of prod's clusters");
    let project = document(&tree, "argocd/projects/prod.yaml");
    let sync = project["spec"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|role| role["name"] == "sync")
        .unwrap();
    assert!(
        sync["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g == "globex:sre"),
        "the approvers sync every cluster of the environment"
    );
}

#[test]
fn apps_lists_each_application_on_its_clusters_server() {
    let workspace = common::Workspace::with_spec(SPEC);
    let (code, out, err) = workspace.run(&["apps", "--env", "prod", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let rows: Value = serde_json::from_str(&out).unwrap();
    let us = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["name"] == "users-prod-us")
        .expect("users-prod-us is listed");
    assert_eq!(us["cluster"], "https://prod-us.k8s.globex.internal");
    assert_eq!(us["path"], "generated/apps/users/overlays/prod/us");
    assert_eq!(rows.as_array().unwrap().len(), 6);
}

#[test]
fn the_blast_radius_counts_each_service_once_and_shows_its_clusters() {
    let workspace = common::Workspace::with_spec(SPEC);
    assert_eq!(workspace.run(&["build"]).0, 0);
    // Every cluster of prod: 2 services, 6 Applications.
    workspace.edit_spec(
        "env = { AWS_REGION = \"eu-west-1\" }",
        "env = { AWS_REGION = \"eu-west-1\", LOG_LEVEL = \"debug\" }",
    );
    let (code, _, err) = workspace.run(&["plan", "--max-blast", "2"]);
    assert_eq!(code, 0, "2 services, however many clusters: {err}");
    let (code, _, err) = workspace.run(&["plan", "--max-blast", "1"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("touches 2 services in `prod` (2 in eu, 2 in eu-canary, 2 in us), more than --max-blast 1"),
        "{err}"
    );
}

#[test]
fn the_pull_request_preview_draws_each_clusters_traffic_apart() {
    let workspace = common::Workspace::with_spec(SPEC);
    let repo = git2::Repository::init(workspace.path("")).unwrap();
    common::git::commit(&repo, &["spec"], "the estate", None);
    let (code, _, err) = workspace.run(&["release", "orders", NEW, "--env", "prod", "--wave", "1"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = workspace.run(&["diff", "--base", "HEAD", "--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    for cluster in ["eu", "us"] {
        let line = format!(
            "  prod_{cluster}_preview[\"prod/{cluster} preview host\"] -.-> orders_prod_{cluster}_new[\"orders-green (idle)\"]"
        );
        assert!(out.contains(&line), "{out}");
        assert!(out.contains(&format!("`orders-prod-{cluster}`")), "{out}");
    }
    assert!(!out.contains("orders-prod-eu-canary"), "{out}");
}

#[test]
fn impact_lists_each_version_an_environment_runs_once_across_its_clusters() {
    let workspace = common::Workspace::with_spec(SPEC);
    let (code, out, err) = workspace.run(&["impact", "python", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let running = |service: &str, env: &str| -> Vec<String> {
        report["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["service"] == service && u["environment"] == env)
            .map(|u| {
                u["running"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap()
    };
    assert_eq!(running("users", "prod"), ["2.1.0"]);
    assert_eq!(running("orders", "prod"), ["4.0.1", "4.1.0"]);
}
