//! The pull-request loop end to end. A GitOps repository whose `main` holds a spec, its tree
//! and the workflow `fleetc workflow github` writes; a pull request that changes the estate;
//! and the workflow's steps run as GitHub runs them (tests/pull_request_loop/runner.rs), with
//! the fleetc under test on PATH and a fake GitHub CLI that keeps what the workflow asks of
//! GitHub (tests/pull_request_loop/fake_github.rs).

use crate::common;
mod approval;
mod bots;
mod fake_github;
mod runner;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;
use tempfile::TempDir;

use fake_github::{FakeGithub, REVIEW_TOKEN, WORKFLOW_TOKEN};
use runner::{Outcome, PullRequestEvent, StepRun, run_workflow};

const FLEETC: &str = env!("CARGO_BIN_EXE_fleetc");
/// Lower than the ten services a release changes, so the guard trips.
const MAX_BLAST: &str = "5";
/// The author of the pull request, one of the owners of what it changes.
const AUTHOR: &str = "dave";

const CHECK: &str = "The committed tree is what the spec compiles to";
const GUARD: &str =
    "No change touches more than 5 services in one environment, nor deletes an Application unasked";
const PREVIEW: &str = "Preview of the rendered manifests, one comment per part";
const LABELS: &str = "Label the pull request with the environments it changes";
const REVIEWS: &str = "Request review from the owners of what changed";

/// The teams whose services the pull requests release; the others own nothing that changes.
const RELEASING_TEAMS: [&str; 4] = ["identity", "commerce", "fulfilment", "payments"];

fn fleetc(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(FLEETC)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "fleetc {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn git(dir: &Path, args: &[&str]) {
    git_output(dir, args);
}

