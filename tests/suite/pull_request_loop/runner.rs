//! Runs a workflow's steps as GitHub Actions runs them on a pull request: each `run:` script
//! with the job's shell, the job's and step's `env:` with their expressions filled in as GitHub
//! fills them, the runner's own variables, and each step's `if:` honoured.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use super::fake_github::{PR, PUSH_TOKEN, REPOSITORY, REVIEW_TOKEN, WORKFLOW_TOKEN};

/// The condition of the steps that run once fleetc could run, whatever came before.
pub(super) const AFTER_THE_CHECK: &str = "${{ !cancelled() && steps.check.outcome != 'skipped' }}";
/// The same, for the steps that write to the pull request: not on a review.
const AFTER_THE_CHECK_ON_A_PUSH: &str = "${{ !cancelled() && steps.check.outcome != 'skipped' && github.event_name == 'pull_request' }}";

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
    #[serde(rename = "if")]
    condition: Option<String>,
    needs: Option<String>,
    #[serde(default)]
    outputs: BTreeMap<String, String>,
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

/// The pull request the workflow runs on, and what happened to it.
pub(super) struct PullRequestEvent<'a> {
    /// `pull_request`, or `pull_request_review` when a review was given or dismissed.
    pub name: &'a str,
    pub base_ref: &'a str,
    pub author: &'a str,
    /// The pull request's branch, and the repository it lies in (`acme/gitops` unless a fork).
    pub head_ref: &'a str,
    pub head_repository: &'a str,
    pub head_sha: String,
    /// Whether the repository holds the secret FLEETC_PUSH_TOKEN.
    pub push_secret: bool,
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
    /// The job's id.
    pub job: String,
    pub name: String,
    pub outcome: Outcome,
}

