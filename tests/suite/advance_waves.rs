//! `advance --wave N` / `--cluster C` into an environment of several clusters
//! (`golden/regions`: staging is one cluster; prod is eu-canary in wave 0, eu and us in wave 1):
//! each version moves cluster by cluster as `release --wave N` would move it, a wave only once
//! the earlier waves serve it, and `--soak` measures where the version proves itself.

use crate::common;

use std::collections::BTreeSet;
use std::fs;

use common::Workspace;
use fleetc::Date;
use fleetc::Tree;
use fleetc::{Source, compile};

const SPEC: &str = "golden/regions/enterprise.toml";
const USERS_NEW: &str =
    "2.2.0@sha256:5555555555555555555555555555555555555555555555555555555555555555";

fn spec_text(ws: &Workspace) -> String {
    fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap()
}

fn tree_of(text: &str) -> Tree {
    let today = Date::parse("2026-11-22").unwrap();
    match compile(&Source::new(SPEC, text.to_owned()), today) {
        Ok(compiled) => compiled.tree,
        Err(problems) => panic!("{problems:#?}"),
    }
}

/// The paths of the tree whose bytes differ between two specs.
fn changed_files(before: &str, after: &str) -> BTreeSet<String> {
    common::changed_paths(&tree_of(before), &tree_of(after))
}

/// Every changed file is one of `service`'s files in `clusters` of prod, or a file of those
/// clusters' shared objects (the preview Ingress a release in flight adds), or the manifest
/// that lists every file.
/// The spec as data, with the release states of `clusters` of prod taken out of `service`;
/// a `deploy.prod` left empty of clusters, and equal to the state the service runs without
/// one (its `version` on blue), goes too, since writing it out changes nothing.
fn without_cluster_states(text: &str, service: &str, clusters: &[&str]) -> toml::Value {
    let mut spec: toml::Value = toml::from_str(text).unwrap();
    let table = spec["services"][service].as_table_mut().unwrap();
    let version = table["version"].clone();
    if let Some(prod) = table
        .get_mut("deploy")
        .and_then(|d| d.get_mut("prod"))
        .and_then(toml::Value::as_table_mut)
    {
        if let Some(own) = prod.get_mut("clusters").and_then(toml::Value::as_table_mut) {
            for cluster in clusters {
                own.remove(*cluster);
            }
            if own.is_empty() {
                prod.remove("clusters");
            }
        }
        let mut implicit = toml::Table::new();
        implicit.insert("blue".to_owned(), version);
        implicit.insert("live".to_owned(), "blue".into());
        if *prod == implicit {
            let deploy = table["deploy"].as_table_mut().unwrap();
            deploy.remove("prod");
            if deploy.is_empty() {
                table.remove("deploy");
            }
        }
    }
    spec
}

fn assert_only_in(changed: &BTreeSet<String>, service: &str, clusters: &[&str]) {
    assert!(!changed.is_empty());
    for path in changed {
        let in_a_cluster = clusters.iter().any(|c| {
            path.starts_with(&format!("apps/{service}/overlays/prod/{c}/"))
                || path.starts_with(&format!("envs/prod/{c}/"))
        });
        let record = *path == format!("apps/{service}/.fleetc-manifest");
        assert!(in_a_cluster || record, "{path} changed");
    }
}

/// `users` 2.2.0 is live in staging; prod runs 2.1.0 in every cluster.
fn staging_serves_users_2_2(ws: &Workspace) {
    let release = ["release", "users", USERS_NEW, "--env", "staging"];
    assert_eq!(ws.run(&release).0, 0);
    assert_eq!(ws.run(&["promote", "users", "--env", "staging"]).0, 0);
}

/// `args` is refused by a guard (exit 1), says each of `says`, and writes nothing.
fn refused(ws: &Workspace, args: &[&str], says: &[&str]) {
    let before = spec_text(ws);
    let (code, _, err) = ws.run(args);
    assert_eq!(code, 1, "{args:?}: {err}");
    for said in says {
        assert!(err.contains(said), "{args:?}: {err}");
    }
    assert_eq!(spec_text(ws), before, "{args:?} writes nothing");
}

/// `out` says each of `said`.
fn says(out: &str, said: &[&str]) {
    for said in said {
        assert!(out.contains(said), "{said:?} in:\n{out}");
    }
}

fn run_ok(ws: &Workspace, args: &[&str]) -> String {
    let (code, out, err) = ws.run(args);
    assert_eq!(code, 0, "{args:?}: {out}{err}");
    out
}

