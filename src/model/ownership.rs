use super::{EnvironmentModel, Model, unique};
use crate::tree::layout;

/// One CODEOWNERS rule: what of the tree it covers and who owns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerRule {
    pub owned: Owned,
    pub owners: Vec<String>,
}

/// A part of the tree, by path relative to the tree's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owned {
    Everything,
    Folder(String),
    File(String),
    /// A file of the repository outside the tree (a file of the spec), by its path there.
    Repository(String),
}

impl Owned {
    pub fn covers(&self, path: &str) -> bool {
        match self {
            Self::Everything => true,
            Self::Folder(folder) => path
                .strip_prefix(folder.as_str())
                .is_some_and(|rest| rest.starts_with('/')),
            Self::File(file) => path == file,
            // Paths of the tree are never the spec's.
            Self::Repository(_) => false,
        }
    }
}

impl Model {
    /// Who owns what, from general to specific (the last matching rule wins, as on GitHub).
    /// The platform team and every production environment's approvers own what all
    /// environments share. Each environment's own files (its folder, Argo CD objects and
    /// Terraform) belong to the platform team and that environment's approvers. Each team owns
    /// its services' folders; a production overlay belongs to the platform team and that
    /// environment's approvers instead, and the approvers of any other environment co-own its
    /// overlays with the team, so their review is requested.
    pub fn ownership(&self) -> Vec<OwnerRule> {
        let mut rules = vec![OwnerRule {
            owned: Owned::Everything,
            owners: self.production_owners(),
        }];
        for file in &self.spec_files {
            let owners = match &file.teams {
                Some(teams) if !teams.is_empty() => unique(
                    self.teams
                        .iter()
                        .filter(|team| teams.contains(&team.name))
                        .flat_map(|team| team.owners.iter().cloned()),
                ),
                _ => Vec::new(),
            };
            let owners = if owners.is_empty() {
                self.production_owners()
            } else {
                owners
            };
            rules.push(OwnerRule {
                owned: Owned::Repository(file.path.clone()),
                owners,
            });
        }
        for env in &self.environments {
            let owners = self.environment_owners(env);
            let mut owned = vec![
                Owned::Folder(layout::environment_dir(&env.name, None)),
                Owned::File(layout::project_file(&env.name)),
                Owned::File(layout::application_set_file(&env.name)),
                if env.lists_clusters() {
                    Owned::Folder(layout::environment_applications_dir(&env.name))
                } else {
                    Owned::File(layout::environment_application_file(&env.name, None))
                },
            ];
            if !self.terraform.is_empty() {
                owned.push(Owned::Folder(layout::terraform_dir(&env.name, None)));
            }
            rules.extend(owned.into_iter().map(|owned| OwnerRule {
                owned,
                owners: owners.clone(),
            }));
        }
        for service in &self.services {
            let team = if service.owners.is_empty() {
                vec![self.enterprise.platform_team.clone()]
            } else {
                unique(service.owners.iter().cloned())
            };
            rules.push(OwnerRule {
                owned: Owned::Folder(layout::service_dir(&service.name)),
                owners: team.clone(),
            });
            for env in &self.environments {
                if service.deployment(&env.name).is_none() {
                    continue;
                }
                let owners = if env.production {
                    self.environment_owners(env)
                } else if env.approvers.is_empty() {
                    continue;
                } else {
                    unique(team.iter().chain(&env.approvers).cloned())
                };
                rules.push(OwnerRule {
                    owned: Owned::Folder(layout::overlay_dir(&service.name, &env.name, None)),
                    owners,
                });
            }
        }
        rules
    }

    /// The platform team and the environment's approvers: who owns and syncs an environment.
    pub fn environment_owners(&self, env: &EnvironmentModel) -> Vec<String> {
        unique(
            std::iter::once(&self.enterprise.platform_team)
                .chain(&env.approvers)
                .cloned(),
        )
    }

    /// The owners of a path of the tree.
    pub fn owners_of(&self, path: &str) -> Vec<String> {
        owners_by(&self.ownership(), path).to_vec()
    }
}

/// The owners `rules` give a path of the tree: the last rule that covers it wins, as on
/// GitHub.
pub(crate) fn owners_by<'r>(rules: &'r [OwnerRule], path: &str) -> &'r [String] {
    rules
        .iter()
        .rev()
        .find(|rule| rule.owned.covers(path))
        .map_or(&[], |rule| &rule.owners)
}
