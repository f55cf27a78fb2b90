//! Who owns each file of a spec written in several files: a file holding only teams' tables
//! and their services' tables belongs to those teams; the root, and any file holding what the
//! estate shares (environments, base images, defaults, pins), to the platform.

use crate::model::SpecFileModel;
use crate::source::Source;
use crate::spec::Spec;

/// The files of `source` by their paths in the repository (the tree lying at `gitops_path`),
/// and whose tables each holds; none for a spec of one file or one whose place is unknown.
pub(crate) fn spec_files(source: &Source, spec: &Spec, gitops_path: &str) -> Vec<SpecFileModel> {
    if !source.includes_files() {
        return Vec::new();
    }
    let Some(folder) = source.folder_in_repository(gitops_path) else {
        return Vec::new();
    };
    let in_repository = |relative: &str| {
        if folder.is_empty() {
            relative.to_owned()
        } else {
            format!("{folder}/{relative}")
        }
    };
    let root_name = source
        .path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    source
        .files()
        .into_iter()
        .map(|file| {
            let teams = if file.relative.is_empty() {
                None
            } else {
                teams_of(&source.text[file.range.clone()], spec)
            };
            let relative = if file.relative.is_empty() {
                &root_name
            } else {
                &file.relative
            };
            SpecFileModel {
                path: in_repository(relative),
                teams,
            }
        })
        .collect()
}

/// The teams whose tables a file's text holds, when it holds only teams' tables and their
/// services' tables.
fn teams_of(text: &str, spec: &Spec) -> Option<Vec<String>> {
    let mut teams: Vec<String> = Vec::new();
    for line in text.lines() {
        let Some(header) = line.trim_start().strip_prefix('[') else {
            continue;
        };
        let inner = header
            .trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or_default();
        let mut parts = inner.split('.').map(|part| part.trim().trim_matches('"'));
        let team = match (parts.next(), parts.next()) {
            (Some("teams"), Some(team)) => team.to_owned(),
            (Some("services"), Some(service)) => spec.services.get(service)?.team.clone(),
            _ => return None,
        };
        if !teams.contains(&team) {
            teams.push(team);
        }
    }
    teams.sort();
    Some(teams)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::test_spec::{bundled, parsed};

    #[test]
    fn a_file_of_teams_and_their_services_is_theirs_and_any_other_the_platforms() {
        let spec = parsed(&bundled());
        let team = spec.services["cart"].team.clone();
        let file =
            "[services.cart]\nteam = \"x\"\n\n[services.cart.overrides.prod]\nreplicas = 2\n";
        assert_eq!(teams_of(file, &spec), Some(vec![team.clone()]));
        let with_team = format!("[teams.{team}]\nowners = []\n{file}");
        assert_eq!(teams_of(&with_team, &spec), Some(vec![team]));
        assert_eq!(
            teams_of("[services.cart]\n[environments.dev]\n", &spec),
            None
        );
        assert_eq!(
            teams_of("[[exceptions]]\nservice = \"cart\"\n", &spec),
            None
        );
    }
}
