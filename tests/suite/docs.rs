//! The README and the manual (`docs/`, an mdBook) hold to the code: every test and file they
//! cite exists, every link resolves, every command has its page, the spec reference is the
//! schema's own text, and every command explains itself in its long `--help`.

mod markdown;
mod spec_reference;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every page of the manual's sources (not a book built into `docs/book`).
fn doc_files() -> Vec<PathBuf> {
    let mut docs = vec![root().join("README.md")];
    docs.extend(
        files_under(&root().join("docs"), ".md")
            .into_iter()
            .filter(|path| !path.starts_with(root().join("docs/book"))),
    );
    docs.sort();
    docs
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

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
    let root = root();
    let code: String = files_under(&root.join("src"), ".rs")
        .into_iter()
        .chain(files_under(&root.join("tests"), ".rs"))
        .map(|path| fs::read_to_string(path).unwrap())
        .collect();
    let mut missing = Vec::new();
    let mut checked = 0;
    for doc in &doc_files() {
        let text = read(doc);
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

/// The spec reference is rendered from the committed schema, which another test holds to the
/// spec types' doc comments (`schema_command_prints_the_committed_schema`).
#[test]
fn the_spec_reference_is_rendered_from_the_schema() {
    let schema: Value = serde_json::from_str(&read(&root().join("schemas/enterprise.schema.json")))
        .expect("the schema is JSON");
    let rendered = spec_reference::Schema::new(&schema).render();
    let path = root().join("docs/src/reference/spec.md");
    let committed = fs::read_to_string(&path).unwrap_or_default();
    if committed == rendered {
        return;
    }
    if std::env::var_os("FLEETC_BLESS").is_some() {
        fs::write(&path, rendered).expect("blessing writes the reference");
        return;
    }
    let diff = similar::TextDiff::from_lines(&committed, &rendered)
        .unified_diff()
        .header("docs/src/reference/spec.md", "rendered from the schema")
        .to_string();
    panic!(
        "{diff}\nrun `FLEETC_BLESS=1 cargo test --test suite docs` to accept the rendered reference"
    );
}

/// The reference's sections, each with the keys it lists: `## `path`` and `- **`key`**`.
fn reference_sections(text: &str) -> Vec<(String, Vec<String>)> {
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            sections.push((title.trim_matches('`').to_owned(), Vec::new()));
        } else if let Some(item) = line.strip_prefix("- **`")
            && let Some((key, _)) = item.split_once("`**")
            && let Some((_, keys)) = sections.last_mut()
        {
            keys.push(key.to_owned());
        }
    }
    sections
}

/// Walks the schema itself, not the renderer's walk: every table the schema defines is a
/// section listing all its keys, and every top-level key has a section of its own.
#[test]
fn every_key_of_the_schema_has_an_entry_in_the_reference() {
    let schema: Value =
        serde_json::from_str(&read(&root().join("schemas/enterprise.schema.json"))).unwrap();
    let sections = reference_sections(&read(&root().join("docs/src/reference/spec.md")));
    let tables = std::iter::once(("the top level", &schema)).chain(
        schema["$defs"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, def)| (name.as_str(), def)),
    );
    let mut keys_seen = 0;
    for (name, table) in tables {
        let keys: Vec<String> = spec_reference::properties(table)
            .into_iter()
            .map(|(key, _)| key.clone())
            .collect();
        if keys.is_empty() {
            continue;
        }
        keys_seen += keys.len();
        assert!(
            sections.iter().any(|(_, listed)| *listed == keys),
            "no section of the reference lists the keys of {name}: {keys:?}"
        );
    }
    assert!(keys_seen > 150, "the schema has {keys_seen} keys");
    for (key, property) in spec_reference::properties(&schema) {
        // A list of plain values (`include`) is a key of the top level's own section.
        if property["items"]["type"] == "string" {
            assert!(
                sections[0].1.contains(key),
                "`{key}` is in the top level's section"
            );
            continue;
        }
        assert!(
            sections.iter().any(|(title, _)| title == key
                || title.starts_with(&format!("{key}."))
                || title.starts_with(&format!("{key}["))),
            "the top-level key `{key}` has no section in the reference"
        );
    }
}

