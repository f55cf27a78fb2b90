//! Every `golden/<case>/enterprise.toml` compiles to exactly the tree in `golden/<case>/expected`,
//! and the bundled spec to exactly the committed `generated/`. `FLEETC_BLESS=1` rewrites them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use fleetc::Date;
use fleetc::apply;
use fleetc::unified;
use fleetc::{ChangeKind, changes};
use fleetc::{Source, compile};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cases() -> Vec<(PathBuf, PathBuf)> {
    let mut cases = vec![(
        root().join("spec/enterprise.toml"),
        root().join("generated"),
    )];
    let mut dirs: Vec<PathBuf> = fs::read_dir(root().join("golden"))
        .expect("golden/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.join("enterprise.toml").is_file())
        .collect();
    dirs.sort();
    cases.extend(
        dirs.into_iter()
            .map(|d| (d.join("enterprise.toml"), d.join("expected"))),
    );
    cases
}

fn compile_file(spec: &Path) -> fleetc::Tree {
    let text = fs::read_to_string(spec).expect("spec is readable");
    match compile(&Source::new(spec, text), today()) {
        Ok(compiled) => compiled.tree,
        Err(diagnostics) => panic!("{} does not compile: {diagnostics:#?}", spec.display()),
    }
}

#[test]
fn golden_trees_match_byte_for_byte() {
    let bless = std::env::var_os("FLEETC_BLESS").is_some();
    let mut failures = Vec::new();
    assert!(cases().len() >= 3, "at least three golden cases");
    for (spec, expected) in cases() {
        let tree = compile_file(&spec);
        let diff = changes(&tree, &expected).expect("expected tree is readable");
        if diff.is_empty() {
            continue;
        }
        if bless {
            apply(&expected, &diff).expect("blessing writes the tree");
            continue;
        }
        let mut report = format!("{} differs from {}:\n", expected.display(), spec.display());
        for change in &diff {
            report.push_str(&unified(change, false));
        }
        failures.push(report);
    }
    assert!(
        failures.is_empty(),
        "{}\nrun `FLEETC_BLESS=1 cargo test --test suite golden` to accept the new output",
        failures.join("\n")
    );
}

#[test]
fn expected_trees_hold_nothing_but_generated_files() {
    for (spec, expected) in cases() {
        let tree = compile_file(&spec);
        for entry in walkdir::WalkDir::new(&expected)
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry
                .path()
                .strip_prefix(&expected)
                .expect("below expected");
            let relative = relative.to_string_lossy().replace('\\', "/");
            assert!(
                tree.get(&relative).is_some(),
                "{} holds {relative}, which {} no longer generates",
                expected.display(),
                spec.display()
            );
        }
    }
}

#[test]
fn compiling_twice_gives_identical_bytes() {
    for (spec, _) in cases() {
        assert_eq!(
            compile_file(&spec),
            compile_file(&spec),
            "{}",
            spec.display()
        );
    }
}

#[test]
fn every_application_set_path_is_an_overlay_in_the_tree() {
    for (spec, _) in cases() {
        let tree = compile_file(&spec);
        let text = fs::read_to_string(&spec).unwrap();
        let gitops_path = if text.contains("gitops_path = \".\"") {
            ""
        } else {
            "generated/"
        };
        let mut applications: BTreeMap<String, String> = BTreeMap::new();
        for (path, bytes) in tree.iter() {
            if !path.starts_with("argocd/applicationsets/") {
                continue;
            }
            let env = path
                .trim_start_matches("argocd/applicationsets/")
                .trim_end_matches(".yaml");
            let doc: serde_json::Value =
                serde_saphyr::from_str(std::str::from_utf8(bytes).unwrap()).expect("valid YAML");
            for element in doc["spec"]["generators"][0]["list"]["elements"]
                .as_array()
                .unwrap()
            {
                let app_path = element["path"].as_str().unwrap();
                let dir = app_path
                    .strip_prefix(gitops_path)
                    .expect("path inside gitops_path");
                assert!(
                    tree.get(&format!("{dir}/kustomization.yaml")).is_some(),
                    "{}: {app_path} has no kustomization",
                    spec.display()
                );
                applications.insert(
                    format!("{}-{env}", element["service"].as_str().unwrap()),
                    dir.to_owned(),
                );
            }
        }
        if spec.ends_with("spec/enterprise.toml") {
            assert_eq!(applications.len(), 30, "10 services × 3 environments");
        }
    }
}

#[test]
fn changes_report_removed_files_of_an_earlier_build() {
    let dir = tempfile::tempdir().unwrap();
    let tree = compile_file(&root().join("golden/minimal/enterprise.toml"));
    apply(dir.path(), &changes(&tree, dir.path()).unwrap()).unwrap();
    let mut manifest = fs::read_to_string(dir.path().join(".fleetc-manifest")).unwrap();
    manifest.push_str("old/file.yaml\n");
    fs::write(dir.path().join(".fleetc-manifest"), manifest).unwrap();
    fs::create_dir_all(dir.path().join("old")).unwrap();
    fs::write(dir.path().join("old/file.yaml"), "x: 1\n").unwrap();
    let diff = changes(&tree, dir.path()).unwrap();
    let kinds: Vec<(&str, ChangeKind)> = diff.iter().map(|c| (c.path.as_str(), c.kind)).collect();
    assert_eq!(
        kinds,
        [
            (".fleetc-manifest", ChangeKind::Modified),
            ("old/file.yaml", ChangeKind::Removed)
        ]
    );
}

/// A fixed day, so deadlines in test specs are judged the same way on every run.
fn today() -> Date {
    Date::parse("2026-11-22").unwrap()
}
