use super::Model;

/// One CODEOWNERS rule: a folder of the tree (empty: everything) and who owns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerRule {
    pub folder: String,
    pub owners: Vec<String>,
}

impl Model {
    /// Who owns what, from general to specific (the last matching rule wins, as on GitHub):
    /// the platform team and production approvers own everything; each team owns its
    /// services' folders, except their production overlays.
    pub fn ownership(&self) -> Vec<OwnerRule> {
        let production = self.production_owners();
        let mut rules = vec![OwnerRule {
            folder: String::new(),
            owners: production.clone(),
        }];
        for service in &self.services {
            let owners = if service.owners.is_empty() {
                vec![self.enterprise.platform_team.clone()]
            } else {
                service.owners.clone()
            };
            rules.push(OwnerRule {
                folder: format!("apps/{}", service.name),
                owners,
            });
            for env in self.environments.iter().filter(|env| env.production) {
                if service.deployment(&env.name).is_some() {
                    rules.push(OwnerRule {
                        folder: format!("apps/{}/overlays/{}", service.name, env.name),
                        owners: production.clone(),
                    });
                }
            }
        }
        rules
    }

    /// The owners of a path of the tree.
    pub fn owners_of(&self, path: &str) -> Vec<String> {
        self.ownership()
            .into_iter()
            .rev()
            .find(|rule| rule.folder.is_empty() || path.starts_with(&format!("{}/", rule.folder)))
            .map(|rule| rule.owners)
            .unwrap_or_default()
    }
}