/// Every relative link of the README and the manual names a file that exists, and its
/// `#anchor` a heading of that file. A page of the manual links only inside the book, and never
/// to a `README.md`: mdBook renders that page as `index.html` but leaves links to it as
/// `README.html`, which does not exist.
#[test]
fn every_relative_link_of_the_docs_resolves() {
    let book = root().join("docs/src");
    let mut broken = Vec::new();
    let mut checked = 0;
    for doc in doc_files() {
        for target in markdown::links(&read(&doc)) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (path, anchor) = target.split_once('#').unwrap_or((target.as_str(), ""));
            let file = if path.is_empty() {
                doc.clone()
            } else {
                doc.parent().unwrap().join(path)
            };
            let name = doc.strip_prefix(root()).unwrap().display();
            let in_book = doc.starts_with(&book);
            if !file.exists() {
                broken.push(format!("{name}: `{target}`: no such file"));
            } else if in_book && !normalized(&file).starts_with(&book) {
                broken.push(format!("{name}: `{target}`: outside the book"));
            } else if in_book && file.ends_with("README.md") {
                broken.push(format!("{name}: `{target}`: name the page index.md"));
            } else if !anchor.is_empty() && !markdown::anchors(&read(&file)).contains(anchor) {
                broken.push(format!("{name}: `{target}`: no such heading"));
            }
        }
    }
    assert!(checked > 50, "the docs hold {checked} relative links");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// `path` with its `..` and `.` parts resolved, without following links.
fn normalized(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The commands `fleetc --help` lists, each with its one-line summary.
fn commands() -> Vec<(String, String)> {
    let help = fleetc(&["--help"]);
    let listed = help
        .split_once("Commands:\n")
        .expect("--help lists the commands")
        .1
        .split("\n\n")
        .next()
        .unwrap();
    let commands: Vec<(String, String)> = listed
        .lines()
        .filter_map(|line| {
            let (name, about) = line.trim().split_once(' ')?;
            Some((name.to_owned(), about.trim().to_owned()))
        })
        .filter(|(name, _)| name != "help")
        .collect();
    assert!(commands.len() > 20, "{help}");
    commands
}

fn fleetc(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_fleetc"))
        .args(args)
        .output()
        .expect("fleetc runs");
    assert!(output.status.success(), "fleetc {args:?}: {output:?}");
    String::from_utf8(output.stdout).expect("help is UTF-8")
}

/// Each command has its page in the manual, a line in its table of contents, and a line in
/// the README's command list that is its `--help` summary.
#[test]
fn every_command_has_a_page_a_line_in_the_summary_and_its_summary_in_the_readme() {
    let summary = read(&root().join("docs/src/SUMMARY.md"));
    let readme = read(&root().join("README.md"));
    let mut missing = Vec::new();
    for (command, about) in commands() {
        let page = format!("commands/{command}.md");
        if !root().join("docs/src").join(&page).is_file() {
            missing.push(format!("docs/src/{page} does not exist"));
        }
        if !summary.contains(&format!("]({page})")) {
            missing.push(format!("docs/src/SUMMARY.md does not list {page}"));
        }
        let listed = format!("- [`{command}`] — {about}\n");
        if !readme.contains(&listed) {
            missing.push(format!("README.md has no line `{}`", listed.trim_end()));
        }
        let definition = format!("[`{command}`]: docs/src/{page}\n");
        if !readme.contains(&definition) {
            missing.push(format!(
                "README.md does not define `{}`",
                definition.trim_end()
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// mdBook renders only the pages SUMMARY.md lists: a page missing from it is lost.
#[test]
fn every_page_of_the_manual_is_in_the_summary() {
    let src = root().join("docs/src");
    let summary = src.join("SUMMARY.md");
    let listed: BTreeSet<String> = markdown::links(&read(&summary)).into_iter().collect();
    let unlisted: Vec<String> = files_under(&src, ".md")
        .into_iter()
        .filter(|page| *page != summary)
        .map(|page| page.strip_prefix(&src).unwrap().display().to_string())
        .filter(|page| !listed.contains(page))
        .collect();
    assert!(
        unlisted.is_empty(),
        "pages missing from SUMMARY.md: {unlisted:?}"
    );
}

/// `-h` gives each command's one-line summary; `--help` explains the command in paragraphs
/// that fit a terminal, the same text the man pages carry.
#[test]
fn every_command_explains_itself_in_its_long_help_and_stays_short_in_short_help() {
    let mut problems = Vec::new();
    for (command, about) in commands() {
        let short = fleetc(&[&command, "-h"]);
        let (short_intro, _) = short.split_once("\nUsage:").unwrap();
        if short_intro.trim_end() != about {
            problems.push(format!(
                "{command} -h opens with more than its summary:\n{short_intro}"
            ));
        }
        if about.chars().count() > 72 || about.ends_with('.') {
            problems.push(format!(
                "{command}: the summary is over 72 characters or ends with a period: {about}"
            ));
        }
        let long = fleetc(&[&command, "--help"]);
        let (long_intro, _) = long.split_once("\nUsage:").unwrap();
        let paragraphs = long_intro.trim_end().split("\n\n").count();
        if !long_intro.starts_with(&about) || paragraphs < 2 {
            problems.push(format!(
                "{command} --help does not explain the command after its summary:\n{long_intro}"
            ));
        }
        if let Some(wide) = long_intro.lines().find(|line| line.chars().count() > 80) {
            problems.push(format!(
                "{command} --help has a line over 80 columns: {wide}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
