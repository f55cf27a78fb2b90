//! GitHub as the workflow's steps see it through `gh`: a fake CLI on PATH over a folder that
//! holds the pull request's comments, labels and review requests.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

pub(super) const REPOSITORY: &str = "acme/gitops";
pub(super) const PR: &str = "7";
/// `github.token`: the workflow's own token, which cannot see an organisation's teams.
pub(super) const WORKFLOW_TOKEN: &str = "workflow-token";
/// The secret FLEETC_REVIEW_TOKEN, when the repository has one.
pub(super) const REVIEW_TOKEN: &str = "review-token";
/// The secret FLEETC_PUSH_TOKEN, when the repository has one.
pub(super) const PUSH_TOKEN: &str = "push-token";
const BOT: &str = "github-actions[bot]";

pub(super) struct FakeGithub {
    state: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Comment {
    pub id: u64,
    pub login: String,
    pub body: String,
}

impl FakeGithub {
    /// Puts `gh` into `bin` and keeps GitHub's state in `state`.
    pub(super) fn install(bin: &Path, state: &Path) -> Self {
        fs::create_dir_all(state.join("comments")).unwrap();
        fs::write(state.join("next-id"), "100\n").unwrap();
        let script = include_str!("fake_gh.sh")
            .replace("@STATE@", &shell_word(state))
            .replace("@REPOSITORY@", REPOSITORY)
            .replace("@PR@", PR)
            .replace("@WORKFLOW_TOKEN@", WORKFLOW_TOKEN);
        let gh = bin.join("gh");
        fs::write(&gh, script).unwrap();
        fs::set_permissions(&gh, fs::Permissions::from_mode(0o755)).unwrap();
        Self {
            state: state.to_path_buf(),
        }
    }

    /// A comment someone wrote on the pull request.
    pub(super) fn comment_as(&self, login: &str, body: &str) -> u64 {
        let next = self.state.join("next-id");
        let id: u64 = fs::read_to_string(&next).unwrap().trim().parse().unwrap();
        fs::write(&next, format!("{}\n", id + 1)).unwrap();
        let comments = self.state.join("comments");
        fs::write(comments.join(format!("{id}.body")), body).unwrap();
        fs::write(comments.join(format!("{id}.login")), format!("{login}\n")).unwrap();
        id
    }

    /// A review of the pull request's commit `commit` (APPROVED, CHANGES_REQUESTED,
    /// COMMENTED or DISMISSED), submitted after every earlier one, as GitHub lists it.
    pub(super) fn review(&self, login: &str, state: &str, commit: &str) {
        let path = self.state.join("reviews.json");
        let mut reviews: Vec<serde_json::Value> = fs::read_to_string(&path)
            .map(|text| serde_json::from_str(&text).unwrap())
            .unwrap_or_default();
        let id = 80 + reviews.len();
        reviews.push(serde_json::json!({
            "id": id,
            "node_id": format!("PRR_{id}"),
            "user": {"login": login, "id": id, "type": "User", "site_admin": false},
            "body": "",
            "state": state,
            "html_url": format!("https://github.com/{REPOSITORY}/pull/{PR}#pullrequestreview-{id}"),
            "author_association": "MEMBER",
            "submitted_at": format!("2026-12-07T10:{:02}:00Z", reviews.len()),
            "commit_id": commit,
        }));
        fs::write(path, serde_json::to_string(&reviews).unwrap()).unwrap();
    }

    /// The members of the team `@org/slug`, as GitHub lists them.
    pub(super) fn team(&self, org: &str, slug: &str, logins: &[&str]) {
        let dir = self.state.join("teams").join(org);
        fs::create_dir_all(&dir).unwrap();
        let members: Vec<serde_json::Value> = logins
            .iter()
            .enumerate()
            .map(|(id, login)| serde_json::json!({"login": login, "id": id, "type": "User", "site_admin": false}))
            .collect();
        fs::write(
            dir.join(format!("{slug}.json")),
            serde_json::to_string(&members).unwrap(),
        )
        .unwrap();
    }

    /// Every comment on the pull request, oldest first.
    pub(super) fn comments(&self) -> Vec<Comment> {
        let mut comments: Vec<Comment> = fs::read_dir(self.state.join("comments"))
            .unwrap()
            .filter_map(|entry| {
                let path = entry.unwrap().path();
                let id = path
                    .file_name()?
                    .to_str()?
                    .strip_suffix(".body")?
                    .parse()
                    .ok()?;
                Some(Comment {
                    id,
                    login: fs::read_to_string(path.with_extension("login"))
                        .unwrap()
                        .trim()
                        .to_owned(),
                    body: fs::read_to_string(&path).unwrap(),
                })
            })
            .collect();
        comments.sort_by_key(|c| c.id);
        comments
    }

    /// The comments the workflow posted.
    pub(super) fn previews(&self) -> Vec<Comment> {
        self.comments()
            .into_iter()
            .filter(|c| c.login == BOT)
            .collect()
    }

    /// What was asked of GitHub since the last time, each as (token, arguments); forgets it.
    pub(super) fn take_calls(&self) -> Vec<(String, String)> {
        self.take("calls")
            .into_iter()
            .map(|line| {
                let (token, args) = line.split_once('\t').unwrap();
                (token.to_owned(), args.to_owned())
            })
            .collect()
    }

    /// Labels added since the last time, sorted; forgets them.
    pub(super) fn take_labels(&self) -> Vec<String> {
        sorted(self.take("labels"))
    }

    /// Users whose review was requested since the last time, sorted; forgets them.
    pub(super) fn take_reviewers(&self) -> Vec<String> {
        sorted(self.take("reviewers"))
    }

    /// Teams (by slug) whose review was requested since the last time, sorted; forgets them.
    pub(super) fn take_team_reviewers(&self) -> Vec<String> {
        sorted(self.take("team_reviewers"))
    }

    fn take(&self, name: &str) -> Vec<String> {
        let path = self.state.join(name);
        let text = fs::read_to_string(&path).unwrap_or_default();
        let _ = fs::remove_file(path);
        text.lines().map(str::to_owned).collect()
    }
}

fn sorted(mut lines: Vec<String>) -> Vec<String> {
    lines.sort();
    lines
}

fn shell_word(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}
