//! Production approval by what a change renders: every environment whose Applications the
//! change touches waits for one of its approvers, a user by login or a team by any member.

mod reviews;

use std::collections::BTreeSet;

pub(crate) use reviews::{Review, User, approving, pages};

/// An environment the change reaches and who may approve it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Requirement {
    pub environment: String,
    pub approvers: Vec<String>,
}

/// One entry of an environment's `approvers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Approver<'a> {
    User(&'a str),
    Team {
        org: &'a str,
        slug: &'a str,
    },
    /// An e-mail address: GitHub has no review by one, so it approves nothing here.
    Other,
}

impl<'a> Approver<'a> {
    pub(crate) fn parse(text: &'a str) -> Self {
        match text.strip_prefix('@').map(|name| name.split_once('/')) {
            Some(Some((org, slug))) => Approver::Team { org, slug },
            Some(None) => Approver::User(&text[1..]),
            None => Approver::Other,
        }
    }
}

/// Whether each environment is approved, in the order of the requirements.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Decision {
    /// (environment, the login that approved it)
    pub approved: Vec<(String, String)>,
    /// The environments still waiting, with their approvers.
    pub waiting: Vec<Requirement>,
}

/// The teams (org, slug) whose members could approve one of `requirements`.
pub(crate) fn teams_needed(requirements: &[Requirement]) -> Vec<(String, String)> {
    let mut teams = BTreeSet::new();
    for approver in requirements.iter().flat_map(|r| &r.approvers) {
        if let Approver::Team { org, slug } = Approver::parse(approver) {
            teams.insert((org.to_owned(), slug.to_owned()));
        }
    }
    teams.into_iter().collect()
}

/// Decides each requirement from the approving logins (lower-cased) and the members of a
/// team, as `members(org, slug)` lists their logins.
pub(crate) fn decide(
    requirements: &[Requirement],
    approving: &BTreeSet<String>,
    mut members: impl FnMut(&str, &str) -> Result<Vec<String>, String>,
) -> Result<Decision, String> {
    let mut decision = Decision::default();
    for requirement in requirements {
        let mut by = None;
        for approver in &requirement.approvers {
            by = match Approver::parse(approver) {
                Approver::User(login) => approving.get(&login.to_ascii_lowercase()).cloned(),
                Approver::Team { org, slug } => members(org, slug)?
                    .into_iter()
                    .map(|login| login.to_ascii_lowercase())
                    .find(|login| approving.contains(login)),
                Approver::Other => None,
            };
            if by.is_some() {
                break;
            }
        }
        match by {
            Some(login) => decision
                .approved
                .push((requirement.environment.clone(), login)),
            None => decision.waiting.push(requirement.clone()),
        }
    }
    Ok(decision)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prod() -> Requirement {
        Requirement {
            environment: "prod".to_owned(),
            approvers: vec!["@acme/sre".to_owned(), "@Olivia".to_owned()],
        }
    }

    fn logins(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(ToString::to_string).collect()
    }

    #[allow(clippy::unnecessary_wraps)]
    fn sre(org: &str, slug: &str) -> Result<Vec<String>, String> {
        assert_eq!((org, slug), ("acme", "sre"));
        Ok(vec!["Erin".to_owned(), "frank".to_owned()])
    }

    #[test]
    fn a_member_of_an_approving_team_approves() {
        let decision = decide(&[prod()], &logins(&["erin"]), sre).unwrap();
        assert_eq!(decision.approved, [("prod".to_owned(), "erin".to_owned())]);
        assert!(decision.waiting.is_empty());
    }

    #[test]
    fn a_user_approver_approves_by_login() {
        let decision = decide(&[prod()], &logins(&["olivia"]), sre).unwrap();
        assert_eq!(
            decision.approved,
            [("prod".to_owned(), "olivia".to_owned())]
        );
    }

    #[test]
    fn someone_outside_the_approvers_approves_nothing() {
        let decision = decide(&[prod()], &logins(&["mallory"]), sre).unwrap();
        assert_eq!(decision.waiting, [prod()]);
    }

    #[test]
    fn an_unreadable_team_is_an_error_not_a_refusal() {
        let unreadable = |_: &str, _: &str| Err("no file".to_owned());
        assert!(decide(&[prod()], &logins(&["mallory"]), unreadable).is_err());
    }

    #[test]
    fn approvers_are_users_teams_or_neither() {
        assert_eq!(Approver::parse("@dave"), Approver::User("dave"));
        assert_eq!(
            Approver::parse("@acme/sre"),
            Approver::Team {
                org: "acme",
                slug: "sre"
            }
        );
        assert_eq!(Approver::parse("sre@acme.example"), Approver::Other);
        assert_eq!(
            teams_needed(&[prod(), prod()]),
            [("acme".to_owned(), "sre".to_owned())]
        );
    }
}