#[test]
fn advance_moves_versions_into_wave_0_then_wave_1_and_they_settle_into_the_environment() {
    let ws = Workspace::with_spec(SPEC);
    staging_serves_users_2_2(&ws);

    let before = spec_text(&ws);
    let out = run_ok(&ws, &["advance", "--from", "staging", "--wave", "0"]);
    says(
        &out,
        &[
            "advance `staging` → `prod/eu-canary`: 1 service moves",
            "`users` in `prod/eu-canary`: green now runs 2.2.0@sha256:5555",
            "already live in `prod/eu-canary`: orders",
        ],
    );
    let after = spec_text(&ws);
    assert_only_in(&changed_files(&before, &after), "users", &["eu-canary"]);
    assert!(before.lines().all(|l| after.contains(l)), "no line lost");
    assert_eq!(
        without_cluster_states(&after, "users", &["eu-canary"]),
        toml::from_str::<toml::Value>(&before).unwrap(),
        "only the canary's state is written"
    );

    // Wave 1 waits while the canary only previews it.
    refused(
        &ws,
        &["advance", "--from", "staging", "users", "--wave", "1"],
        &["`users`: 2.2.0 is not live yet in `eu-canary` (wave 0) of `prod`"],
    );
    let before = spec_text(&ws);

    // Everything into wave 1: orders, which the canary serves, moves; users stays.
    let out = run_ok(&ws, &["advance", "--from", "staging", "--wave", "1"]);
    says(
        &out,
        &[
            "advance `staging` → `prod/eu`, `prod/us`: 1 service moves",
            "`users` stays: 2.2.0 is not live yet in `eu-canary` (wave 0)",
        ],
    );
    let after = spec_text(&ws);
    assert_only_in(&changed_files(&before, &after), "orders", &["eu", "us"]);
    assert_eq!(
        without_cluster_states(&after, "orders", &["eu", "us"]),
        toml::from_str::<toml::Value>(&before).unwrap(),
        "only the states of eu and us are written"
    );

    // Once the canary serves users, wave 0 is settled and wave 1 takes it.
    run_ok(&ws, &["promote", "users", "--env", "prod", "--wave", "0"]);
    let out = run_ok(&ws, &["advance", "--from", "staging", "--wave", "0"]);
    says(
        &out,
        &[
            "nothing to advance from `staging` to `prod/eu-canary`",
            "already live in `prod/eu-canary`: users, orders",
        ],
    );
    let out = run_ok(&ws, &["advance", "--from", "staging", "--wave", "1"]);
    says(
        &out,
        &[
            "`users` in `prod/eu`: green now runs",
            "`users` in `prod/us`: green now runs",
            "`orders` stays: 4.1.0 already runs on the idle colour in `prod/eu`, `prod/us`; promote it there",
        ],
    );

    for service in ["users", "orders"] {
        run_ok(&ws, &["promote", service, "--env", "prod", "--wave", "1"]);
    }
    let settled = spec_text(&ws);
    assert!(
        !settled.contains("deploy.prod.clusters") && !settled.contains("clusters = {"),
        "every cluster serves the same state: the environment's again\n{settled}"
    );
    assert_eq!(ws.run(&["validate"]).0, 0);
}

#[test]
fn advance_into_one_cluster_moves_only_that_cluster() {
    let ws = Workspace::with_spec(SPEC);
    staging_serves_users_2_2(&ws);
    let (code, _, err) = ws.run(&["advance", "--from", "staging", "--cluster", "us"]);
    assert_eq!(code, 0, "users stays, behind the canary: {err}");
    run_ok(
        &ws,
        &["advance", "--from", "staging", "--cluster", "eu-canary"],
    );
    run_ok(&ws, &["promote", "users", "--env", "prod", "--wave", "0"]);

    let before = spec_text(&ws);
    let out = run_ok(
        &ws,
        &["advance", "--from", "staging", "users", "--cluster", "us"],
    );
    says(
        &out,
        &[
            "advance `staging` → `prod/us`: 1 service moves",
            "`users` in `prod/us`: green now runs",
        ],
    );
    assert!(!out.contains("prod/eu`"), "{out}");
    assert_only_in(&changed_files(&before, &spec_text(&ws)), "users", &["us"]);
}

