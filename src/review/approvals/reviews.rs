//! Who approved a pull request's head, from its reviews as GitHub lists them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// One review as `GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews` returns it.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Review {
    /// `null` for a reviewer whose account was deleted.
    pub user: Option<User>,
    pub state: String,
    /// Absent while a review is pending.
    pub submitted_at: Option<String>,
    pub commit_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct User {
    pub login: String,
}

/// The values of every JSON array in `text`, one after another: `gh api --paginate` prints
/// one array per page.
pub(crate) fn pages<T: serde::de::DeserializeOwned>(text: &str) -> Result<Vec<T>, String> {
    let mut items = Vec::new();
    for page in serde_json::Deserializer::from_str(text).into_iter::<Vec<T>>() {
        items.extend(page.map_err(|error| error.to_string())?);
    }
    Ok(items)
}

/// The reviewers (lower-cased logins) whose latest say on the pull request approves the
/// commit `head`. A comment changes nobody's say; a later request for changes or a dismissal
/// withdraws an approval; an approval of an earlier commit approves what was there then, not
/// what will be merged. The author's review never counts.
pub(crate) fn approving(reviews: &[Review], head: &str, author: &str) -> BTreeSet<String> {
    let mut submitted: Vec<&Review> = reviews
        .iter()
        .filter(|r| r.submitted_at.is_some() && r.state != "PENDING" && r.state != "COMMENTED")
        .collect();
    // RFC 3339 times in UTC, as GitHub writes them, sort as text; GitHub lists reviews
    // oldest first already, and the stable sort keeps that order among equals.
    submitted.sort_by(|a, b| a.submitted_at.cmp(&b.submitted_at));
    let mut latest: BTreeMap<String, &Review> = BTreeMap::new();
    for review in submitted {
        if let Some(user) = &review.user {
            latest.insert(user.login.to_ascii_lowercase(), review);
        }
    }
    let author = author.to_ascii_lowercase();
    latest
        .into_iter()
        .filter(|(login, review)| {
            *login != author
                && review.state == "APPROVED"
                && review.commit_id.as_deref() == Some(head)
        })
        .map(|(login, _)| login)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(login: &str, state: &str, at: &str, commit: &str) -> Review {
        Review {
            user: Some(User {
                login: login.to_owned(),
            }),
            state: state.to_owned(),
            submitted_at: Some(at.to_owned()),
            commit_id: Some(commit.to_owned()),
        }
    }

    #[test]
    fn a_reviewer_s_latest_say_counts_and_a_comment_is_no_say() {
        let reviews = [
            review("erin", "APPROVED", "2026-01-01T10:00:00Z", "head"),
            review("erin", "COMMENTED", "2026-01-01T11:00:00Z", "head"),
            review("frank", "APPROVED", "2026-01-01T10:00:00Z", "head"),
            review("frank", "CHANGES_REQUESTED", "2026-01-01T11:00:00Z", "head"),
            review("grace", "CHANGES_REQUESTED", "2026-01-01T10:00:00Z", "head"),
            review("grace", "APPROVED", "2026-01-01T11:00:00Z", "head"),
            review("heidi", "APPROVED", "2026-01-01T10:00:00Z", "head"),
            review("heidi", "DISMISSED", "2026-01-01T11:00:00Z", "head"),
        ];
        assert_eq!(
            approving(&reviews, "head", "dave"),
            BTreeSet::from(["erin".to_owned(), "grace".to_owned()])
        );
    }

    #[test]
    fn order_is_by_submission_time_not_by_place_in_the_list() {
        let reviews = [
            review("erin", "APPROVED", "2026-01-02T10:00:00Z", "head"),
            review("erin", "CHANGES_REQUESTED", "2026-01-01T10:00:00Z", "head"),
        ];
        assert_eq!(approving(&reviews, "head", "dave").len(), 1);
    }

    #[test]
    fn an_approval_of_an_earlier_commit_does_not_approve_the_head() {
        let reviews = [review("erin", "APPROVED", "2026-01-01T10:00:00Z", "older")];
        assert!(approving(&reviews, "head", "dave").is_empty());
    }

    #[test]
    fn the_author_never_approves_their_own_change() {
        let reviews = [review("Dave", "APPROVED", "2026-01-01T10:00:00Z", "head")];
        assert!(approving(&reviews, "head", "dave").is_empty());
    }

    #[test]
    fn pending_reviews_and_deleted_accounts_say_nothing() {
        let mut pending = review("erin", "PENDING", "", "head");
        pending.submitted_at = None;
        let mut ghost = review("x", "APPROVED", "2026-01-01T10:00:00Z", "head");
        ghost.user = None;
        assert!(approving(&[pending, ghost], "head", "dave").is_empty());
    }

    #[test]
    fn paginated_output_is_one_list() {
        let text = r#"[{"user":{"login":"a"},"state":"APPROVED","submitted_at":"t","commit_id":"h"}]
[{"user":{"login":"b"},"state":"COMMENTED","submitted_at":"t","commit_id":"h"}]"#;
        let reviews: Vec<Review> = pages(text).unwrap();
        assert_eq!(reviews.len(), 2);
        assert!(pages::<Review>("[{").is_err());
        assert!(pages::<Review>("{}").is_err());
    }
}
