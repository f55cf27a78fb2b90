//! Commits in a test's own git repository, made through git2 as the tester.

use git2::{Commit, IndexAddOption, Repository, Signature, Time};

/// Commits `paths` (files or folders of the working tree) on HEAD with `message`, at `at`
/// (RFC 3339: a history with chosen commit times) or now.
pub(crate) fn commit(repo: &Repository, paths: &[&str], message: &str, at: Option<&str>) {
    let mut index = repo.index().unwrap();
    index.add_all(paths, IndexAddOption::DEFAULT, None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let who = match at {
        Some(at) => {
            let seconds = at.parse::<jiff::Timestamp>().unwrap().as_second();
            Signature::new("Fleet Tester", "tester@example.com", &Time::new(seconds, 0))
        }
        None => Signature::now("Fleet Tester", "tester@example.com"),
    }
    .unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &who, &who, message, &tree, &parents)
        .unwrap();
}
