//! Every spec in `tests/broken/` is refused: exit 2, each `# expect: LINE:COL message` line of
//! the fixture found in the output at that place, and the output directory left untouched.
//! The full rendered diagnostics are snapshotted, one named snapshot per fixture, and `validate`,
//! `check` and `plan` must print what `build` prints, so a message change is reviewed like code.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn fixtures() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> =
        fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
    files.sort();
    files
}

fn snapshot_of_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().display().to_string(), fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn broken_specs_are_refused_with_the_place_and_what_is_valid() {
    assert!(fixtures().len() >= 15, "at least 15 broken specs");
    // Each fixture is its own named snapshot; every fixture runs and every failing one is
    // reported, not just the first.
    insta::glob!("../broken", "*.toml", refused);
}

/// `build`, `validate`, `check` and `plan` refuse the spec alike: exit 2, the same
/// diagnostics (snapshotted once), each `# expect:` line at its place, the output untouched.
fn refused(fixture: &Path) {
    let name = fixture.file_stem().unwrap().to_string_lossy().into_owned();
    let text = fs::read_to_string(fixture).unwrap();
    let expects: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .collect();
    assert!(!expects.is_empty(), "{name} has no `# expect:` line");

    let out = tempfile::tempdir().unwrap();
    fs::write(out.path().join("keep.txt"), "not fleetc's\n").unwrap();
    let before = snapshot_of_tree(out.path());
    let relative = format!("tests/broken/{name}.toml");
    let mut printed_by_build = None;
    for command in ["build", "validate", "check", "plan"] {
        let output = Command::cargo_bin("fleetc")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([command, "--color", "never", "--spec", &relative, "--out"])
            .arg(out.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{name} {command}: exit code\n{stderr}"
        );
        for expect in &expects {
            let (place, message) = expect.split_once(' ').unwrap();
            let located = format!("--> {relative}:{place}");
            assert!(
                stderr.contains(&located),
                "{name}: no diagnostic at {place}\n{stderr}"
            );
            assert!(
                stderr.contains(message),
                "{name}: missing `{message}`\n{stderr}"
            );
        }
        assert_eq!(
            snapshot_of_tree(out.path()),
            before,
            "{name} {command} touched the output"
        );
        match &printed_by_build {
            None => {
                // Named after the fixture alone: `broken_specs__<fixture>.snap`.
                let mut settings = insta::Settings::clone_current();
                settings.remove_snapshot_suffix();
                settings.bind(|| insta::assert_snapshot!(name.clone(), stderr.clone()));
                printed_by_build = Some(stderr);
            }
            Some(build) => assert_eq!(&stderr, build, "{name}: {command} says what build says"),
        }
    }
}
