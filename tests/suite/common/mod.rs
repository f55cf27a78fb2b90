//! A scratch working directory with a spec in it, and the real binary run inside it.
#![allow(dead_code)] // each test binary uses a part of the harness

pub(crate) mod applications;
pub(crate) mod certificates;
pub(crate) mod codeowners;
pub(crate) mod git;
pub(crate) mod promql;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use assert_cmd::Command;
use tempfile::TempDir;

/// A scratch working directory holding a copy of a spec.
pub(crate) struct Workspace {
    dir: TempDir,
}

impl Workspace {
    pub(crate) fn with_spec(spec: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(spec);
        fs::create_dir_all(dir.path().join("spec")).unwrap();
        fs::copy(source, dir.path().join("spec/enterprise.toml")).unwrap();
        Self { dir }
    }

    pub(crate) fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub(crate) fn run(&self, args: &[&str]) -> (i32, String, String) {
        let output = Command::cargo_bin("fleetc")
            .unwrap()
            .current_dir(self.dir.path())
            .args(args)
            .args(fixed_moment(args))
            .output()
            .unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    pub(crate) fn edit_spec(&self, from: &str, to: &str) {
        let path = self.path("spec/enterprise.toml");
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "spec holds {from}");
        fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    /// The files under `generated/`, by path relative to the repository root.
    pub(crate) fn generated(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(self.path("generated"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let path = e.path().strip_prefix(self.dir.path()).unwrap();
                (path.display().to_string(), fs::read(e.path()).unwrap())
            })
            .collect()
    }

    pub(crate) fn files(&self) -> Vec<(String, SystemTime, Vec<u8>)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(self.path("generated"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let meta = e.metadata().unwrap();
                (
                    e.path().display().to_string(),
                    meta.modified().unwrap(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }
}

/// Commands that judge sync windows run at a fixed moment every window of the bundled specs lets
/// through (a Tuesday noon: inside their allow windows, outside their freeze), so a test does
/// not start failing on a weekend or when the calendar reaches a freeze; tests of the windows
/// themselves pass `--now`.
fn fixed_moment(args: &[&str]) -> &'static [&'static str] {
    let judges_windows = matches!(args.first(), Some(&("release" | "promote" | "advance")));
    if judges_windows && !args.contains(&"--now") {
        &["--now", "2026-06-02T12:00:00Z"]
    } else {
        &[]
    }
}

/// The `[enterprise]` table and one `[environments.<env>]` table per name: the start of every
/// generated test spec.
pub(crate) fn spec_preamble(envs: &[&str]) -> String {
    let mut text = String::from(
        "# generated\n[enterprise]\nname = \"gen\"\nregistry = \"r.example\"\ngitops_repo = \"https://g.example/r.git\"\nplatform_team = \"@gen/platform\"\n\n",
    );
    for env in envs {
        text.push_str(&format!(
            "[environments.{env}]\ncluster = \"https://{env}.example\"\ndomain = \"{env}.example\"\n\n"
        ));
    }
    text
}

/// The paths whose bytes differ between two trees, or that only one of them has.
pub(crate) fn changed_paths(
    before: &fleetc::Tree,
    after: &fleetc::Tree,
) -> std::collections::BTreeSet<String> {
    let paths: std::collections::BTreeSet<&str> = before.paths().chain(after.paths()).collect();
    paths
        .into_iter()
        .filter(|p| before.get(p) != after.get(p))
        .map(str::to_owned)
        .collect()
}