fn git_output(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Fleet Tester")
        .env("GIT_AUTHOR_EMAIL", "tester@example.com")
        .env("GIT_COMMITTER_NAME", "Fleet Tester")
        .env("GIT_COMMITTER_EMAIL", "tester@example.com")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A GitOps repository on GitHub, checked out on a pull request's branch.
struct Estate {
    _root: TempDir,
    /// The repository on GitHub, bare, that pull requests' branches are pushed to.
    origin: PathBuf,
    checkout: PathBuf,
    bin: PathBuf,
    github: FakeGithub,
}

impl Estate {
    /// `main`: a starter spec of 20 services (infrastructure pinned per environment, for
    /// governance edits by command), its tree and the workflow, committed; the
    /// checkout is a clone of it, as `actions/checkout` leaves one (`origin/main` included).
    fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let upstream = root.path().join("gitops");
        fs::create_dir(&upstream).unwrap();
        fleetc(&upstream, &["init", "--services", "20"]);
        // Users among a team's owners, one of them the pull request's author.
        edit(
            &upstream.join("spec/enterprise.toml"),
            "[teams.identity]\nowners = [\"@acme/identity\"]",
            "[teams.identity]\nowners = [\"@acme/identity\", \"@carol\", \"@dave\"]",
        );
        fleetc(&upstream, &["build"]);
        fleetc(&upstream, &["workflow", "github", "--max-blast", MAX_BLAST]);
        git(&upstream, &["init", "--quiet", "--initial-branch", "main"]);
        git(&upstream, &["add", "--all"]);
        git(&upstream, &["commit", "--quiet", "--message", "the estate"]);

        git(
            root.path(),
            &["clone", "--quiet", "--bare", "gitops", "origin.git"],
        );
        git(root.path(), &["clone", "--quiet", "origin.git", "checkout"]);
        let checkout = root.path().join("checkout");
        git(&checkout, &["checkout", "--quiet", "-b", "pull-request"]);

        let bin = root.path().join("bin");
        fs::create_dir(&bin).unwrap();
        std::os::unix::fs::symlink(FLEETC, bin.join("fleetc")).unwrap();
        let github = FakeGithub::install(&bin, &root.path().join("github"));
        Self {
            origin: root.path().join("origin.git"),
            _root: root,
            checkout,
            bin,
            github,
        }
    }

    fn spec(&self) -> toml::Table {
        fs::read_to_string(self.checkout.join("spec/enterprise.toml"))
            .unwrap()
            .parse()
            .unwrap()
    }

    /// The first `count` services, in spec order, of the releasing teams.
    fn releasing_services(&self, count: usize) -> Vec<String> {
        let spec = self.spec();
        let services: Vec<String> = spec["services"]
            .as_table()
            .unwrap()
            .iter()
            .filter(|(_, service)| RELEASING_TEAMS.contains(&service["team"].as_str().unwrap()))
            // `release` switches git-driven colours; Argo Rollouts services move by `version`.
            .filter(|(_, service)| service.get("strategy").is_none())
            .map(|(name, _)| name.clone())
            .take(count)
            .collect();
        assert_eq!(services.len(), count, "the starter spec has enough of them");
        services
    }

    /// Releases a new version of each service in dev, builds, and commits spec and tree.
    fn release_in_dev(&self, services: &[String]) {
        for service in services {
            fleetc(
                &self.checkout,
                &["release", service, "9.0.0", "--env", "dev"],
            );
        }
        self.build_and_commit("release ten services in dev");
    }

    fn build_and_commit(&self, message: &str) {
        fleetc(&self.checkout, &["build"]);
        git(&self.checkout, &["add", "--all"]);
        git(&self.checkout, &["commit", "--quiet", "--message", message]);
    }

    fn run_workflow(&self, review_secret: bool) -> Vec<StepRun> {
        self.run_labelled_workflow(review_secret, &[])
    }

    fn run_labelled_workflow(&self, review_secret: bool, labels: &[&str]) -> Vec<StepRun> {
        self.run_event(&PullRequestEvent {
            review_secret,
            labels,
            ..self.event("pull_request", AUTHOR)
        })
    }

    /// The event `name` on a pull request by `author` from this repository's branch
    /// `pull-request`, at the checkout's head, the secrets all stored.
    fn event<'a>(&self, name: &'a str, author: &'a str) -> PullRequestEvent<'a> {
        PullRequestEvent {
            name,
            base_ref: "main",
            author,
            head_ref: "pull-request",
            head_repository: fake_github::REPOSITORY,
            head_sha: git_output(&self.checkout, &["rev-parse", "HEAD"])
                .trim()
                .to_owned(),
            push_secret: true,
            review_secret: true,
            labels: &[],
        }
    }

    /// Runs the workflow on `event`: every job in the checkout, but the one that regenerates
    /// a bot's tree, which checks out the pull request's branch from origin afresh.
    fn run_event(&self, event: &PullRequestEvent<'_>) -> Vec<StepRun> {
        let version = env!("CARGO_PKG_VERSION");
        let cache = format!("Cache fleetc {version}");
        let install = format!("Install fleetc {version}");
        let fresh = tempfile::tempdir().unwrap();
        let checkout = |job: &str| {
            if job != "regenerate" {
                return self.checkout.clone();
            }
            let dir = fresh.path().join("branch");
            git(
                fresh.path(),
                &[
                    "clone",
                    "--quiet",
                    "--branch",
                    event.head_ref,
                    &self.origin.to_string_lossy(),
                    "branch",
                ],
            );
            dir
        };
        run_workflow(
            &self.checkout.join(".github/workflows/fleetc.yml"),
            &checkout,
            &self.bin,
            event,
            &[
                "Check out with full history",
                "Check out the pull request's branch",
                &cache,
                &install,
            ],
        )
    }

    /// The owners GitHub asks to review the pull request: everyone the CODEOWNERS of `main`
    /// gives a file the pull request adds, changes or deletes.
    fn required_owners(&self) -> BTreeSet<String> {
        let changed = git_output(
            &self.checkout,
            &["diff", "--name-only", "origin/main", "HEAD"],
        );
        let codeowners = git_output(
            &self.checkout,
            &["show", "origin/main:generated/CODEOWNERS"],
        );
        common::codeowners::required(&codeowners, changed.lines())
    }

    /// Who reviews a release of `services` in `env`: their teams and the environment's approvers.
    fn owners_of(&self, services: &[String], env: &str) -> BTreeSet<String> {
        let spec = self.spec();
        let strings = |value: &toml::Value| -> Vec<String> {
            value
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        };
        let mut owners = BTreeSet::new();
        for service in services {
            let team = spec["services"][service.as_str()]["team"].as_str().unwrap();
            owners.extend(strings(&spec["teams"][team]["owners"]));
        }
        if let Some(approvers) = spec["environments"][env].get("approvers") {
            owners.extend(strings(approvers));
        }
        owners
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} holds {from}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Exit code, stdout and stderr of a step that ran.
fn ran<'a>(runs: &'a [StepRun], name: &str) -> (i32, &'a str, &'a str) {
    let run = runs
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no step `{name}`"));
    match &run.outcome {
        Outcome::Ran {
            code,
            stdout,
            stderr,
        } => (*code, stdout, stderr),
        other => panic!("step `{name}` did not run: {other:?}"),
    }
}

