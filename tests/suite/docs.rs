//! The README and the manual name the tests that prove their claims: every name they cite
//! must still be there.

use std::fs;
use std::path::{Path, PathBuf};

fn files_under(dir: &Path, ending: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().to_string_lossy().ends_with(ending))
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// The backticked words of a text that look like Rust names of three words or more
/// (`a_soak_counts_from_the_commit`), and the paths it cites (`tests/release.rs`).
fn cited(text: &str) -> (Vec<&str>, Vec<&str>) {
    let mut names = Vec::new();
    let mut paths = Vec::new();
    for (i, quoted) in text.split('`').enumerate() {
        if i % 2 == 0 {
            continue;
        }
        let snake = quoted
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if snake && quoted.matches('_').count() >= 2 && !quoted.starts_with('_') {
            names.push(quoted);
        }
        if (quoted.starts_with("tests/") || quoted.starts_with("src/"))
            && !quoted.contains(char::is_whitespace)
            && !quoted.contains('<')
        {
            paths.push(quoted.trim_end_matches(':'));
        }
    }
    (names, paths)
}

/// Whether `path` names a file or folder below `root`; one `*` in its last part stands for
/// any run of characters, and must match at least one entry.
fn exists(root: &Path, path: &str) -> bool {
    let path = root.join(path.trim_end_matches('/'));
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let Some((start, end)) = name.split_once('*') else {
        return path.exists();
    };
    fs::read_dir(path.parent().unwrap()).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|entry| {
            let entry = entry.file_name().to_string_lossy().into_owned();
            entry.starts_with(start) && entry.ends_with(end)
        })
    })
}

#[test]
fn every_test_and_file_the_docs_cite_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let code: String = files_under(&root.join("src"), ".rs")
        .into_iter()
        .chain(files_under(&root.join("tests"), ".rs"))
        .map(|path| fs::read_to_string(path).unwrap())
        .collect();
    let mut docs = vec![root.join("README.md")];
    docs.extend(files_under(&root.join("docs"), ".md"));
    let mut missing = Vec::new();
    let mut checked = 0;
    for doc in &docs {
        let text = fs::read_to_string(doc).unwrap();
        let (names, paths) = cited(&text);
        for name in names {
            checked += 1;
            // A test is a `fn`; other names (spec keys, metric names) are read by the code.
            if !code.contains(&format!("fn {name}(")) && !code.contains(name) {
                missing.push(format!("{}: `{name}`", doc.display()));
            }
        }
        for path in paths {
            checked += 1;
            if !exists(root, path) {
                missing.push(format!("{}: `{path}`", doc.display()));
            }
        }
    }
    assert!(checked > 100, "the docs cite {checked} names");
    assert!(
        missing.is_empty(),
        "cited but not found:\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_citation_is_a_backticked_name_of_three_words_or_a_path() {
    let (names, paths) = cited(
        "proved by `a_test_name` and `tests/cli.rs` (`tests/x.rs`: `one_two_three`), not `key` or `two_words` or `apps/<svc>/`",
    );
    assert_eq!(names, ["a_test_name", "one_two_three"]);
    assert_eq!(paths, ["tests/cli.rs", "tests/x.rs"]);
}