/// Runs every job of the workflow as GitHub orders them by `needs`, each in the checkout
/// `checkout(job)` gives, with `bin` first on PATH, except the steps named in `left_out`
/// (checking out and installing fleetc: the checkout is there, and `bin` holds the fleetc
/// under test). A skipped job's steps are all `Skipped`.
pub(super) fn run_workflow(
    workflow: &Path,
    checkout: &dyn Fn(&str) -> PathBuf,
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
    for name in left_out {
        let step = workflow
            .jobs
            .values()
            .flat_map(|j| &j.steps)
            .find(|s| s.name == *name);
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
    let mut outputs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut runs = Vec::new();
    while outputs.len() < workflow.jobs.len() {
        let (id, job) = workflow
            .jobs
            .iter()
            .find(|(id, job)| {
                !outputs.contains_key(*id)
                    && job.needs.as_ref().is_none_or(|n| outputs.contains_key(n))
            })
            .expect("the jobs' needs hold no circle");
        let needed = job.needs.as_ref().map(|n| &outputs[n]);
        let job_runs = if job_runs_now(job, event, needed) {
            run_job(job, &checkout(id), bin, event, left_out)
        } else {
            job.steps
                .iter()
                .map(|step| (step.name.clone(), Outcome::Skipped, BTreeMap::new()))
                .collect()
        };
        let mut step_outputs = BTreeMap::new();
        for ((name, outcome, values), step) in job_runs.into_iter().zip(&job.steps) {
            if let Some(step_id) = &step.id {
                step_outputs.insert(step_id.clone(), values);
            }
            runs.push(StepRun {
                job: id.clone(),
                name,
                outcome,
            });
        }
        let job_outputs = job
            .outputs
            .iter()
            .map(|(name, value)| (name.clone(), step_output(value, &step_outputs)))
            .collect();
        outputs.insert(id.clone(), job_outputs);
    }
    runs
}

/// `${{ steps.<id>.outputs.<name> }}`, as a job's `outputs:` names it.
fn step_output(value: &str, steps: &BTreeMap<String, BTreeMap<String, String>>) -> String {
    let expression = value
        .strip_prefix("${{ steps.")
        .and_then(|v| v.strip_suffix(" }}"))
        .unwrap_or_else(|| panic!("this test does not know the job output `{value}`"));
    let (step, name) = expression.split_once(".outputs.").unwrap();
    steps
        .get(step)
        .and_then(|values| values.get(name))
        .cloned()
        .unwrap_or_default()
}

/// A job's `if:`, for the conditions this workflow writes.
fn job_runs_now(
    job: &Job,
    event: &PullRequestEvent<'_>,
    needed: Option<&BTreeMap<String, String>>,
) -> bool {
    let Some(condition) = job.condition.as_deref() else {
        return true;
    };
    let pushed = needed
        .and_then(|n| n.get("pushed"))
        .map_or("", String::as_str);
    let same_repository = event.head_repository == REPOSITORY;
    let bots = condition
        .split_once("contains(fromJSON('")
        .and_then(|(_, rest)| rest.split_once("')"))
        .map(|(json, _)| serde_json::from_str::<Vec<String>>(json).unwrap());
    match condition {
        "${{ !cancelled() && needs.regenerate.outputs.pushed != 'true' }}" => pushed != "true",
        _ if bots.is_some()
            && condition.ends_with(
                "'), github.event.pull_request.user.login) && github.event.pull_request.head.repo.full_name == github.repository }}",
            )
            && condition.starts_with("${{ github.event_name == 'pull_request' && contains(") =>
        {
            event.name == "pull_request"
                && bots.unwrap().iter().any(|b| b == event.author)
                && same_repository
        }
        other => panic!("this test does not know how GitHub reads the job's `if: {other}`"),
    }
}

/// Runs the steps of one job; each step's name, outcome and the outputs it set.
fn run_job(
    job: &Job,
    checkout: &Path,
    bin: &Path,
    event: &PullRequestEvent<'_>,
    left_out: &[&str],
) -> Vec<(String, Outcome, BTreeMap<String, String>)> {
    let runner_temp = tempfile::tempdir().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let mut runs: Vec<StepRun> = Vec::new();
    let mut all_outputs = Vec::new();
    let mut check_skipped = false;
    for (index, step) in job.steps.iter().enumerate() {
        let output_file = runner_temp.path().join(format!("output-{index}"));
        let outcome = if left_out.contains(&step.name.as_str()) {
            Outcome::LeftOut
        } else if !runs_now(step, &runs, check_skipped, event) {
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
            fs::write(&output_file, "").unwrap();
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
                .env("GITHUB_EVENT_NAME", event.name)
                .env("GITHUB_REPOSITORY", REPOSITORY)
                // Set on pull_request events alone.
                .env(
                    "GITHUB_BASE_REF",
                    if event.name == "pull_request" {
                        event.base_ref
                    } else {
                        ""
                    },
                )
                .env("GITHUB_OUTPUT", &output_file)
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
        let values: BTreeMap<String, String> = fs::read_to_string(&output_file)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        all_outputs.push(values);
        runs.push(StepRun {
            job: String::new(),
            name: step.name.clone(),
            outcome,
        });
    }
    runs.into_iter()
        .zip(all_outputs)
        .map(|(run, values)| (run.name, run.outcome, values))
        .collect()
}

/// GitHub's `if:`: without one a step runs while every step before it succeeded; the one
/// condition this workflow writes runs it whenever the check ran.
fn runs_now(
    step: &Step,
    earlier: &[StepRun],
    check_skipped: bool,
    event: &PullRequestEvent<'_>,
) -> bool {
    match step.condition.as_deref() {
        None => earlier.iter().all(|run| match run.outcome {
            Outcome::Ran { code, .. } => code == 0,
            Outcome::LeftOut | Outcome::Skipped => true,
        }),
        Some(AFTER_THE_CHECK) => !check_skipped,
        Some(AFTER_THE_CHECK_ON_A_PUSH) => !check_skipped && event.name == "pull_request",
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
            // Empty on review events.
            "github.base_ref" if event.name == "pull_request" => event.base_ref.to_owned(),
            "github.base_ref" => String::new(),
            "github.event.pull_request.base.ref" => event.base_ref.to_owned(),
            "github.event.pull_request.head.ref" => event.head_ref.to_owned(),
            "github.event.pull_request.head.sha" => event.head_sha.clone(),
            "secrets.FLEETC_PUSH_TOKEN != ''" => event.push_secret.to_string(),
            "secrets.FLEETC_PUSH_TOKEN" if event.push_secret => PUSH_TOKEN.to_owned(),
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