/// Every step of the jobs a person's pull request runs ran: all but the regeneration, which
/// is for bots.
fn assert_every_step_ran(runs: &[StepRun]) {
    for run in runs {
        if run.job == "regenerate" {
            assert!(
                matches!(run.outcome, Outcome::Skipped),
                "a person's tree is not regenerated: {run:?}"
            );
            continue;
        }
        assert!(
            !matches!(run.outcome, Outcome::Skipped),
            "step `{}` was skipped",
            run.name
        );
    }
}

/// The Applications a preview comment names, in its table and in its sections.
fn applications_named(body: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let rows = Regex::new(r"(?m)^\| [^|]+ \| `([^`]+)` \|").unwrap();
    let sections = Regex::new(r"<summary><code>([^<]+)</code>").unwrap();
    let collect = |re: &Regex| {
        re.captures_iter(body)
            .map(|c| c[1].to_owned())
            .collect::<BTreeSet<_>>()
    };
    (collect(&rows), collect(&sections))
}

/// The services a blast-radius refusal names for `env`.
fn services_refused(stderr: &str, env: &str) -> BTreeSet<String> {
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: this change touches "))
        .collect();
    assert_eq!(lines.len(), 1, "one environment over the limit: {stderr}");
    let prefix = format!("more than --max-blast {MAX_BLAST}: ");
    assert!(
        lines[0].contains(&format!("services in `{env}`, ")),
        "{stderr}"
    );
    lines[0]
        .split_once(&prefix)
        .unwrap()
        .1
        .split(", ")
        .map(str::to_owned)
        .collect()
}

fn users_and_teams(owners: &BTreeSet<String>) -> (Vec<String>, Vec<String>) {
    let users = owners
        .iter()
        .filter(|o| !o.contains('/'))
        .map(|o| o.trim_start_matches('@').to_owned())
        .filter(|user| user != AUTHOR)
        .collect();
    let teams = owners
        .iter()
        .filter_map(|o| o.split_once('/'))
        .map(|(_, team)| team.to_owned())
        .collect();
    (users, teams)
}

#[test]
fn ten_releases_pass_the_check_trip_the_guard_and_reach_exactly_their_owners() {
    let estate = Estate::new();
    let released = estate.releasing_services(10);
    estate.release_in_dev(&released);
    let reviewer_note = estate.github.comment_as("carol", "Looks right to me.");

    let runs = estate.run_workflow(true);
    assert_every_step_ran(&runs);

    let (code, stdout, stderr) = ran(&runs, CHECK);
    assert_eq!((code, stdout), (0, "generated is up to date\n"), "{stderr}");

    let (code, stdout, stderr) = ran(&runs, GUARD);
    assert_eq!(code, 1, "{stderr}");
    let expected: BTreeSet<String> = released.iter().cloned().collect();
    assert_eq!(services_refused(stderr, "dev"), expected);
    assert!(
        stdout.contains("::error title=Blast radius::this change touches 10 services in `dev`"),
        "an annotation on the pull request: {stdout}"
    );

    let (code, _, stderr) = ran(&runs, PREVIEW);
    assert_eq!(code, 0, "{stderr}");
    let previews = estate.github.previews();
    assert_eq!(previews.len(), 1, "the preview fits one comment");
    let body = &previews[0].body;
    assert!(
        body.starts_with("<!-- fleetc preview -->\n### fleetc diff against `origin/main`\n"),
        "{body}"
    );
    // Each release changes its service's dev Application and nothing the environment shares:
    // the preview host reaches each idle colour through its service's own preview Service.
    let changed: BTreeSet<String> = released.iter().map(|s| format!("{s}-dev")).collect();
    assert_eq!(applications_named(body), (changed.clone(), changed));

    let (code, _, stderr) = ran(&runs, LABELS);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(estate.github.take_labels(), ["env:dev"]);

    let (code, stdout, stderr) = ran(&runs, REVIEWS);
    assert_eq!((code, stdout), (0, ""), "{stderr}");
    let required = estate.required_owners();
    assert_eq!(
        required,
        estate.owners_of(&released, "dev"),
        "the teams of the services alone: dev has no approvers"
    );
    let (users, teams) = users_and_teams(&required);
    assert_eq!(users, ["carol"], "the author is not asked to review");
    assert_eq!(estate.github.take_reviewers(), users);
    assert_eq!(estate.github.take_team_reviewers(), teams);
    assert!(
        teams.len() < 8,
        "teams that own nothing that changed are not asked"
    );

    for (token, call) in estate.github.take_calls() {
        // The approval job reads reviews and teams with the token that can read the teams.
        let expected = if call.contains("/requested_reviewers") || call.contains("/pulls/7/reviews")
        {
            REVIEW_TOKEN
        } else {
            WORKFLOW_TOKEN
        };
        assert_eq!(token, expected, "{call}");
    }
    assert_eq!(
        estate.github.comments()[0].id,
        reviewer_note,
        "other comments stay"
    );
}

