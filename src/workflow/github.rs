//! The workflow for GitHub Actions, filled in from one template.

use crate::source::DEFAULT_SPEC;
use crate::tree::DEFAULT_OUT;

const TEMPLATE: &str = include_str!("github.yml");

/// Where the workflow goes unless told otherwise, relative to the repository root.
pub(crate) const DEFAULT_PATH: &str = ".github/workflows/fleetc.yml";

pub(crate) const DEFAULT_MAX_BLAST: usize = 10;

/// The accounts whose pull requests get their tree regenerated unless told otherwise.
pub(crate) const DEFAULT_BOTS: &str = "renovate[bot],dependabot[bot]";

/// The approval job's name: the status check branch protection requires, so it never changes.
pub(crate) const APPROVAL_CHECK: &str = "fleetc approval";

/// How every workflow fleetc writes begins: a rewrite replaces such a file and no other.
const OWN_FIRST_LINE: &str = "# Written by `fleetc workflow github`";

/// What the workflow says, each path as the repository names it (see `repository_path`).
pub(crate) struct GithubWorkflow {
    pub spec: String,
    pub out: String,
    /// The workflow file itself, when it lies in the repository: a change to it runs it.
    pub path: Option<String>,
    pub max_blast: usize,
    /// A git repository to install fleetc from, at the tag of this version; crates.io when
    /// absent.
    pub install_from: Option<String>,
    /// The logins whose pull requests get their tree regenerated and pushed.
    pub bots: Vec<String>,
}

impl GithubWorkflow {
    pub(crate) fn text(&self) -> String {
        let fleetc = self.fleetc();
        // The spec's folder holds the files it includes and the files it lists (configuration
        // files, a service's own manifests): a change to any of them changes the tree.
        let spec = match self.spec.rsplit_once('/') {
            Some((folder, _)) => format!("{folder}/**"),
            None => self.spec.clone(),
        };
        let mut paths = vec![spec, format!("{}/**", self.out)];
        paths.extend(self.path.clone());
        let paths = serde_json::to_string(&paths)
            .expect("strings serialize")
            .replace("\",\"", "\", \"");
        TEMPLATE
            .replace("@version@", env!("CARGO_PKG_VERSION"))
            .replace("@command@", &self.command(&fleetc))
            .replace("@paths@", &paths)
            .replace("@fleetc@", &fleetc)
            .replace("@max_blast@", &self.max_blast.to_string())
            .replace("@install@", &self.install())
            .replace(
                "@bots_json@",
                &serde_json::to_string(&self.bots).expect("strings serialize"),
            )
            .replace("@out@", &self.out)
            .replace("@approval_check@", APPROVAL_CHECK)
    }

    /// `fleetc` with the global options the commands need, defaults left out.
    fn fleetc(&self) -> String {
        let mut fleetc = String::from("fleetc");
        if self.spec != DEFAULT_SPEC {
            fleetc.push_str(&format!(" --spec {}", self.spec));
        }
        if self.out != DEFAULT_OUT {
            fleetc.push_str(&format!(" --out {}", self.out));
        }
        fleetc
    }

    fn install(&self) -> String {
        let version = env!("CARGO_PKG_VERSION");
        match &self.install_from {
            Some(url) => format!("cargo install --locked --git {url} --tag v{version} fleetc"),
            None => format!("cargo install --locked --version {version} fleetc"),
        }
    }

    /// The command that writes this workflow again.
    fn command(&self, fleetc: &str) -> String {
        let mut command = format!("{fleetc} workflow github");
        if let Some(path) = self.path.as_deref().filter(|p| *p != DEFAULT_PATH) {
            command.push_str(&format!(" --to {path}"));
        }
        if self.max_blast != DEFAULT_MAX_BLAST {
            command.push_str(&format!(" --max-blast {}", self.max_blast));
        }
        if let Some(url) = &self.install_from {
            command.push_str(&format!(" --install-from {url}"));
        }
        let bots = self.bots.join(",");
        if bots != DEFAULT_BOTS {
            command.push_str(&format!(" --bots '{bots}'"));
        }
        command
    }
}

/// Why `url` cannot be written into the workflow's install command, if it cannot: it goes
/// into a shell line unquoted, so only the characters of plain git URLs are taken.
pub(crate) fn git_url_problem(url: &str) -> Option<&'static str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "._~:/@+-".contains(c);
    if !(url.starts_with("https://") || url.starts_with("ssh://") || url.starts_with("git@")) {
        return Some("is not a git URL: give an https://, ssh:// or git@ address");
    }
    if !url.chars().all(plain) {
        return Some(
            "holds characters a plain git URL does not (only letters, digits and `._~:/@+-`)",
        );
    }
    None
}

/// Why `login` cannot be written into the workflow as a bot's login, if it cannot: it goes
/// into an expression's string, so only the characters of GitHub logins and app names are
/// taken.
pub(crate) fn bot_problem(login: &str) -> Option<&'static str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_.[]".contains(c);
    if login.is_empty() || !login.chars().all(plain) {
        return Some("is not a GitHub login (letters, digits and `-_.[]` only)");
    }
    None
}