#[test]
fn a_release_in_flight_in_an_aimed_cluster_blocks_the_service_and_names_the_cluster() {
    let ws = Workspace::with_spec(SPEC);
    staging_serves_users_2_2(&ws);
    let other = "2.3.0@sha256:6666666666666666666666666666666666666666666666666666666666666666";
    let flight = [
        "release",
        "users",
        other,
        "--env",
        "prod",
        "--cluster",
        "eu-canary",
        "--skip-order",
    ];
    run_ok(&ws, &flight);
    refused(
        &ws,
        &["advance", "--from", "staging", "users", "--wave", "0"],
        &["`users`: a release of 2.3.0 is in flight in `prod/eu-canary`"],
    );
    let before = spec_text(&ws);

    let out = run_ok(&ws, &["advance", "--from", "staging", "--wave", "0"]);
    says(
        &out,
        &[
            "nothing to advance from `staging` to `prod/eu-canary`",
            "`users` stays: a release of 2.3.0 is in flight in `prod/eu-canary`",
            "already live in `prod/eu-canary`: orders",
        ],
    );
    assert_eq!(spec_text(&ws), before);
}

#[test]
fn without_a_wave_a_service_whose_clusters_run_their_own_states_is_told_to_name_one() {
    let ws = Workspace::with_spec(SPEC);
    let out = run_ok(&ws, &["advance", "--from", "staging"]);
    says(
        &out,
        &[
            "`orders` stays: `prod/eu-canary` runs a release state of its own; advance it wave by wave with --wave N or --cluster C",
        ],
    );
}

