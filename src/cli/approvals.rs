use std::fs;
use std::path::Path;

use super::diff::Compared;
use super::run::{EXIT_BAD_INPUT, EXIT_NO, EXIT_OK, Outcome, Run};
use crate::review::approvals::{Requirement, Review, User, approving, decide, pages, teams_needed};

/// What `approvals` is asked: the pull request's reviews, or only the teams to list.
pub(super) struct ApprovalsAsk<'a> {
    pub base: &'a str,
    pub reviews: Option<&'a Path>,
    pub head: Option<&'a str>,
    pub author: Option<&'a str>,
    pub team_members: Option<&'a Path>,
    pub teams: bool,
}

impl Run<'_> {
    /// Exit 0 when every environment the change reaches, that names approvers, has an
    /// approval of the head from one of them; 1 naming those still waiting.
    pub(super) fn approvals(&self, ask: &ApprovalsAsk<'_>) -> Outcome {
        let compared = self.compared_with(ask.base)?;
        let requirements = requirements(&compared);
        if ask.teams {
            for (org, slug) in teams_needed(&requirements) {
                println!("{org}/{slug}");
            }
            return Ok(EXIT_OK);
        }
        let (Some(reviews), Some(head), Some(author)) = (ask.reviews, ask.head, ask.author) else {
            eprintln!("error: approvals takes --reviews, --head and --author (or --teams)");
            return Err(EXIT_BAD_INPUT);
        };
        let reviews: Vec<Review> = read_pages(reviews)?;
        let approving = approving(&reviews, head, author);
        let members = |org: &str, slug: &str| {
            let dir = ask.team_members.ok_or_else(|| {
                format!("`@{org}/{slug}` approves, and no --team-members lists its members")
            })?;
            let file = dir.join(org).join(format!("{slug}.json"));
            let text = fs::read_to_string(&file)
                .map_err(|error| format!("cannot read `{}`: {error}", file.display()))?;
            let users: Vec<User> = pages(&text)
                .map_err(|error| format!("`{}` is not a list of users: {error}", file.display()))?;
            Ok(users.into_iter().map(|user| user.login).collect())
        };
        let decision = decide(&requirements, &approving, members).map_err(|message| {
            eprintln!("error: {message}");
            EXIT_BAD_INPUT
        })?;
        if requirements.is_empty() {
            println!("the change reaches no environment that names approvers");
        }
        for (environment, login) in &decision.approved {
            println!("`{environment}` is approved by @{login}");
        }
        for waiting in &decision.waiting {
            let line = format!(
                "`{}` waits for an approval from {}",
                waiting.environment,
                waiting.approvers.join(" or ")
            );
            if self.github {
                println!("::error title=Approval::{line}");
            }
            eprintln!("error: {line}");
        }
        Ok(if decision.waiting.is_empty() {
            EXIT_OK
        } else {
            EXIT_NO
        })
    }
}

/// Every environment whose Applications change and that names approvers, with the approvers
/// the base names: a change cannot choose who approves it. An environment the change creates
/// takes those it names.
fn requirements(compared: &Compared) -> Vec<Requirement> {
    compared
        .impact
        .environments
        .iter()
        .filter(|env| !env.applications.is_empty())
        .filter_map(|env| {
            let model = compared
                .before
                .model
                .environment(&env.name)
                .or_else(|| compared.after.model.environment(&env.name))?;
            (!model.approvers.is_empty()).then(|| Requirement {
                environment: env.name.clone(),
                approvers: model.approvers.clone(),
            })
        })
        .collect()
}

fn read_pages<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, i32> {
    let text = fs::read_to_string(path).map_err(|error| {
        eprintln!("error: cannot read `{}`: {error}", path.display());
        EXIT_BAD_INPUT
    })?;
    pages(&text).map_err(|error| {
        eprintln!(
            "error: `{}` is not a list of reviews as GitHub returns it: {error}",
            path.display()
        );
        EXIT_BAD_INPUT
    })
}
