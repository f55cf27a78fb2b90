//! The required approval check: an environment the change reaches that names approvers waits
//! for one of them, whatever paths the change touched.

use super::*;

const APPROVAL: &str = "Every environment the change reaches is approved by its approvers";

impl Estate {
    /// The identity team's change to a setting of its service `users` that every environment
    /// renders, production included; prod's approvers are `@acme/platform` and `@acme/sre`.
    fn change_users_everywhere(&self) {
        edit(
            &self.checkout.join("spec/enterprise.toml"),
            "[services.users]\nteam = \"identity\"\n",
            "[services.users]\nteam = \"identity\"\nresources = { cpu = \"500m\", memory = \"512Mi\" }\n",
        );
        self.build_and_commit("users get more room");
    }

    fn head(&self) -> String {
        git_output(&self.checkout, &["rev-parse", "HEAD"])
            .trim()
            .to_owned()
    }

    /// The approval step of the run a review starts, which checks the tree again and writes
    /// nothing to the pull request.
    fn approval_on_review(&self) -> (i32, String, String) {
        self.github.take_calls();
        let runs = self.run_event(&self.event("pull_request_review", AUTHOR));
        for step in [PREVIEW, LABELS, REVIEWS] {
            let run = runs.iter().find(|r| r.name == step).unwrap();
            assert!(matches!(run.outcome, Outcome::Skipped), "{run:?}");
        }
        assert_eq!(ran(&runs, CHECK).0, 0, "the check reports on a review too");
        let calls = self.github.take_calls();
        assert!(
            calls.iter().all(|(_, call)| !call.contains("--method")),
            "a review only reads: {calls:?}"
        );
        let (code, stdout, stderr) = ran(&runs, APPROVAL);
        (code, stdout.to_owned(), stderr.to_owned())
    }
}

#[test]
fn a_change_production_renders_waits_for_a_production_approver_and_passes_once_one_approves() {
    let estate = Estate::new();
    estate.github.team("acme", "sre", &["erin", AUTHOR]);
    estate.github.team("acme", "platform", &["paul"]);
    estate.change_users_everywhere();
    let head = estate.head();

    let runs = estate.run_workflow(true);
    let (code, stdout, stderr) = ran(&runs, APPROVAL);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("error: `prod` waits for an approval from @acme/platform or @acme/sre"),
        "{stderr}"
    );
    assert!(
        stdout.contains("::error title=Approval::`prod` waits for an approval from "),
        "an annotation on the pull request: {stdout}"
    );
    assert_eq!(
        stderr.matches("waits for").count(),
        1,
        "dev and staging name no approvers: {stderr}"
    );

    // The author is in the sre team, and still cannot approve their own change; a person
    // outside the approvers, and an approver's approval of an earlier commit, do not count.
    estate.github.review(AUTHOR, "APPROVED", &head);
    estate.github.review("carol", "APPROVED", &head);
    estate.github.review(
        "erin",
        "APPROVED",
        "0000000000000000000000000000000000000000",
    );
    let (code, _, stderr) = estate.approval_on_review();
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("`prod` waits for"), "{stderr}");

    estate.github.review("erin", "APPROVED", &head);
    let (code, stdout, stderr) = estate.approval_on_review();
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "`prod` is approved by @erin\n");

    // A request for changes after the approval withdraws it.
    estate.github.review("erin", "CHANGES_REQUESTED", &head);
    let runs = estate.run_event(&estate.event("pull_request_review", AUTHOR));
    assert_eq!(ran(&runs, APPROVAL).0, 1);
    let calls = estate.github.take_calls();
    assert!(
        calls
            .iter()
            .any(|(_, call)| call.contains("orgs/acme/teams/sre/members"))
    );
    for (token, call) in calls {
        assert_eq!(
            token, REVIEW_TOKEN,
            "members and reviews with the team token: {call}"
        );
    }
}

#[test]
fn a_dev_only_change_passes_the_approval_with_no_review() {
    let estate = Estate::new();
    let service = estate.releasing_services(1);
    estate.release_in_dev(&service);

    let runs = estate.run_workflow(true);
    let (code, stdout, stderr) = ran(&runs, APPROVAL);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "the change reaches no environment that names approvers\n"
    );
    let calls = estate.github.take_calls();
    assert!(
        calls.iter().all(|(_, c)| !c.contains("/members")),
        "no team is asked for: {calls:?}"
    );
}

#[test]
fn a_change_cannot_name_its_own_approver() {
    let estate = Estate::new();
    estate.github.team("acme", "sre", &["erin"]);
    estate.github.team("acme", "platform", &["paul"]);
    edit(
        &estate.checkout.join("spec/enterprise.toml"),
        "approvers = [\"@acme/platform\", \"@acme/sre\"]",
        "approvers = [\"@acme/platform\", \"@acme/sre\", \"@carol\"]",
    );
    estate.change_users_everywhere();
    estate.github.review("carol", "APPROVED", &estate.head());

    let runs = estate.run_workflow(true);
    let (code, _, stderr) = ran(&runs, APPROVAL);
    assert_eq!(code, 1, "the approvers of main decide: {stderr}");
    assert!(
        stderr.contains("`prod` waits for an approval from @acme/platform or @acme/sre\n"),
        "{stderr}"
    );
}
