//! What a reviewer reads first, in every format: the Applications that would be deleted,
//! then how many Applications change per environment (production first), the Applications
//! created and deleted, and the CI and Terraform changes.

use serde_json::json;

use super::deletion::DeletionWarning;
use super::listing::{by_service, plural};
use super::{AppChange, Impact};

/// One line of the headline, and the lines below it that detail it (the Applications
/// created or deleted, per service).
pub struct HeadlineItem {
    pub line: String,
    pub details: Vec<String>,
}

impl From<String> for HeadlineItem {
    fn from(line: String) -> Self {
        Self {
            line,
            details: Vec::new(),
        }
    }
}

impl Impact {
    pub(super) fn totals(&self) -> (usize, usize, usize) {
        let services: std::collections::BTreeSet<&str> = self
            .applications()
            .filter_map(|a| a.service.as_deref())
            .collect();
        let production = self
            .environments
            .iter()
            .filter(|e| e.production)
            .flat_map(|e| e.applications.iter().filter(|a| a.service.is_some()))
            .count();
        (services.len(), self.environments.len(), production)
    }

    /// `7 services in 1 environment change; production: 7 applications`.
    pub fn summary_line(&self) -> String {
        let (services, environments, production) = self.totals();
        let mut line = if self.environments.is_empty() {
            "no Application changes".to_owned()
        } else {
            format!(
                "{services} service{} in {environments} environment{} change; production: {production} application{}",
                plural(services),
                plural(environments),
                plural(production)
            )
        };
        if !self.ci.is_empty() {
            let workflows: usize = self.ci.iter().map(|c| c.files.len()).sum();
            line.push_str(&format!("; CI: {workflows} workflow{}", plural(workflows)));
        }
        if !self.terraform.is_empty() {
            let mut envs: Vec<&str> = self
                .terraform
                .iter()
                .map(|t| t.environment.as_str())
                .collect();
            envs.dedup();
            line.push_str(&format!(
                "; Terraform: {} environment{}",
                envs.len(),
                plural(envs.len())
            ));
        }
        line
    }

    /// The call-out of a change that deletes Applications.
    pub fn deletion_warning(&self) -> Option<DeletionWarning> {
        DeletionWarning::of(&self.deleted_places(), &self.promotion_order)
    }

    /// The items of the headline, below the summary line.
    pub fn headline_items(&self) -> Vec<HeadlineItem> {
        let mut items: Vec<HeadlineItem> = Vec::new();
        for env in &self.environments {
            let marker = if env.production { " (production)" } else { "" };
            let count = env.applications.len();
            items
                .push(format!("{}{marker}: {count} Application{}", env.name, plural(count)).into());
        }
        for (label, change) in [
            ("created", AppChange::Added),
            ("deleted", AppChange::Removed),
        ] {
            let places = self.places(&change);
            if !places.is_empty() {
                items.push(HeadlineItem {
                    line: format!(
                        "{label}: {} Application{}",
                        places.len(),
                        plural(places.len())
                    ),
                    details: by_service(&places, &self.promotion_order),
                });
            }
        }
        items.extend(self.ci.iter().map(|c| c.description.clone().into()));
        items.extend(self.terraform.iter().map(|t| t.description.clone().into()));
        items
    }

    pub(super) fn headline_json(&self) -> serde_json::Value {
        json!({
            "summary": self.summary_line(),
            "environments": self.environments.iter().map(|e| json!({
                "name": e.name,
                "production": e.production,
                "applications": e.applications.len(),
            })).collect::<Vec<_>>(),
            "created": self.created(),
            "deleted": self.deleted(),
            "ci": self.ci.iter().map(|c| &c.description).collect::<Vec<_>>(),
            "terraform": self.terraform.iter().map(|t| &t.description).collect::<Vec<_>>(),
        })
    }
}
