use super::run::{EXIT_BAD_INPUT, EXIT_OK, Format, Outcome, Run};
use crate::compile::{Leniency, TreeMade};
use crate::emit::application_name;

impl Run<'_> {
    /// The Applications the ApplicationSets produce, with source path, destination and sync.
    pub(super) fn apps(&self, env: Option<&str>, format: Format) -> Outcome {
        let resolved = self.compiled_as(
            self.options()
                .making(TreeMade::Nothing)
                .letting_through(Leniency::BaseImages),
        )?;
        let model = &resolved.model;
        if let Some(env) = env
            && model.environment(env).is_none()
        {
            let known: Vec<&str> = model.environments.iter().map(|e| e.name.as_str()).collect();
            eprintln!(
                "error: environment `{env}` is not declared; declared environments: {}",
                known.join(", ")
            );
            return Err(EXIT_BAD_INPUT);
        }
        let prefix = match model.enterprise.gitops_path.as_str() {
            "" | "." => String::new(),
            path => format!("{path}/"),
        };
        let mut rows = Vec::new();
        for environment in model
            .environments
            .iter()
            .filter(|e| env.is_none_or(|n| n == e.name))
        {
            let deployments = model.services.iter().flat_map(|service| {
                service
                    .deployments
                    .iter()
                    .filter(|d| d.environment == environment.name)
                    .map(move |d| (service, d))
            });
            for (service, deployment) in deployments {
                let server = environment
                    .cluster(deployment.cluster.as_deref())
                    .map_or("", |c| c.server.as_str());
                rows.push(serde_json::json!({
                    "name": application_name(&service.name, deployment),
                    "project": environment.project,
                    "path": format!("{prefix}{}", deployment.overlay_dir(&service.name)),
                    "cluster": server,
                    "namespace": environment.namespace,
                    "sync": if environment.auto_sync { "automated (prune, self-heal)" } else { "manual" },
                }));
            }
        }
        match format {
            Format::Json => println!(
                "{}",
                serde_json::to_string_pretty(&rows).expect("rows serialize")
            ),
            Format::Text => {
                let column = |key: &str| {
                    rows.iter()
                        .map(|r| r[key].as_str().unwrap_or("").len())
                        .max()
                        .unwrap_or(0)
                };
                let (name, path, project) = (
                    column("name").max(11),
                    column("path").max(4),
                    column("project").max(7),
                );
                println!(
                    "{:<name$}  {:<project$}  {:<path$}  SYNC",
                    "APPLICATION", "PROJECT", "PATH"
                );
                for row in &rows {
                    let field = |key: &str| row[key].as_str().unwrap_or("").to_owned();
                    println!(
                        "{:<name$}  {:<project$}  {:<path$}  {}",
                        field("name"),
                        field("project"),
                        field("path"),
                        field("sync")
                    );
                }
                println!("{} Applications", rows.len());
            }
        }
        Ok(EXIT_OK)
    }
}
