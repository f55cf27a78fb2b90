use std::path::Path;

use super::folder::write_into_folder;
use super::run::{EXIT_BAD_INPUT, EXIT_OK, Outcome, Run};
use crate::compile::TreeMade;
use crate::model::Deployment;
use crate::render::{RenderError, Renderer, overlays};
use crate::source::display_path;
use crate::tree::Tree;

impl Run<'_> {
    /// Prints the hydrated manifests of one overlay (or of all of them, or writes each to a
    /// file under `to`), merged by fleetc itself from the compiled tree.
    pub(super) fn render(&self, target: Option<(&str, &str)>, to: Option<&Path>) -> Outcome {
        let compiled = self.compiled_as(self.options().making(TreeMade::KeepingDocuments))?;
        let dirs = match target {
            Some((service, env)) => {
                let Some(model) = compiled.model.service(service) else {
                    let known: Vec<&str> = compiled
                        .model
                        .services
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect();
                    eprintln!(
                        "error: service `{service}` is not declared; declared services: {}",
                        known.join(", ")
                    );
                    return Err(EXIT_BAD_INPUT);
                };
                let (env_name, cluster) = match env.split_once('/') {
                    Some((env, cluster)) => (env, Some(cluster)),
                    None => (env, None),
                };
                let Some(deployment) = model.deployment_at(env_name, cluster) else {
                    let places: Vec<String> =
                        model.deployments.iter().map(deployment_place).collect();
                    eprintln!(
                        "error: `{service}` does not run in `{env}`; it runs in {}",
                        places.join(", ")
                    );
                    return Err(EXIT_BAD_INPUT);
                };
                vec![deployment.overlay_dir(service)]
            }
            None => overlays(&compiled.tree),
        };
        let rendered = match render_all(&compiled.tree, &dirs) {
            Ok(rendered) => rendered,
            Err(error) => {
                eprintln!("error: {error}");
                return Err(EXIT_BAD_INPUT);
            }
        };
        let mut stream = String::new();
        let mut hydrated = Tree::new();
        for (dir, text) in dirs.iter().zip(rendered) {
            match to {
                Some(_) => hydrated.insert(format!("{}.yaml", dir.replace('/', "_")), text),
                None if dirs.len() > 1 => stream.push_str(&format!("# {dir}\n{text}")),
                None => stream.push_str(&text),
            }
        }
        if let Some(folder) = to {
            write_into_folder(&hydrated, folder, "the hydrated overlays")?;
        }
        match to {
            Some(folder) => println!(
                "wrote {} hydrated overlays to {}",
                dirs.len(),
                display_path(folder)
            ),
            None => print!("{stream}"),
        }
        Ok(EXIT_OK)
    }
}

/// Every overlay's YAML stream, in the order given, rendered on every core.
fn render_all(tree: &Tree, dirs: &[String]) -> Result<Vec<String>, RenderError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(8);
    let chunk = dirs.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = dirs
            .chunks(chunk)
            .map(|dirs| {
                scope.spawn(move || {
                    let mut renderer = Renderer::new(tree);
                    dirs.iter()
                        .map(|dir| renderer.render(dir).map(|d| crate::emit::documents(&d)))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        let mut all = Vec::new();
        for worker in workers {
            all.extend(worker.join().expect("rendering does not panic")?);
        }
        Ok(all)
    })
}

/// `prod`, or `prod/us` for a cluster of an environment that lists clusters: how `render`
/// names where a service runs.
fn deployment_place(deployment: &Deployment) -> String {
    match &deployment.cluster {
        Some(cluster) => format!("{}/{cluster}", deployment.environment),
        None => deployment.environment.clone(),
    }
}