#[test]
fn a_wave_or_cluster_the_next_environment_lacks_exits_2_naming_what_it_has() {
    let ws = Workspace::with_spec(SPEC);
    staging_serves_users_2_2(&ws);
    let before = spec_text(&ws);
    for (args, says) in [
        (
            &["advance", "--from", "staging", "--wave", "7"][..],
            "no cluster of `prod` is in wave 7",
        ),
        (
            &["advance", "--from", "staging", "--wave", "7"],
            "its waves: 0 (eu-canary), 1 (eu, us)",
        ),
        (
            &["advance", "--from", "staging", "--cluster", "ap"],
            "cluster `ap` is not declared in environment `prod`; its clusters: eu-canary, eu, us",
        ),
        (
            &["advance", "--from", "staging", "--cluster", "eu-canry"],
            "did you mean `eu-canary`?",
        ),
        (
            &[
                "advance",
                "--from",
                "staging",
                "--cluster",
                "eu",
                "--wave",
                "1",
            ],
            "cannot be used with",
        ),
    ] {
        let (code, _, err) = ws.run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(spec_text(&ws), before, "{args:?}");
    }

    let ws = Workspace::with_spec("spec/enterprise.toml");
    let before = spec_text(&ws);
    let (code, _, err) = ws.run(&["advance", "--from", "dev", "--wave", "0"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("environment `staging` lists no clusters"),
        "{err}"
    );
    assert!(err.contains("leave out --cluster and --wave"), "{err}");
    assert_eq!(spec_text(&ws), before);
}

#[test]
fn past_the_first_wave_a_soak_is_measured_on_the_earlier_waves() {
    let ws = Workspace::with_spec(SPEC);
    let repo = git2::Repository::init(ws.path("")).unwrap();
    staging_serves_users_2_2(&ws);
    common::git::commit(
        &repo,
        &["spec"],
        "users 2.2.0 in staging",
        Some("2026-06-01T00:00:00Z"),
    );
    run_ok(&ws, &["advance", "--from", "staging", "--wave", "0"]);
    run_ok(&ws, &["promote", "users", "--env", "prod", "--wave", "0"]);
    common::git::commit(
        &repo,
        &["spec"],
        "the canary serves it",
        Some("2026-06-01T08:00:00Z"),
    );

    let now = "2026-06-01T09:00:00Z";
    let young = [
        "advance", "--from", "staging", "users", "--wave", "1", "--soak", "2h", "--now", now,
    ];
    // 9h in staging, 1h in the canary.
    refused(
        &ws,
        &young,
        &[
            "not soaked long enough in `prod/eu-canary`",
            "`users` 2.2.0: live in `prod/eu-canary` for 1h (since commit ",
        ],
    );

    let soaked = [
        "advance", "--from", "staging", "users", "--wave", "1", "--soak", "1h", "--now", now,
    ];
    let out = run_ok(&ws, &soaked);
    says(&out, &["`users` in `prod/us`: green now runs"]);

    // The first wave soaks in staging, as an advance of the whole environment does.
    let ws = Workspace::with_spec(SPEC);
    let repo = git2::Repository::init(ws.path("")).unwrap();
    staging_serves_users_2_2(&ws);
    common::git::commit(
        &repo,
        &["spec"],
        "users 2.2.0 in staging",
        Some("2026-06-01T08:00:00Z"),
    );
    let young = [
        "advance",
        "--from",
        "staging",
        "users",
        "--cluster",
        "eu-canary",
        "--soak",
        "2h",
        "--now",
        now,
    ];
    refused(
        &ws,
        &young,
        &["`users` 2.2.0: live in `staging` for 1h (since commit "],
    );
}

/// The regions estate with staging in two clusters of its own, `s-eu` (wave 0) and `s-us`
/// (wave 1), and `users` 2.2.0 live in staging's state while `s-us` still serves 2.1.0.
fn staging_in_clusters_with_s_us_behind(ws: &Workspace) {
    ws.edit_spec("cluster = \"https://staging.k8s.globex.internal\"\n", "");
    ws.edit_spec(
        "\n[environments.prod]\n",
        "\n[environments.staging.clusters.s-eu]\nserver = \"https://staging-eu.k8s.globex.internal\"\nwave = 0\n\n[environments.staging.clusters.s-us]\nserver = \"https://staging-us.k8s.globex.internal\"\nwave = 1\n\n[environments.prod]\n",
    );
    let old = "2.1.0@sha256:2222222222222222222222222222222222222222222222222222222222222222";
    ws.edit_spec(
        "\n[services.users.overrides.prod.clusters.us]\n",
        &format!(
            "\n[services.users.deploy.staging]\nblue = \"{old}\"\ngreen = \"{USERS_NEW}\"\nlive = \"green\"\n\n[services.users.deploy.staging.clusters.s-us]\nblue = \"{old}\"\ngreen = \"{USERS_NEW}\"\nlive = \"blue\"\n\n[services.users.overrides.prod.clusters.us]\n"
        ),
    );
}

#[test]
fn a_version_soaks_in_the_source_only_from_when_every_cluster_of_it_serves_it() {
    let ws = Workspace::with_spec(SPEC);
    let repo = git2::Repository::init(ws.path("")).unwrap();
    staging_in_clusters_with_s_us_behind(&ws);
    assert_eq!(ws.run(&["validate"]).0, 0);
    common::git::commit(
        &repo,
        &["spec"],
        "s-eu serves users 2.2.0",
        Some("2026-06-01T00:00:00Z"),
    );
    let text = spec_text(&ws);
    let s_us = &text[text
        .find("\n[services.users.deploy.staging.clusters.s-us]")
        .unwrap()..];
    let s_us = &s_us[..s_us.find("\n\n[services.users.overrides").unwrap()];
    fs::write(ws.path("spec/enterprise.toml"), text.replacen(s_us, "", 1)).unwrap();
    common::git::commit(
        &repo,
        &["spec"],
        "s-us serves it too",
        Some("2026-06-01T08:00:00Z"),
    );

    let now = "2026-06-01T09:00:00Z";
    for aimed in [&[][..], &["--wave", "0"]] {
        let mut young = vec![
            "advance", "--from", "staging", "users", "--soak", "2h", "--now", now,
        ];
        young.extend_from_slice(aimed);
        refused(
            &ws,
            &young,
            &["`users` 2.2.0: live in `staging` for 1h (since commit "],
        );
    }
    let soaked = [
        "advance", "--from", "staging", "users", "--wave", "0", "--soak", "1h", "--now", now,
    ];
    let out = run_ok(&ws, &soaked);
    says(
        &out,
        &["`users` in `prod/eu-canary`: green now runs 2.2.0@sha256:5555"],
    );
}

#[test]
fn a_rollout_moves_its_live_version_cluster_by_cluster() {
    let ws = Workspace::with_spec(SPEC);
    ws.edit_spec(
        "route = \"/users\"\n",
        "route = \"/users\"\nstrategy = \"canary\"\n",
    );
    ws.edit_spec(
        "\n[services.users.overrides.prod.clusters.us]\n",
        &format!(
            "\n[services.users.deploy.staging]\nblue = \"{USERS_NEW}\"\nlive = \"blue\"\n\n[services.users.overrides.prod.clusters.us]\n"
        ),
    );
    let out = run_ok(
        &ws,
        &["advance", "--from", "staging", "users", "--wave", "0"],
    );
    says(
        &out,
        &["`users` in `prod/eu-canary`: the Rollout moves to 2.2.0 (canary)"],
    );
    let out = run_ok(
        &ws,
        &["advance", "--from", "staging", "users", "--wave", "1"],
    );
    for cluster in ["eu", "us"] {
        let line =
            format!("\n  `users` in `prod/{cluster}`: the Rollout moves to 2.2.0 (canary)\n");
        assert!(out.contains(&line), "{out}");
    }
    let text = spec_text(&ws);
    assert!(
        !text.contains("services.users.deploy.prod.clusters"),
        "every cluster runs 2.2.0: the environment's state again\n{text}"
    );
    assert!(
        text.contains(&format!(
            "[services.users.deploy.prod]\nblue = \"{USERS_NEW}\"\nlive = \"blue\"\n"
        )),
        "{text}"
    );
}
