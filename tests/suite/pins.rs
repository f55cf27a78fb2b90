//! CI caller workflows pinned to their rollout wave, Terraform pinned per environment: the
//! generated files of the bundled spec, read back with real parsers.

use std::fs;
use std::path::Path;

fn generated(path: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("generated")
            .join(path),
    )
    .unwrap()
}

#[test]
fn workflows_use_the_template_version_of_their_wave() {
    for (service, version) in [
        ("users", "v3.0.0"),
        ("search", "v3.0.0"),
        ("cart", "v2.3.0"),
        ("payments", "v2.3.0"),
    ] {
        let text = generated(&format!("ci/{service}.yml"));
        let workflow: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
        let job = &workflow["jobs"]["pipeline"];
        assert_eq!(
            job["uses"],
            format!("northwind/ci-templates/.github/workflows/service.yml@{version}"),
            "{service}"
        );
        assert_eq!(
            job["permissions"]["id-token"], "write",
            "OIDC, no static keys"
        );
        assert!(job.get("secrets").is_none(), "no secrets are passed");
        assert_eq!(job["with"]["scan-severity"], "HIGH,CRITICAL");
        assert_eq!(job["with"]["scan-fail-build"], true);
        assert_eq!(job["with"]["service"], service);
    }
}

#[test]
fn terraform_parses_and_pins_modules_per_environment() {
    let source = "git::https://github.com/northwind/terraform-modules.git//modules";
    let vpc = "9d1e0c4b2a7f6e5d4c3b2a190817263544536271";
    for (env, eks, node) in [
        (
            "dev",
            "c0ffee5e7a1b2c3d4e5f60718293a4b5c6d7e8f9",
            "bottlerocket-1.24.1",
        ),
        (
            "prod",
            "3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c",
            "bottlerocket-1.23.4",
        ),
    ] {
        let text = generated(&format!("terraform/{env}/main.tf"));
        let body: hcl::Body = hcl::from_str(&text).unwrap_or_else(|e| panic!("{env}: {e}\n{text}"));
        let modules: Vec<&hcl::Block> = body
            .blocks()
            .filter(|b| b.identifier() == "module")
            .collect();
        let attribute = |module: &str, key: &str| -> hcl::Expression {
            let block = modules
                .iter()
                .find(|b| b.labels().first().map(hcl::BlockLabel::as_str) == Some(module))
                .unwrap_or_else(|| panic!("module {module} in {env}"));
            block
                .body()
                .attributes()
                .find(|a| a.key() == key)
                .unwrap()
                .expr()
                .clone()
        };
        assert_eq!(
            attribute("vpc", "source"),
            hcl::Expression::from(format!("{source}/vpc?ref={vpc}"))
        );
        assert_eq!(
            attribute("eks", "source"),
            hcl::Expression::from(format!("{source}/eks?ref={eks}"))
        );
        assert_eq!(attribute("eks", "node_image"), hcl::Expression::from(node));
        assert_eq!(
            attribute("github_oidc", "source"),
            hcl::Expression::from(format!(
                "{source}/github-oidc?ref=4f2c9e1a7b3d5e6f8091a2b3c4d5e6f708192a3b"
            ))
        );
        let hcl::Expression::Array(subjects) = attribute("github_oidc", "subjects") else {
            panic!("subjects is a list");
        };
        assert!(subjects.contains(&hcl::Expression::from(
            "repo:northwind/users:ref:refs/heads/main"
        )));
        assert_eq!(subjects.len(), 10);
        let tag = if env == "prod" { "v1.3.2" } else { "v1.4.0" };
        assert!(
            text.contains(&format!(
                "  # {tag} pinned by commit\n  source = \"{source}/eks?ref={eks}\""
            )),
            "{text}"
        );
    }
}

#[test]
fn terraform_is_formatted_as_terraform_fmt_writes_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for dir in ["generated", "golden"] {
        for entry in walkdir::WalkDir::new(root.join(dir))
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.path().extension().is_some_and(|e| e == "tf") {
                let text = fs::read_to_string(entry.path()).unwrap();
                if let Err(problem) = fmt_problem(&text) {
                    panic!("{}: {problem}\n{text}", entry.path().display());
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 3);
}

/// The rules of `terraform fmt` that generated HCL relies on: two spaces per nesting level, no
/// trailing space, no double blank line, one final newline, and in each run of consecutive
/// one-line attributes the `=` signs in one column, one space after the longest name.
fn fmt_problem(text: &str) -> Result<(), String> {
    if !text.ends_with('\n') || text.ends_with("\n\n") {
        return Err("the file must end with exactly one newline".into());
    }
    let mut depth = 0usize;
    let mut run: Vec<(usize, usize, usize)> = Vec::new(); // (line, name length, `=` column)
    let check_run = |run: &mut Vec<(usize, usize, usize)>| -> Result<(), String> {
        if let Some(longest) = run.iter().map(|r| r.1).max() {
            for (line, _, column) in run.iter() {
                let want = longest + 1;
                if *column != want {
                    return Err(format!(
                        "line {line}: `=` at {column}, terraform fmt puts it at {want}"
                    ));
                }
            }
        }
        run.clear();
        Ok(())
    };
    let mut previous_blank = false;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        if line.ends_with(' ') {
            return Err(format!("line {number}: trailing space"));
        }
        let blank = line.trim().is_empty();
        if blank && previous_blank {
            return Err(format!("line {number}: two blank lines"));
        }
        previous_blank = blank;
        let trimmed = line.trim_start();
        if trimmed.starts_with('}') || trimmed.starts_with(']') {
            depth = depth.saturating_sub(1);
        }
        if !blank && !trimmed.starts_with('#') || trimmed.starts_with('#') && depth > 0 {
            let indent = line.len() - trimmed.len();
            if indent != 2 * depth {
                return Err(format!(
                    "line {number}: indent {indent}, expected {}",
                    2 * depth
                ));
            }
        }
        let one_line_attribute = !trimmed.starts_with('#')
            && trimmed.contains(" = ")
            && !trimmed.ends_with('{')
            && !trimmed.ends_with('[');
        if one_line_attribute {
            let name = trimmed.split_whitespace().next().unwrap();
            let column = trimmed.find(" = ").unwrap() + 1;
            run.push((number, name.len(), column));
        } else if !trimmed.starts_with('#') {
            check_run(&mut run)?;
        }
        if trimmed.ends_with('{') || trimmed.ends_with('[') {
            depth += 1;
        }
    }
    check_run(&mut run)
}
