//! The command line driven as a user drives it: the real binary in a scratch directory.

use crate::common;

use std::fs;
use std::path::Path;

use common::Workspace;

const BUNDLED: &str = "spec/enterprise.toml";

#[test]
fn build_writes_the_tree_and_a_second_build_changes_nothing() {
    let ws = Workspace::with_spec(BUNDLED);
    let (code, stdout, _) = ws.run(&["build"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("files:"), "{stdout}");
    assert!(
        ws.path("generated/apps/users/overlays/prod/kustomization.yaml")
            .is_file()
    );
    assert!(
        ws.path("generated/argocd/applicationsets/prod.yaml")
            .is_file()
    );
    let first = ws.files();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (code, stdout, _) = ws.run(&["build"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("is up to date"), "{stdout}");
    assert_eq!(ws.files(), first, "same bytes and same mtimes");
}

#[test]
fn check_passes_on_a_fresh_build_and_fails_on_a_hand_edit() {
    let ws = Workspace::with_spec(BUNDLED);
    assert_eq!(ws.run(&["build"]).0, 0);
    let (code, stdout, _) = ws.run(&["check"]);
    assert_eq!((code, stdout.trim()), (0, "generated is up to date"));

    let edited = ws.path("generated/apps/users/overlays/prod/service-patch.yaml");
    let text = fs::read_to_string(&edited).unwrap();
    fs::write(&edited, text.replace("value: blue", "value: green")).unwrap();
    let (code, stdout, _) = ws.run(&["check", "--color", "never"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("--- a/apps/users/overlays/prod/service-patch.yaml"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-  value: green\n+  value: blue\n"),
        "{stdout}"
    );
    assert!(stdout.contains("generated is stale"), "{stdout}");

    assert_eq!(ws.run(&["build"]).0, 0);
    assert_eq!(ws.run(&["check"]).0, 0);
}

#[test]
fn check_fails_when_the_spec_changed_and_a_file_went_missing() {
    let ws = Workspace::with_spec(BUNDLED);
    assert_eq!(ws.run(&["build"]).0, 0);
    fs::remove_file(ws.path("generated/CODEOWNERS")).unwrap();
    let (code, stdout, _) = ws.run(&["check", "--color", "never"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("+++ b/CODEOWNERS"), "{stdout}");
}

#[test]
fn build_removes_only_files_it_wrote() {
    let ws = Workspace::with_spec(BUNDLED);
    assert_eq!(ws.run(&["build"]).0, 0);
    fs::write(ws.path("generated/README.md"), "hand written\n").unwrap();
    fs::write(ws.path("generated/apps/notifications/notes.txt"), "mine\n").unwrap();
    // Drop the notifications service (its table and every reference to it).
    let spec = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let start = spec.find("[services.notifications]").unwrap();
    let mut trimmed = spec[..start].to_owned();
    trimmed = trimmed
        .replace(", \"notifications\"]", "]")
        .replace("[\"notifications\"]", "[]");
    fs::write(ws.path("spec/enterprise.toml"), trimmed).unwrap();

    let (code, stdout, stderr) = ws.run(&["build", "--allow-delete", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("removed"), "{stdout}");
    assert!(!ws.path("generated/apps/notifications/base").exists());
    assert!(!ws.path("generated/apps/notifications/overlays").exists());
    assert!(ws.path("generated/apps/notifications/notes.txt").is_file());
    assert!(ws.path("generated/README.md").is_file());
    assert_eq!(ws.run(&["check"]).0, 0);
}

#[test]
fn files_fleetc_did_not_write_are_reported_and_kept() {
    let ws = Workspace::with_spec(BUNDLED);
    assert_eq!(ws.run(&["build"]).0, 0);
    fs::write(
        ws.path("generated/apps/users/overlays/prod/extra.yaml"),
        "kind: ConfigMap\n",
    )
    .unwrap();
    fs::write(
        ws.path("generated/README.md"),
        "the output folder's own files are not listed\n",
    )
    .unwrap();
    for command in ["check", "build"] {
        let (code, _, stderr) = ws.run(&[command]);
        assert_eq!(code, 0, "{command}: {stderr}");
        assert!(
            stderr.contains("note: 1 entry in generated was not written by fleetc")
                && stderr.contains("  generated/apps/users/overlays/prod/extra.yaml\n"),
            "{command}: {stderr}"
        );
        assert!(!stderr.contains("README"), "{stderr}");
    }
    assert!(
        ws.path("generated/apps/users/overlays/prod/extra.yaml")
            .is_file()
    );
}

#[test]
fn an_up_to_date_build_still_clears_what_a_killed_run_left() {
    let ws = Workspace::with_spec(BUNDLED);
    assert_eq!(ws.run(&["build"]).0, 0);
    let leftovers = [
        "generated/apps/users/overlays/prod/.hpa.yaml.fleetc-tmp",
        "generated/.fleetc-manifest.fleetc-tmp",
    ];
    for path in leftovers {
        fs::write(ws.path(path), "half a fi").unwrap();
    }
    let (code, stdout, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("is up to date"), "{stdout}");
    assert!(!stderr.contains("not written by fleetc"), "{stderr}");
    for path in leftovers {
        assert!(!ws.path(path).exists(), "{path} is cleared");
    }
}

#[test]
fn plan_shows_the_diff_and_summary_and_writes_nothing() {
    let ws = Workspace::with_spec(BUNDLED);
    assert_eq!(ws.run(&["build"]).0, 0);
    ws.edit_spec("version = \"1.12.0\"", "version = \"1.13.0\"");
    let before = ws.files();
    let (code, stdout, _) = ws.run(&["plan", "--color", "never"]);
    assert_eq!(code, 0);
    assert_eq!(ws.files(), before, "plan writes nothing");
    for env in ["dev", "staging"] {
        assert!(
            stdout.contains(&format!(
                "--- a/apps/cart/overlays/{env}/deployment-blue-patch.yaml"
            )),
            "{stdout}"
        );
    }
    assert!(
        !stdout.contains("overlays/prod"),
        "prod pins its own version:\n{stdout}"
    );
    assert!(
        stdout.contains("+  value: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/cart:1.13.0\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 files: 0 added, 2 changed, 0 removed"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "no colour with --color never");

    let (_, coloured, _) = ws.run(&["plan", "--color", "always"]);
    assert!(coloured.contains('\u{1b}'), "colour with --color always");
}

#[test]
fn plan_on_an_empty_output_lists_every_file_as_added() {
    let ws = Workspace::with_spec("golden/minimal/enterprise.toml");
    let (code, stdout, _) = ws.run(&["plan", "--color", "never"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("+++ b/apps/hello/colours/blue/deployment.yaml"),
        "{stdout}"
    );
    assert!(!ws.path("generated").exists());
}

/// `fleetc` run with `args` prints the committed file `committed`.
fn prints_the_committed(args: &[&str], committed: &str) {
    let ws = Workspace::with_spec(BUNDLED);
    let (code, stdout, _) = ws.run(args);
    assert_eq!(code, 0);
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(committed)).unwrap();
    assert!(
        stdout == text,
        "{committed} is stale: run `cargo run -- {} > {committed}`",
        args.join(" ")
    );
}

#[test]
fn schema_command_prints_the_committed_schema() {
    prints_the_committed(&["schema"], "schemas/enterprise.schema.json");
}

#[test]
fn schema_included_prints_the_committed_schema_of_included_files() {
    prints_the_committed(
        &["schema", "--included"],
        "schemas/enterprise-part.schema.json",
    );
}

#[test]
fn init_spreads_the_services_over_the_teams_asked_for() {
    let ws = Workspace::with_spec(BUNDLED);
    let (code, _, stderr) = ws.run(&["init", "--services", "30", "--teams", "12", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    let text = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    assert_eq!(text.matches("\n[teams.").count(), 12);
    assert!(text.contains("[teams.team-12]\n"), "{text}");
    assert!(
        text.contains("team = \"team-12\""),
        "every team owns a service"
    );
    assert_eq!(ws.run(&["build"]).0, 0);
    let (code, _, stderr) = ws.run(&["init", "--services", "3", "--teams", "4", "--force"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--teams takes 1 to the number of services (3), not 4"),
        "{stderr}"
    );
}

#[test]
fn validate_reports_the_estate_size() {
    let ws = Workspace::with_spec(BUNDLED);
    let (code, stdout, _) = ws.run(&["validate"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout.trim(),
        "spec/enterprise.toml is valid: 10 services in 3 environments"
    );
}

#[test]
fn a_missing_spec_is_bad_input() {
    let ws = Workspace::with_spec(BUNDLED);
    let (code, _, stderr) = ws.run(&["build", "--spec", "nope.toml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read spec `nope.toml`"), "{stderr}");
    assert!(!ws.path("generated").exists());
}

#[test]
fn usage_errors_exit_2() {
    let ws = Workspace::with_spec(BUNDLED);
    assert_eq!(ws.run(&["frobnicate"]).0, 2);
    assert_eq!(ws.run(&["build", "--color", "sometimes"]).0, 2);
    assert_eq!(ws.run(&["--help"]).0, 0);
}

#[test]
fn a_file_in_the_way_of_the_tree_is_reported_not_clobbered() {
    let ws = Workspace::with_spec("golden/minimal/enterprise.toml");
    fs::create_dir_all(ws.path("generated")).unwrap();
    fs::write(ws.path("generated/apps"), "a file where a folder belongs\n").unwrap();
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("generated/apps"), "{stderr}");
    assert_eq!(
        fs::read_to_string(ws.path("generated/apps")).unwrap(),
        "a file where a folder belongs\n"
    );
}

#[test]
fn init_on_a_fresh_checkout_creates_the_spec_folder() {
    let ws = Workspace::with_spec(BUNDLED);
    let (code, _, stderr) = ws.run(&["init", "--spec", "estate/spec/enterprise.toml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(ws.path("estate/spec/enterprise.toml").is_file());
}

#[test]
fn init_writes_a_spec_that_builds_and_never_overwrites_one() {
    let ws = Workspace::with_spec(BUNDLED);
    let (code, _, stderr) = ws.run(&["init", "--services", "25"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("exists; pass --force"), "{stderr}");

    let (code, stdout, _) = ws.run(&["init", "--services", "25", "--spec", "new.toml"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("25 services"), "{stdout}");
    let (code, stdout, _) = ws.run(&["validate", "--spec", "new.toml"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout.trim(),
        "new.toml is valid: 25 services in 3 environments"
    );
    assert_eq!(
        ws.run(&["build", "--spec", "new.toml", "--out", "out"]).0,
        0
    );
    assert_eq!(
        ws.run(&["check", "--spec", "new.toml", "--out", "out"]).0,
        0
    );
}

#[test]
fn the_bundled_100_service_spec_is_what_init_writes() {
    let committed =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/enterprise-100.toml"))
            .unwrap();
    let generated = fleetc::starter_spec(100);
    let body = |text: &str| text[text.find("[enterprise]").unwrap()..].to_owned();
    assert!(
        body(&committed) == body(&generated),
        "spec/enterprise-100.toml differs from `fleetc init --services 100` below its header"
    );
}

#[test]
fn render_prints_one_overlay_or_writes_them_all() {
    let ws = Workspace::with_spec(BUNDLED);
    let (code, stdout, _) = ws.run(&["render", "users", "prod"]);
    assert_eq!(code, 0);
    let documents = fleetc::parse_documents(&stdout).unwrap();
    let kinds: Vec<&str> = documents
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "ServiceAccount",
            "ConfigMap",
            "Service",
            "Service",
            "Service",
            "Deployment",
            "Deployment",
            "PodDisruptionBudget",
            "HorizontalPodAutoscaler",
            "HorizontalPodAutoscaler",
            "ExternalSecret",
            "PrometheusRule",
            "ServiceMonitor",
            "NetworkPolicy"
        ]
    );
    assert!(
        documents
            .iter()
            .all(|d| d["metadata"]["namespace"] == "northwind-prod")
    );

    let (code, _, stderr) = ws.run(&["render", "users", "qa"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`users` does not run in `qa`; it runs in dev, staging, prod"),
        "{stderr}"
    );
    let (code, _, stderr) = ws.run(&["render", "nobody", "prod"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("service `nobody` is not declared"),
        "{stderr}"
    );

    let (code, stdout, _) = ws.run(&["render", "--all", "--to", "hydrated"]);
    assert_eq!(code, 0);
    assert_eq!(stdout.trim(), "wrote 33 hydrated overlays to hydrated");
    assert!(ws.path("hydrated/apps_users_overlays_prod.yaml").is_file());
    assert!(ws.path("hydrated/envs_prod.yaml").is_file());
}

#[test]
fn github_format_prints_annotations_on_the_spec_and_stale_files() {
    let ws = Workspace::with_spec(BUNDLED);
    ws.edit_spec(
        "team = \"identity\"\nbase = \"python:3.12-r2\"",
        "team = \"identiy\"\nbase = \"python:3.12-r2\"",
    );
    let spec = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
    let line = spec
        .lines()
        .position(|l| l == "team = \"identiy\"")
        .unwrap()
        + 1;
    let (code, stdout, _) = ws.run(&["validate", "--format", "github"]);
    assert_eq!(code, 2);
    assert!(
        stdout.contains(&format!("::error file=spec/enterprise.toml,line={line},col=8::team `identiy` is not declared; declared teams: web, identity, commerce, fulfilment, payments%0Ahelp: did you mean `identity`?")),
        "{stdout}"
    );

    let ws = Workspace::with_spec(BUNDLED);
    assert_eq!(ws.run(&["build"]).0, 0);
    fs::write(ws.path("generated/CODEOWNERS"), "* @someone\n").unwrap();
    let (code, stdout, _) = ws.run(&["check", "--format", "github"]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("::error file=generated/CODEOWNERS::This file is stale"),
        "{stdout}"
    );
}

#[test]
fn apps_lists_what_the_application_sets_produce() {
    let ws = Workspace::with_spec(BUNDLED);
    let (code, stdout, _) = ws.run(&["apps", "--format", "json"]);
    assert_eq!(code, 0);
    let apps: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(apps.len(), 30);
    let mut from_sets = Vec::new();
    for env in ["dev", "staging", "prod"] {
        let text = fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("generated/argocd/applicationsets/{env}.yaml")),
        )
        .unwrap();
        let set: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
        for element in set["spec"]["generators"][0]["list"]["elements"]
            .as_array()
            .unwrap()
        {
            from_sets.push((
                format!("{}-{env}", element["service"].as_str().unwrap()),
                element["path"].as_str().unwrap().to_owned(),
            ));
        }
    }
    let listed: Vec<(String, String)> = apps
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_owned(),
                a["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let (mut a, mut b) = (listed.clone(), from_sets);
    a.sort();
    b.sort();
    assert_eq!(a, b, "apps names exactly what the ApplicationSets generate");
    assert!(
        apps.iter()
            .any(|a| a["name"] == "users-prod" && a["sync"] == "manual")
    );
    assert!(
        apps.iter()
            .any(|a| a["name"] == "users-dev" && a["sync"] == "automated (prune, self-heal)")
    );
    let (code, _, stderr) = ws.run(&["apps", "--env", "qa"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("environment `qa` is not declared"),
        "{stderr}"
    );
}

#[test]
fn a_one_service_change_rewrites_only_that_services_files() {
    let ws = Workspace::with_spec("spec/enterprise-100.toml");
    assert_eq!(ws.run(&["build"]).0, 0);
    let before = ws.files();
    std::thread::sleep(std::time::Duration::from_millis(20));
    ws.edit_spec(
        "[services.cart]\nteam = \"discovery\"\nbase = \"python:3.12\"\nversion = \"5.4.4\"",
        "[services.cart]\nteam = \"discovery\"\nbase = \"python:3.12\"\nversion = \"5.5.0\"",
    );
    assert_eq!(ws.run(&["build"]).0, 0);
    let after = ws.files();
    assert_eq!(before.len(), after.len());
    let rewritten: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b.1 != a.1 || b.2 != a.2)
        .map(|(_, a)| a.0.as_str())
        .collect();
    assert!(!rewritten.is_empty());
    assert!(
        rewritten
            .iter()
            .all(|p| p.contains("/generated/apps/cart/overlays/")),
        "only cart's overlays are rewritten: {rewritten:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_the_output_is_never_followed() {
    let ws = Workspace::with_spec("golden/minimal/enterprise.toml");
    let elsewhere = tempfile::tempdir().unwrap();
    fs::create_dir_all(ws.path("generated")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), ws.path("generated/apps")).unwrap();
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("is a symbolic link; fleetc reads and writes only inside generated"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_dir(elsewhere.path()).unwrap().count(),
        0,
        "nothing written through the link"
    );
}

#[test]
fn a_second_build_on_the_same_output_waits_its_turn() {
    let ws = Workspace::with_spec("golden/minimal/enterprise.toml");
    fs::create_dir_all(ws.path("generated")).unwrap();
    let held = fs::File::open(ws.path("generated")).unwrap();
    held.try_lock().unwrap();
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("another fleetc run is writing generated; wait for it to finish"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_dir(ws.path("generated")).unwrap().count(),
        0,
        "nothing written"
    );
    held.unlock().unwrap();
    assert_eq!(ws.run(&["build"]).0, 0);
}

/// A build killed at any moment leaves a tree that `check` calls stale (or up to date, when it
/// finished), never a broken one; the next build repairs it completely.
#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_is_repaired_by_the_next() {
    let ws = Workspace::with_spec("spec/enterprise-100.toml");
    let binary = assert_cmd::cargo::cargo_bin("fleetc");
    for round in 0..12u64 {
        if round % 4 == 0 {
            let _ = fs::remove_dir_all(ws.path("generated"));
        } else {
            // Flip the default prod replicas: every service's prod overlay changes.
            let spec = fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap();
            let flipped = if spec.contains("prod = 3 }") {
                spec.replacen("prod = 3 }", "prod = 4 }", 1)
            } else {
                spec.replacen("prod = 4 }", "prod = 3 }", 1)
            };
            fs::write(ws.path("spec/enterprise.toml"), flipped).unwrap();
        }
        let mut child = std::process::Command::new(&binary)
            .arg("build")
            .current_dir(ws.path(""))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20 + round * 80));
        let _ = child.kill();
        let _ = child.wait();
        let (code, _, stderr) = ws.run(&["check"]);
        assert!(
            code == 0 || code == 1,
            "round {round}: check must judge the tree, not fail: {stderr}"
        );
        let (code, _, stderr) = ws.run(&["build"]);
        assert_eq!(code, 0, "round {round}: {stderr}");
        assert_eq!(ws.run(&["check"]).0, 0, "round {round}: repaired");
        let leftovers = walkdir::WalkDir::new(ws.path("generated"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".fleetc-tmp"))
            .count();
        assert_eq!(leftovers, 0, "round {round}: temporary files cleared");
    }
}
