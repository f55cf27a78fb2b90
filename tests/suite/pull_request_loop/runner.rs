//! Runs a workflow's steps as GitHub Actions runs them on a pull request: each `run:` script
//! with the job's shell, the job's and step's `env:` with their expressions filled in as GitHub
//! fills them, the runner's own variables, and each step's `if:` honoured.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use serde::Deserialize;

use super::fake_github::{PR, REPOSITORY, REVIEW_TOKEN, WORKFLOW_TOKEN};

/// The condition of the steps that run once fleetc could run, whatever came before.
pub(super) const AFTER_THE_CHECK: &str = "${{ !cancelled() && steps.check.outcome != 'skipped' }}";

#[derive(Deserialize)]
struct Workflow {
    defaults: Defaults,
    jobs: BTreeMap<String, Job>,
}

#[derive(Deserialize)]
struct Defaults {
    run: RunDefaults,
}

#[derive(Deserialize)]
struct RunDefaults {
    shell: String,
}

#[derive(Deserialize)]
struct Job {
    #[serde(default)]
    env: BTreeMap<String, String>,
    steps: Vec<Step>,
}

#[derive(Deserialize)]
struct Step {
    name: String,
    id: Option<String>,
    #[serde(rename = "if")]
    condition: Option<String>,
    uses: Option<String>,
    run: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
}

/// The pull request the workflow runs on.
pub(super) struct PullRequestEvent<'a> {
    pub base_ref: &'a str,
    pub author: &'a str,
    /// Whether the repository holds the secret FLEETC_REVIEW_TOKEN.
    pub review_secret: bool,
    /// The labels the pull request carries.
    pub labels: &'a [&'a str],
}

#[derive(Debug)]
pub(super) enum Outcome {
    /// A step GitHub runs that this test leaves out, named in `left_out`.
    LeftOut,
    /// Its `if:` was false.
    Skipped,
    Ran {
        code: i32,
        stdout: String,
        stderr: String,
    },
}

#[derive(Debug)]
pub(super) struct StepRun {
    pub name: String,
    pub outcome: Outcome,
}

/// Runs every step of the workflow's one job in `checkout`, with `bin` first on PATH, except
/// those named in `left_out` (checking out and installing fleetc: the checkout is there, and
/// `bin` holds the fleetc under test).
pub(super) fn run_workflow(
    workflow: &Path,
    checkout: &Path,
    bin: &Path,
    event: &PullRequestEvent<'_>,
    left_out: &[&str],
) -> Vec<StepRun> {
    let text = fs::read_to_string(workflow).unwrap();
    let workflow: Workflow = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(
        workflow.defaults.run.shell, "bash",
        "`shell: bash` is what gives scripts -o pipefail"
    );
    assert_eq!(workflow.jobs.len(), 1, "one job");
    let job = workflow.jobs.into_values().next().unwrap();
    for name in left_out {
        let step = job.steps.iter().find(|s| s.name == *name);
        let step = step.unwrap_or_else(|| panic!("the workflow has a step `{name}` to leave out"));
        assert!(
            step.uses.is_some()
                || step
                    .run
                    .as_deref()
                    .is_some_and(|r| r.starts_with("cargo install ")),
            "only checking out and installing are left out, not `{name}`"
        );
    }

    let runner_temp = tempfile::tempdir().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let mut runs: Vec<StepRun> = Vec::new();
    let mut check_skipped = false;
    for (index, step) in job.steps.iter().enumerate() {
        let outcome = if left_out.contains(&step.name.as_str()) {
            Outcome::LeftOut
        } else if !runs_now(step, &runs, check_skipped) {
            Outcome::Skipped
        } else {
            let script = step
                .run
                .as_deref()
                .unwrap_or_else(|| panic!("step `{}` runs a script", step.name));
            assert!(
                !script.contains("${{"),
                "an expression in a script is open to injection: step `{}`",
                step.name
            );
            let file = runner_temp.path().join(format!("step-{index}.sh"));
            fs::write(&file, script).unwrap();
            let mut command = Command::new("bash");
            // GitHub's command line for `shell: bash`.
            command
                .args(["--noprofile", "--norc", "-eo", "pipefail"])
                .arg(&file)
                .current_dir(checkout)
                .env_clear()
                .env("PATH", &path)
                .env("HOME", runner_temp.path())
                .env("CI", "true")
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_EVENT_NAME", "pull_request")
                .env("GITHUB_REPOSITORY", REPOSITORY)
                .env("GITHUB_BASE_REF", event.base_ref)
                .env("RUNNER_TEMP", runner_temp.path());
            for (name, value) in job.env.iter().chain(&step.env) {
                command.env(name, fill_expressions(value, event));
            }
            let output = command.output().unwrap();
            Outcome::Ran {
                code: output.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            }
        };
        if step.id.as_deref() == Some("check") {
            check_skipped = !matches!(outcome, Outcome::Ran { .. });
        }
        runs.push(StepRun {
            name: step.name.clone(),
            outcome,
        });
    }
    runs
}

/// GitHub's `if:`: without one a step runs while every step before it succeeded; the one
/// condition this workflow writes runs it whenever the check ran.
fn runs_now(step: &Step, earlier: &[StepRun], check_skipped: bool) -> bool {
    match step.condition.as_deref() {
        None => earlier.iter().all(|run| match run.outcome {
            Outcome::Ran { code, .. } => code == 0,
            Outcome::LeftOut | Outcome::Skipped => true,
        }),
        Some(AFTER_THE_CHECK) => !check_skipped,
        Some(other) => panic!("this test does not know how GitHub reads `if: {other}`"),
    }
}

/// `${{ … }}` replaced by what GitHub puts there on this pull request.
fn fill_expressions(value: &str, event: &PullRequestEvent<'_>) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("an expression ends") + start;
        let expression = rest[start + 3..end].trim();
        out.push_str(&match expression {
            "github.base_ref" => event.base_ref.to_owned(),
            "github.event.pull_request.number" => PR.to_owned(),
            "github.event.pull_request.user.login" => event.author.to_owned(),
            "github.token" => WORKFLOW_TOKEN.to_owned(),
            "secrets.FLEETC_REVIEW_TOKEN || github.token" => if event.review_secret {
                REVIEW_TOKEN
            } else {
                WORKFLOW_TOKEN
            }
            .to_owned(),
            "contains(github.event.pull_request.labels.*.name, 'allow-delete')" => {
                event.labels.contains(&"allow-delete").to_string()
            }
            other => panic!("this test does not know what GitHub puts for `${{{{ {other} }}}}`"),
        });
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}
