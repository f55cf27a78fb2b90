//! The bundled hand-written estate (`golden/import/hand-written/`: 17 services of five teams,
//! one base each, overlays for dev, staging and prod) imported as a team would: a spec that
//! builds, and a report naming every difference, snapshotted.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::import::fleetc;

fn estate() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("golden/import/hand-written")
        .display()
        .to_string()
}

#[test]
fn the_hand_written_estate_imports_into_a_spec_that_builds_and_a_report_of_every_difference() {
    let dir = tempfile::tempdir().unwrap();
    let (code, report, stderr) = fleetc(
        dir.path(),
        &["--spec", "spec/enterprise.toml", "import", &estate()],
    );
    assert_eq!(
        code, 1,
        "the build differs from the estate, and the report says where: {stderr}"
    );
    insta::assert_snapshot!("hand_written_estate_import_report", report);
    let (code, stdout, stderr) = fleetc(dir.path(), &["build"]);
    assert_eq!(code, 0, "the imported spec builds: {stdout}{stderr}");
}

#[test]
fn every_workload_of_the_hand_written_estate_is_compared_in_every_environment() {
    let dir = tempfile::tempdir().unwrap();
    let (_, stdout, stderr) = fleetc(
        dir.path(),
        &[
            "--spec",
            "spec/enterprise.toml",
            "import",
            &estate(),
            "--format",
            "json",
        ],
    );
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stderr}"));
    let services = report["services"].as_array().unwrap();
    assert_eq!(services.len(), 17);
    let kinds: Vec<&str> = services
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    for kind in ["deployment", "worker", "statefulset", "cronjob"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    for service in services {
        for env in ["dev", "staging", "prod"] {
            let compared = service["after_build"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["environment"] == env && !d["rendered"].is_null());
            assert!(compared, "{} in {env}: {service:#}", service["name"]);
        }
    }
    assert!(
        fs::read_to_string(dir.path().join("spec/enterprise.toml"))
            .unwrap()
            .contains("[services.postgres]")
    );
}