#[test]
fn a_rerun_edits_the_preview_in_place_and_drops_the_parts_it_no_longer_needs() {
    let estate = Estate::new();
    let released = estate.releasing_services(10);
    estate.release_in_dev(&released);
    // Every service in every environment: a preview longer than one comment holds.
    edit(
        &estate.checkout.join("spec/enterprise.toml"),
        "port = 8080",
        "port = 8081",
    );
    estate.build_and_commit("serve on 8081");
    let quoted = estate.github.comment_as(
        "carol",
        "<!-- fleetc preview -->\nQuoting the preview: is 8081 right?",
    );

    // Without the secret, the workflow's token cannot ask teams: a warning, not a failure.
    let runs = estate.run_workflow(false);
    assert_every_step_ran(&runs);
    assert_eq!(ran(&runs, PREVIEW).0, 0, "{}", ran(&runs, PREVIEW).2);
    let first = estate.github.previews();
    assert_eq!(first.len(), 2, "two parts, one comment each");
    assert!(first[0].body.contains("\n_Continued in 1 more comment._\n"));
    assert!(first[1].body.starts_with(
        "<!-- fleetc preview -->\n### fleetc diff against `origin/main` (part 2 of 2)\n"
    ));
    for part in &first {
        assert!(part.body.chars().count() < 65_536, "fits a GitHub comment");
    }
    assert_eq!(
        estate.github.take_labels(),
        ["env:dev", "env:prod", "env:staging"]
    );
    let (code, stdout, stderr) = ran(&runs, REVIEWS);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("::warning title=Review requests::could not ask "),
        "{stdout}"
    );
    let (_, teams) = users_and_teams(&estate.required_owners());
    for team in &teams {
        assert!(
            stdout.contains(team.as_str()),
            "the warning names {team}: {stdout}"
        );
    }
    assert_eq!(estate.github.take_reviewers(), ["carol"]);
    assert!(estate.github.take_team_reviewers().is_empty());

    git(
        &estate.checkout,
        &["revert", "--no-edit", "--quiet", "HEAD"],
    );
    estate.github.take_calls();
    let runs = estate.run_workflow(false);
    assert_eq!(ran(&runs, CHECK).0, 0);
    let second = estate.github.previews();
    assert_eq!(second.len(), 1, "the part no longer needed is deleted");
    assert_eq!(
        second[0].id, first[0].id,
        "edited in place, not posted again"
    );
    assert_ne!(second[0].body, first[0].body);
    assert!(
        !second[0].body.contains("Continued in"),
        "{}",
        second[0].body
    );
    let calls = estate.github.take_calls();
    assert!(
        calls.iter().any(
            |(_, c)| c.ends_with(&format!("issues/comments/{}", first[1].id))
                && c.contains("--method DELETE")
        ),
        "{calls:?}"
    );
    let kept = &estate.github.comments()[0];
    assert_eq!(
        (kept.id, kept.login.as_str()),
        (quoted, "carol"),
        "a person's comment that looks like the preview is never touched"
    );
    assert_eq!(
        kept.body,
        "<!-- fleetc preview -->\nQuoting the preview: is 8081 right?"
    );
}

