use std::collections::BTreeMap;
use std::fmt::Write;

use super::changes::{Change, ChangeKind};
use super::readers::Readers;
use crate::tree::layout::{Location, locate_file};

/// The part of the estate a generated path belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Owner {
    /// A service, or `(environment)`, `(argocd)`, `(terraform)`, `(repository)` for files
    /// no service owns.
    pub scope: String,
    /// An environment, or `base` / `ci` / `all`.
    pub environment: String,
}

/// Where a changed file counts: a service's colour and rollout folders count in every
/// environment whose overlay reads them.
pub(crate) fn owners_of(path: &str, readers: &Readers) -> Vec<Owner> {
    if let Some((Location::Colour { service, .. } | Location::Rollout { service }, _)) =
        locate_file(path)
    {
        let mut environments = readers.environments_of(path);
        if environments.is_empty() {
            environments.push("all".to_owned());
        }
        return environments
            .into_iter()
            .map(|environment| Owner {
                scope: service.to_owned(),
                environment,
            })
            .collect();
    }
    vec![owner_of(path)]
}

pub(crate) fn owner_of(path: &str) -> Owner {
    // A cluster's files count as `<env>/<cluster>`.
    let place = |env: &str, cluster: Option<&str>| {
        cluster.map_or_else(|| env.to_owned(), |cluster| format!("{env}/{cluster}"))
    };
    let (scope, environment) = match locate_file(path).map(|(location, _)| location) {
        Some(Location::Base { service }) => (service, "base".to_owned()),
        Some(Location::Ci { service }) => (service, "ci".to_owned()),
        Some(Location::Terraform { env, cluster }) => ("(terraform)", place(env, cluster)),
        Some(Location::Overlay {
            service,
            env,
            cluster,
        }) => (service, place(env, cluster)),
        Some(
            Location::Colour { service, .. }
            | Location::Rollout { service }
            | Location::OtherOfService { service }
            | Location::Service { service },
        ) => (service, "all".to_owned()),
        Some(Location::Environment { env, cluster }) => ("(environment)", place(env, cluster)),
        Some(Location::EnvironmentApplication { env, cluster }) => {
            ("(argocd)", place(env, cluster))
        }
        Some(Location::Project { env } | Location::ApplicationSet { env }) => {
            ("(argocd)", env.to_owned())
        }
        Some(Location::RootApplication) => ("(argocd)", "all".to_owned()),
        Some(Location::Codeowners) | None => ("(repository)", "all".to_owned()),
    };
    Owner {
        scope: scope.to_owned(),
        environment,
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    added: usize,
    modified: usize,
    removed: usize,
}

/// Files added / changed / removed, in total and per service and environment.
pub(crate) fn summary(changes: &[Change], readers: &Readers) -> String {
    let mut per_owner: BTreeMap<Owner, Counts> = BTreeMap::new();
    let mut total = Counts::default();
    let count = |c: &mut Counts, kind: ChangeKind| match kind {
        ChangeKind::Added => c.added += 1,
        ChangeKind::Modified => c.modified += 1,
        ChangeKind::Removed => c.removed += 1,
    };
    for change in changes {
        for owner in owners_of(&change.path, readers) {
            count(per_owner.entry(owner).or_default(), change.kind);
        }
        count(&mut total, change.kind);
    }
    let mut out = String::new();
    if changes.is_empty() {
        out.push_str("No changes: the output directory is up to date.\n");
        return out;
    }
    let width = per_owner
        .keys()
        .map(|o| o.scope.len())
        .max()
        .unwrap_or(0)
        .max(7);
    let _ = writeln!(
        out,
        "{:<width$}  {:<12} {:>5} {:>8} {:>7}",
        "service", "environment", "added", "changed", "removed"
    );
    for (owner, c) in &per_owner {
        let _ = writeln!(
            out,
            "{:<width$}  {:<12} {:>5} {:>8} {:>7}",
            owner.scope, owner.environment, c.added, c.modified, c.removed
        );
    }
    let _ = writeln!(
        out,
        "\n{} files: {} added, {} changed, {} removed",
        changes.len(),
        total.added,
        total.modified,
        total.removed
    );
    out
}

#[cfg(test)]
mod tests {
    use super::owner_of;

    #[test]
    fn a_clusters_files_count_as_env_slash_cluster() {
        for (path, scope, environment) in [
            ("apps/users/overlays/prod/us/hpa.yaml", "users", "prod/us"),
            ("apps/users/overlays/prod/hpa.yaml", "users", "prod"),
            ("envs/prod/us/ingress.yaml", "(environment)", "prod/us"),
            ("envs/prod/ingress.yaml", "(environment)", "prod"),
            ("terraform/prod/us/main.tf", "(terraform)", "prod/us"),
            ("terraform/prod/main.tf", "(terraform)", "prod"),
            ("argocd/environments/prod/us.yaml", "(argocd)", "prod/us"),
        ] {
            let owner = owner_of(path);
            assert_eq!(
                (owner.scope.as_str(), owner.environment.as_str()),
                (scope, environment),
                "{path}"
            );
        }
    }
}
