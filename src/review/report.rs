use std::fmt::Write;

use serde_json::json;

use super::Impact;

impl Impact {
    fn totals(&self) -> (usize, usize, usize) {
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

    fn headline(&self) -> String {
        let (services, environments, production) = self.totals();
        format!(
            "{services} service{} in {environments} environment{} change; production: {production} application{}",
            plural(services),
            plural(environments),
            plural(production)
        )
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.is_empty() {
            out.push_str("Impact: nothing that Argo CD deploys changes.\n");
            return out;
        }
        let _ = writeln!(out, "Impact: {}", self.headline());
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
                    app.changes.iter().map(super::Change::describe).collect();
                let _ = writeln!(out, "    {:<width$}  {}", app.name(), changes.join(", "));
            }
        }
        if !self.platform_files.is_empty() {
            let _ = writeln!(out, "  platform files: {}", self.platform_files.join(", "));
        }
        out
    }

    pub fn to_markdown(&self) -> String {
        let mut out = String::from("### fleetc plan\n\n");
        if self.is_empty() {
            out.push_str("Nothing that Argo CD deploys changes.\n");
            return out;
        }
        let _ = writeln!(out, "{}.\n", self.headline());
        out.push_str(
            "| Environment | Application | Changes | Owners |\n| --- | --- | --- | --- |\n",
        );
        for env in &self.environments {
            let name = if env.production {
                format!("**{}** (production)", env.name)
            } else {
                env.name.clone()
            };
            for app in &env.applications {
                let changes: Vec<String> =
                    app.changes.iter().map(super::Change::describe).collect();
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
            let _ = writeln!(out, "\nPlatform files: {}", files.join(", "));
        }
        out
    }

    pub fn to_json(&self) -> serde_json::Value {
        let (services, environments, production) = self.totals();
        json!({
            "totals": {
                "services": services,
                "environments": environments,
                "production_applications": production,
            },
            "environments": self.environments,
            "platform_files": self.platform_files,
            "owners": self.owners,
            "labels": self.environments.iter().map(|e| format!("env:{}", e.name)).collect::<Vec<_>>(),
        })
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
