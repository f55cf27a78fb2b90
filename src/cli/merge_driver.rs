use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::run::{EXIT_BAD_INPUT, EXIT_NO, EXIT_OK, Outcome, Run};
use crate::merge::install::{DRIVER, from_root, with_attributes};
use crate::merge::spec_merge::{LABELS, merge_toml};
use crate::merge::text_merge::merge_lines;
use crate::merge::tree_merge::{MergeCommits, Unmerged, merged_file};
use crate::sink::user_file::replace_user_file;
use crate::source::display_path;
use crate::source::includes::include_patterns;

/// The line by which fleetc knows its own post-merge hook.
const HOOK_LINE: &str = "# Written by `fleetc merge-driver install`: each merge commit holds the tree its merged spec compiles to.";

impl Run<'_> {
    /// Merges one file as git asks a merge driver to (`%O %A %B %P`): the result goes into
    /// OURS; exit 0 when it merged, 1 when it conflicts (OURS then holds git's markers).
    pub(super) fn merge_driver(
        &self,
        base: &Path,
        ours: &Path,
        theirs: &Path,
        path: &str,
    ) -> Outcome {
        let read = |file: &Path| {
            std::fs::read(file).map_err(|e| {
                eprintln!("error: cannot read {}: {e}", file.display());
                EXIT_BAD_INPUT
            })
        };
        let (o, a, b) = (read(base)?, read(ours)?, read(theirs)?);
        let write = |bytes: &[u8]| {
            std::fs::write(ours, bytes).map_err(|e| {
                eprintln!("error: cannot write {}: {e}", ours.display());
                EXIT_BAD_INPUT
            })
        };
        let lines = |why: &str| -> Outcome {
            let merged = merge_lines(&o, &a, &b, LABELS).map_err(|e| {
                eprintln!("error: {e}");
                EXIT_BAD_INPUT
            })?;
            write(&merged.text)?;
            if merged.conflicts {
                eprintln!("fleetc: {path}: {why}");
                Ok(EXIT_NO)
            } else {
                Ok(EXIT_OK)
            }
        };
        if let Some(relative) = self.in_tree(path) {
            return match self.regenerated(&relative) {
                Ok(Some(bytes)) => write(&bytes).map(|()| EXIT_OK),
                Ok(None) => {
                    eprintln!("fleetc: {path}: the merged spec no longer generates it");
                    Ok(EXIT_NO)
                }
                // Git stops at the spec's own conflict; the tree waits for its resolution
                // (`fleetc build`), kept as ours rather than marked line by line.
                Err(Unmerged::SpecConflict(_)) => Ok(EXIT_OK),
                Err(Unmerged::Failed(why)) => {
                    eprintln!("fleetc: {path}: kept as ours, not regenerated: {why}");
                    Ok(EXIT_NO)
                }
            };
        }
        let (Ok(o), Ok(a), Ok(b)) = (
            String::from_utf8(o.clone()),
            String::from_utf8(a.clone()),
            String::from_utf8(b.clone()),
        ) else {
            return lines("not UTF-8 text");
        };
        match merge_toml(&o, &a, &b) {
            Ok(Ok(text)) => write(text.as_bytes()).map(|()| EXIT_OK),
            Ok(Err(keys)) => lines(&format!("both sides change {}", keys.join(", "))),
            Err(why) => lines(&why),
        }
    }

    /// `path` (from the repository's root) relative to the tree, when it is in the tree.
    fn in_tree(&self, path: &str) -> Option<String> {
        let out = self.out.to_string_lossy();
        let out = out.trim_start_matches("./").trim_end_matches('/');
        if out.is_empty() || out == "." {
            return Some(path.to_owned());
        }
        path.strip_prefix(out)?.strip_prefix('/').map(str::to_owned)
    }

    /// The file of the tree the merged spec compiles to.
    fn regenerated(&self, relative: &str) -> Result<Option<Vec<u8>>, Unmerged> {
        let repo = git2::Repository::discover(".")
            .map_err(|e| Unmerged::Failed(e.message().to_owned()))?;
        let commits = MergeCommits::of_running_merge(&repo).map_err(Unmerged::Failed)?;
        merged_file(
            &repo,
            &commits,
            (self.spec, self.out),
            self.options(),
            relative,
        )
    }

    /// Names the driver in the repository's git configuration and gives it the spec's files
    /// and the tree in `.gitattributes`.
    pub(super) fn install_merge_driver(&self) -> Outcome {
        let fail = |message: String| {
            eprintln!("error: {message}; nothing was written");
            EXIT_BAD_INPUT
        };
        let repo = git2::Repository::discover(".").map_err(|e| fail(e.message().to_owned()))?;
        let workdir = repo
            .workdir()
            .ok_or_else(|| fail("the repository has no working tree".to_owned()))?
            .to_path_buf();
        let spec = from_root(&workdir, self.spec).ok_or_else(|| {
            fail(format!(
                "`{}` is outside the repository",
                display_path(self.spec)
            ))
        })?;
        let out = from_root(&workdir, self.out).ok_or_else(|| {
            fail(format!(
                "`{}` is outside the repository",
                display_path(self.out)
            ))
        })?;
        let source = self.source()?;
        let folder = spec.rsplit_once('/').map_or("", |(folder, _)| folder);
        let in_folder = |pattern: &str| {
            if folder.is_empty() {
                pattern.to_owned()
            } else {
                format!("{folder}/{pattern}")
            }
        };
        let mut patterns = vec![spec.clone()];
        patterns.extend(
            include_patterns(&source.text)
                .into_iter()
                .map(|(p, _)| in_folder(&p)),
        );
        let mut command = String::from("fleetc");
        if spec != crate::source::DEFAULT_SPEC {
            command.push_str(&format!(" --spec {spec}"));
        }
        if out != crate::tree::DEFAULT_OUT {
            command.push_str(&format!(
                " --out {}",
                if out.is_empty() { "." } else { &out }
            ));
        }
        let driver = format!("{command} merge-driver %O %A %B %P");
        let mut config = repo
            .config()
            .and_then(|c| c.open_level(git2::ConfigLevel::Local))
            .map_err(|e| fail(e.message().to_owned()))?;
        config
            .set_str(
                &format!("merge.{DRIVER}.name"),
                "fleetc: the spec merges by key, the tree is regenerated",
            )
            .and_then(|()| config.set_str(&format!("merge.{DRIVER}.driver"), &driver))
            .map_err(|e| fail(e.message().to_owned()))?;
        let hook = Self::install_post_merge_hook(&repo, &command);
        let attributes = workdir.join(".gitattributes");
        let existing = std::fs::read_to_string(&attributes).unwrap_or_default();
        let text = with_attributes(&existing, &patterns, &out);
        if text != existing {
            replace_user_file(&attributes, text.as_bytes()).map_err(|e| fail(e.to_string()))?;
        }
        println!(
            "merge driver `{DRIVER}` installed: `{driver}` in the repository's git config; {} gives it {} and {}",
            display_path(&attributes),
            patterns.join(", "),
            if out.is_empty() {
                "the tree".to_owned()
            } else {
                format!("{out}/")
            }
        );
        match hook {
            Ok(path) => println!(
                "{} rebuilds the tree of every merge commit",
                display_path(&path)
            ),
            Err(message) => eprintln!("warning: {message}"),
        }
        Ok(EXIT_OK)
    }

    /// Writes the post-merge hook (unless another one is there): git takes a file only one
    /// side changed as that side wrote it, so a merge's tree is rebuilt once it is made.
    fn install_post_merge_hook(
        repo: &git2::Repository,
        command: &str,
    ) -> Result<std::path::PathBuf, String> {
        let hooks = repo
            .config()
            .ok()
            .and_then(|config| config.get_path("core.hooksPath").ok())
            .map_or_else(
                || repo.path().join("hooks"),
                |path| repo.workdir().unwrap_or(repo.path()).join(path),
            );
        let hook = hooks.join("post-merge");
        let text =
            format!("#!/bin/sh\n{HOOK_LINE}\nexec {command} merge-driver post-merge \"$@\"\n");
        match std::fs::read_to_string(&hook) {
            Ok(existing) if !existing.contains(HOOK_LINE) => {
                return Err(format!(
                    "{} is another hook; add `{command} merge-driver post-merge \"$@\"` to it, so each merge's tree is rebuilt",
                    display_path(&hook)
                ));
            }
            _ => {}
        }
        std::fs::create_dir_all(&hooks).map_err(|e| e.to_string())?;
        std::fs::write(&hook, text)
            .map_err(|e| format!("cannot write {}: {e}", display_path(&hook)))?;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| e.to_string())?;
        Ok(hook)
    }

    /// After a merge: rebuilds the tree from the merged spec, and when it changed, puts the
    /// rebuilt tree in the merge commit (a squash merge, which makes no commit, only builds).
    pub(super) fn after_merge(&self, squash: bool) -> Outcome {
        let code = self.build(false, true)?;
        if squash || code != EXIT_OK {
            return Ok(code);
        }
        let repo = git2::Repository::discover(".").map_err(|e| {
            eprintln!("error: {}", e.message());
            EXIT_BAD_INPUT
        })?;
        let Some(head) = repo.head().ok().and_then(|h| h.peel_to_commit().ok()) else {
            return Ok(EXIT_OK);
        };
        if head.parent_count() < 2 || !made_here(&repo, head.id()) {
            return Ok(EXIT_OK);
        }
        // Git still counts itself in the merge while the hook runs and refuses `commit
        // --amend`, so the merge commit is remade here with the rebuilt tree.
        let amended = (|| -> Result<bool, git2::Error> {
            let mut index = repo.index()?;
            let out = self.out.display().to_string();
            index.add_all([&out], git2::IndexAddOption::DEFAULT, None)?;
            index.update_all([&out], None)?;
            index.write()?;
            let tree = repo.find_tree(index.write_tree()?)?;
            if tree.id() == head.tree_id() {
                return Ok(false);
            }
            head.amend(Some("HEAD"), None, None, None, None, Some(&tree))?;
            Ok(true)
        })();
        match amended {
            Ok(true) => {
                println!("the merge commit holds the tree its merged spec compiles to");
                Ok(EXIT_OK)
            }
            Ok(false) => Ok(EXIT_OK),
            Err(error) => {
                eprintln!(
                    "error: cannot put the rebuilt tree in the merge commit ({}); commit {} yourself",
                    error.message(),
                    self.out.display()
                );
                Err(EXIT_BAD_INPUT)
            }
        }
    }
}

/// Whether HEAD is a merge commit this merge just made: not one a fast-forward reached, and
/// none a remote already has, which is never rewritten.
fn made_here(repo: &git2::Repository, head: git2::Oid) -> bool {
    let fast_forward = repo
        .reflog("HEAD")
        .ok()
        .and_then(|log| {
            log.get(0).and_then(|entry| {
                entry
                    .message_bytes()
                    .map(|m| String::from_utf8_lossy(m).into_owned())
            })
        })
        .is_none_or(|message| message.contains("Fast-forward"));
    if fast_forward {
        return false;
    }
    let Ok(references) = repo.references_glob("refs/remotes/*") else {
        return true;
    };
    !references
        .flatten()
        .filter_map(|r| r.target())
        .any(|remote| remote == head || repo.graph_descendant_of(remote, head).unwrap_or(true))
}
