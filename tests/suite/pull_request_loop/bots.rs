//! A bot's pull request that bumps a pin in the spec alone: the workflow builds the tree and
//! pushes it to the bot's branch, and the run on that push checks a consistent tree.

use super::*;

const REGENERATE: &str = "Regenerate the tree and push it to the pull request's branch";
const PUSH_TOKEN_STORED: &str = "A token whose pushes start workflows is stored";
const BOT: &str = "renovate[bot]";
const BRANCH: &str = "pull-request";

impl Estate {
    /// What Renovate pushes: the module pin bumped in the spec, the tree left as it was.
    fn bump_pin_in_the_spec_alone(&self) {
        let pin = "v1.5.0@0123456789abcdef0123456789abcdef01234567";
        fleetc(
            &self.checkout,
            &["pin-module", "eks", pin, "--env", "staging"],
        );
        let changed = git_output(&self.checkout, &["status", "--porcelain"]);
        assert_eq!(changed, " M spec/enterprise.toml\n", "the spec alone");
        git(
            &self.checkout,
            &["commit", "--quiet", "--all", "-m", "Update eks to v1.5.0"],
        );
        git(&self.checkout, &["push", "--quiet", "origin", BRANCH]);
    }

    /// The head of the pull request's branch on origin.
    fn origin_head(&self) -> String {
        git_output(
            &self.origin,
            &["rev-parse", &format!("refs/heads/{BRANCH}")],
        )
        .trim()
        .to_owned()
    }
}

fn skipped(runs: &[StepRun], job: &str) -> bool {
    runs.iter()
        .filter(|r| r.job == job)
        .all(|r| matches!(r.outcome, Outcome::Skipped))
}

#[test]
fn a_bot_s_pin_bump_gets_its_tree_regenerated_and_pushed_and_the_next_run_passes_the_check() {
    let estate = Estate::new();
    estate.bump_pin_in_the_spec_alone();
    let bumped = estate.origin_head();

    let runs = estate.run_event(&estate.event("pull_request", BOT));
    let (code, stdout, stderr) = ran(&runs, REGENERATE);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        skipped(&runs, "review") && skipped(&runs, "approval"),
        "the run that pushed judges no stale tree: {runs:#?}"
    );

    let pushed = estate.origin_head();
    assert_ne!(pushed, bumped, "a commit was pushed to the branch");
    let parent = git_output(&estate.origin, &["rev-parse", &format!("{pushed}^")]);
    assert_eq!(parent.trim(), bumped, "on top of the bot's commit");
    let version = env!("CARGO_PKG_VERSION");
    let message = git_output(&estate.origin, &["log", "-1", "--format=%s", &pushed]);
    assert_eq!(
        message.trim(),
        format!("Regenerate generated with fleetc {version}")
    );
    let files = git_output(&estate.origin, &["diff", "--name-only", &bumped, &pushed]);
    assert!(
        !files.is_empty() && files.lines().all(|f| f.starts_with("generated/")),
        "the tree alone: {files}"
    );

    // The push starts the workflow again, on the regenerated head.
    git(
        &estate.checkout,
        &["pull", "--quiet", "--ff-only", "origin", BRANCH],
    );
    let runs = estate.run_event(&estate.event("pull_request", BOT));
    let (code, stdout, _) = ran(&runs, REGENERATE);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("what the spec compiles to already"),
        "{stdout}"
    );
    assert_eq!(estate.origin_head(), pushed, "nothing more to push");
    let (code, stdout, stderr) = ran(&runs, CHECK);
    assert_eq!((code, stdout), (0, "generated is up to date\n"), "{stderr}");
}

#[test]
fn a_person_s_pull_request_is_not_regenerated_and_its_stale_tree_fails_the_check() {
    let estate = Estate::new();
    estate.bump_pin_in_the_spec_alone();
    let bumped = estate.origin_head();

    let runs = estate.run_event(&estate.event("pull_request", AUTHOR));
    assert!(skipped(&runs, "regenerate"), "{runs:#?}");
    assert_eq!(estate.origin_head(), bumped, "nothing pushed");
    let (code, stdout, _) = ran(&runs, CHECK);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("::error"),
        "an annotation names the stale tree: {stdout}"
    );
}

#[test]
fn a_bot_s_branch_in_a_fork_or_without_a_push_token_is_not_regenerated() {
    let estate = Estate::new();
    estate.bump_pin_in_the_spec_alone();
    let bumped = estate.origin_head();

    let fork = PullRequestEvent {
        head_repository: "someone/gitops",
        ..estate.event("pull_request", BOT)
    };
    let runs = estate.run_event(&fork);
    assert!(
        skipped(&runs, "regenerate"),
        "a fork's branch cannot be pushed to"
    );
    assert_eq!(ran(&runs, CHECK).0, 1);

    let no_token = PullRequestEvent {
        push_secret: false,
        ..estate.event("pull_request", BOT)
    };
    let runs = estate.run_event(&no_token);
    let (code, stdout, _) = ran(&runs, PUSH_TOKEN_STORED);
    assert_eq!(code, 1);
    assert!(stdout.contains("FLEETC_PUSH_TOKEN"), "{stdout}");
    assert!(
        runs.iter()
            .any(|r| r.name == REGENERATE && matches!(r.outcome, Outcome::Skipped)),
        "nothing pushed with a token whose push would start no workflow"
    );
    assert_eq!(estate.origin_head(), bumped);
    assert_eq!(ran(&runs, CHECK).0, 1, "the stale tree fails, visibly");
}
