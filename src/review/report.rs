//! The impact in text, markdown and JSON: the deletion call-out, the headline, then the
//! changes Application by Application.

use std::fmt::Write;

use serde_json::json;

use super::Impact;
use super::listing::{SCREENFUL, at_most};

impl Impact {
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if let Some(warning) = self.deletion_warning() {
            let _ = writeln!(out, "DELETION: this change {}\n", warning.to_text());
        }
        if self.is_empty() {
            out.push_str("Impact: nothing that Argo CD deploys changes.\n");
            return out;
        }
        let _ = writeln!(out, "Impact: {}", self.summary_line());
        for item in self.headline_items() {
            let _ = writeln!(out, "  {}", item.line);
            for detail in &item.details {
                let _ = writeln!(out, "    {detail}");
            }
        }
        if !self.owners.is_empty() {
            let _ = writeln!(out, "  owners to request: {}", self.owners.join(" "));
        }
        if !self.environments.is_empty() {
            out.push_str("\nApplications:\n");
        }
        for env in &self.environments {
            let marker = if env.production { " (production)" } else { "" };
            let _ = writeln!(out, "  {}{marker}", env.name);
            let width = env
                .applications
                .iter()
                .map(|a| a.name().len())
                .max()
                .unwrap_or(0);
            for app in &env.applications {
                let changes: Vec<String> =
                    app.changes.iter().map(super::AppChange::describe).collect();
                let _ = writeln!(out, "    {:<width$}  {}", app.name(), changes.join(", "));
            }
        }
        if !self.platform_files.is_empty() {
            let _ = writeln!(
                out,
                "\nPlatform files: {}",
                at_most(&self.platform_files, SCREENFUL)
            );
        }
        out
    }

    pub fn to_markdown(&self) -> String {
        let mut out = String::from("### fleetc plan\n\n");
        if let Some(warning) = self.deletion_warning() {
            let _ = writeln!(out, "> [!CAUTION]\n> **This change {}:**", warning.sentence);
            for line in &warning.lines {
                let _ = writeln!(out, "> - {line}");
            }
            out.push('\n');
        }
        if self.is_empty() {
            out.push_str("Nothing that Argo CD deploys changes.\n");
            return out;
        }
        let _ = writeln!(out, "**{}.**\n", self.summary_line());
        for item in self.headline_items() {
            let _ = writeln!(out, "- {}", item.line);
            for detail in &item.details {
                let _ = writeln!(out, "  - {detail}");
            }
        }
        if !self.owners.is_empty() {
            let _ = writeln!(out, "- owners to request: {}", self.owners.join(" "));
        }
        out.push('\n');
        if !self.environments.is_empty() {
            out.push_str(
                "| Environment | Application | Changes | Owners |\n| --- | --- | --- | --- |\n",
            );
        }
        for env in &self.environments {
            let name = if env.production {
                format!("**{}** (production)", env.name)
            } else {
                env.name.clone()
            };
            for app in &env.applications {
                let changes: Vec<String> =
                    app.changes.iter().map(super::AppChange::describe).collect();
                let _ = writeln!(
                    out,
                    "| {name} | `{}` | {} | {} |",
                    app.name(),
                    changes.join(", "),
                    app.owners.join(" ")
                );
            }
        }
        if !self.platform_files.is_empty() {
            let files: Vec<String> = self
                .platform_files
                .iter()
                .map(|f| format!("`{f}`"))
                .collect();
            let _ = writeln!(out, "\nPlatform files: {}", at_most(&files, SCREENFUL));
        }
        out
    }

    /// The deleted and created Applications and the headline come first; the fields that
    /// were there before keep their names and shapes.
    pub fn to_json(&self) -> serde_json::Value {
        let (services, environments, production) = self.totals();
        json!({
            "deleted_applications": self.deleted(),
            "headline": self.headline_json(),
            "created_applications": self.created(),
            "totals": {
                "services": services,
                "environments": environments,
                "production_applications": production,
            },
            "environments": self.environments,
            "ci": self.ci,
            "terraform": self.terraform,
            "platform_files": self.platform_files,
            "owners": self.owners,
            "labels": self.labels(),
        })
    }
}