#[test]
fn a_pull_request_that_deploys_nothing_new_passes_every_step_and_asks_no_one() {
    let estate = Estate::new();
    let spec = estate.checkout.join("spec/enterprise.toml");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(&spec, format!("{text}\n# Reviewed by the platform team.\n")).unwrap();
    estate.build_and_commit("a note in the spec");

    let runs = estate.run_workflow(true);
    assert_every_step_ran(&runs);
    for run in &runs {
        if let Outcome::Ran { code, stderr, .. } = &run.outcome {
            assert_eq!(*code, 0, "step `{}`: {stderr}", run.name);
        }
    }
    let previews = estate.github.previews();
    assert_eq!(previews.len(), 1);
    assert!(
        previews[0]
            .body
            .contains("Nothing that Argo CD deploys changes."),
        "{}",
        previews[0].body
    );
    assert!(estate.github.take_labels().is_empty());
    assert!(estate.github.take_reviewers().is_empty());
    assert!(estate.github.take_team_reviewers().is_empty());
    let calls = estate.github.take_calls();
    assert!(
        calls
            .iter()
            .all(|(_, c)| !c.contains("/labels") && !c.contains("/requested_reviewers")),
        "{calls:?}"
    );
}

#[test]
fn deleting_an_application_fails_the_guard_until_the_pull_request_is_labelled_so() {
    let estate = Estate::new();
    let service = estate.releasing_services(1).remove(0);
    // The service leaves prod: its prod Application is deleted.
    edit(
        &estate.checkout.join("spec/enterprise.toml"),
        &format!("[services.{service}]\n"),
        &format!("[services.{service}]\nenvironments = [\"dev\", \"staging\"]\n"),
    );
    fleetc(&estate.checkout, &["build", "--allow-delete"]);
    git(&estate.checkout, &["add", "--all"]);
    git(
        &estate.checkout,
        &["commit", "--quiet", "--message", "leave prod"],
    );

    let runs = estate.run_workflow(true);
    let (code, stdout, stderr) = ran(&runs, GUARD);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let deleted = format!("{service}-prod");
    assert!(
        stdout.contains(&deleted) || stderr.contains(&deleted),
        "{stdout}{stderr}"
    );
    // Reviewers still read what the change deletes.
    assert_eq!(ran(&runs, PREVIEW).0, 0, "{}", ran(&runs, PREVIEW).2);
    let previews = estate.github.previews();
    assert!(previews[0].body.contains(&deleted), "{}", previews[0].body);

    let runs = estate.run_labelled_workflow(true, &["allow-delete"]);
    let (code, stdout, stderr) = ran(&runs, GUARD);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn a_governance_edit_by_command_is_previewed_the_same_way() {
    let estate = Estate::new();
    let pin = "v1.5.0@0123456789abcdef0123456789abcdef01234567";
    fleetc(
        &estate.checkout,
        &["pin-module", "eks", pin, "--env", "staging"],
    );
    estate.build_and_commit("eks v1.5.0 in staging");

    let runs = estate.run_workflow(true);
    assert_every_step_ran(&runs);
    assert_eq!(ran(&runs, CHECK).0, 0, "{}", ran(&runs, CHECK).2);
    let (code, stdout, stderr) = ran(&runs, GUARD);
    assert_eq!(code, 0, "no Application changes: {stdout}{stderr}");
    assert_eq!(ran(&runs, PREVIEW).0, 0, "{}", ran(&runs, PREVIEW).2);
    let previews = estate.github.previews();
    assert_eq!(previews.len(), 1);
    let body = &previews[0].body;
    assert!(
        body.contains("Terraform staging: module eks v1.4.0 → v1.5.0"),
        "{body}"
    );
    assert_eq!(
        applications_named(body),
        (BTreeSet::new(), BTreeSet::new()),
        "{body}"
    );
    let mut labels = estate.github.take_labels();
    labels.sort();
    assert_eq!(labels, ["env:staging", "terraform"]);
    // terraform/staging is the platform team's: staging names no approvers of its own.
    assert!(estate.github.take_reviewers().is_empty());
    assert_eq!(estate.github.take_team_reviewers(), ["platform"]);
}