/// Whether `bytes` are a workflow fleetc wrote, which it may rewrite.
pub(crate) fn is_written_by_fleetc(bytes: &[u8]) -> bool {
    bytes.starts_with(OWN_FIRST_LINE.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fleetc_installs_from_crates_io_or_the_tag_of_its_version_in_a_git_repository() {
        let mut workflow = default_workflow();
        let version = env!("CARGO_PKG_VERSION");
        assert!(workflow.text().contains(&format!(
            "run: cargo install --locked --version {version} fleetc\n"
        )));
        workflow.install_from = Some("https://github.com/acme/fleetc.git".to_owned());
        let text = workflow.text();
        assert!(text.contains(&format!(
            "run: cargo install --locked --git https://github.com/acme/fleetc.git --tag v{version} fleetc\n"
        )));
        assert!(text.contains(
            "#   fleetc workflow github --install-from https://github.com/acme/fleetc.git\n"
        ));
    }

    #[test]
    fn only_plain_git_urls_reach_the_install_line() {
        assert_eq!(git_url_problem("https://github.com/acme/fleetc.git"), None);
        assert_eq!(git_url_problem("git@github.com:acme/fleetc.git"), None);
        assert!(git_url_problem("https://x/$(reboot)").is_some());
        assert!(git_url_problem("file:///tmp/fleetc").is_some());
        assert!(git_url_problem("https://x/a b").is_some());
    }

    fn workflow(spec: &str, out: &str, path: Option<&str>, max_blast: usize) -> String {
        GithubWorkflow {
            spec: spec.to_owned(),
            out: out.to_owned(),
            path: path.map(str::to_owned),
            max_blast,
            install_from: None,
            bots: default_bots(),
        }
        .text()
    }

    fn default_bots() -> Vec<String> {
        DEFAULT_BOTS.split(',').map(str::to_owned).collect()
    }

    /// The workflow `fleetc workflow github` writes with every option left at its default.
    fn default_workflow() -> GithubWorkflow {
        GithubWorkflow {
            spec: DEFAULT_SPEC.to_owned(),
            out: DEFAULT_OUT.to_owned(),
            path: Some(DEFAULT_PATH.to_owned()),
            max_blast: DEFAULT_MAX_BLAST,
            install_from: None,
            bots: default_bots(),
        }
    }

    #[test]
    fn bots_are_written_into_the_regenerate_job_and_its_command_line() {
        let mut workflow = default_workflow();
        let text = workflow.text();
        assert!(text.contains(
            "contains(fromJSON('[\"renovate[bot]\",\"dependabot[bot]\"]'), github.event.pull_request.user.login)"
        ));
        assert!(text.contains("\n#   fleetc workflow github\n"));
        workflow.bots = vec!["acme-deps[bot]".to_owned()];
        let text = workflow.text();
        assert!(text.contains("fromJSON('[\"acme-deps[bot]\"]')"));
        assert!(text.contains("\n#   fleetc workflow github --bots 'acme-deps[bot]'\n"));
    }

    #[test]
    fn only_plain_logins_are_bots() {
        assert_eq!(bot_problem("renovate[bot]"), None);
        assert!(bot_problem("x') || true || ('").is_some());
        assert!(bot_problem("").is_some());
    }

    #[test]
    fn every_placeholder_is_filled() {
        let text = workflow(DEFAULT_SPEC, DEFAULT_OUT, Some(DEFAULT_PATH), 10);
        let left = placeholders_left(&text);
        assert!(left.is_empty(), "unfilled: {left:?}");
        assert!(is_written_by_fleetc(text.as_bytes()));
    }

    /// `@name@` words left in the text (the template's placeholders are lower-case words).
    fn placeholders_left(text: &str) -> Vec<&str> {
        text.split('@')
            .skip(1)
            .step_by(2)
            .filter(|word| {
                !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            })
            .collect()
    }

    #[test]
    fn defaults_are_left_out_and_other_values_written_where_they_matter() {
        let default = workflow(DEFAULT_SPEC, DEFAULT_OUT, Some(DEFAULT_PATH), 10);
        assert!(default.contains("\n        run: fleetc check --format github\n"));
        assert!(default.contains("\n#   fleetc workflow github\n"));
        assert!(
            default.contains(
                "paths: [\"spec/**\", \"generated/**\", \".github/workflows/fleetc.yml\"]"
            )
        );

        let other = workflow("estate/fleet.toml", "tree", Some("ci/fleetc.yml"), 4);
        assert!(other.contains("\n        run: fleetc --spec estate/fleet.toml --out tree check"));
        assert!(other.contains(
            "fleetc --spec estate/fleet.toml --out tree diff --base \"$BASE\" --format github --max-blast 4 \"$@\"\n"
        ));
        assert!(other.contains(
            "\n#   fleetc --spec estate/fleet.toml --out tree workflow github --to ci/fleetc.yml --max-blast 4\n"
        ));
        assert!(other.contains("paths: [\"estate/**\", \"tree/**\", \"ci/fleetc.yml\"]"));
        assert!(
            !other.contains("fleetc diff"),
            "every command names the spec"
        );
    }

    #[test]
    fn a_workflow_outside_the_repository_is_not_a_path_filter() {
        let text = workflow(DEFAULT_SPEC, DEFAULT_OUT, None, 10);
        assert!(text.contains("paths: [\"spec/**\", \"generated/**\"]\n"));
    }

    #[test]
    fn no_expression_reaches_a_shell() {
        let text = workflow(DEFAULT_SPEC, DEFAULT_OUT, Some(DEFAULT_PATH), 10);
        let mut in_run = false;
        for line in text.lines() {
            let indent = line.len() - line.trim_start().len();
            if line.trim_start().starts_with("run:") {
                in_run = true;
                assert!(!line.contains("${{"), "{line}");
                continue;
            }
            if in_run && indent > 8 {
                assert!(!line.contains("${{"), "{line}");
            } else {
                in_run = false;
            }
        }
    }

    #[test]
    fn only_fleetc_s_own_workflow_is_its_own() {
        assert!(!is_written_by_fleetc(b"name: ci\n"));
        assert!(!is_written_by_fleetc(b"# fleetc\n"));
        assert!(!is_written_by_fleetc(b""));
    }
}
