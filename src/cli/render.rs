use std::path::Path;

use super::{EXIT_BAD_INPUT, EXIT_OK, Run};
use crate::emit::overlay_dir;
use crate::render::{overlays, render};
use crate::sink::write::write_atomic;
use crate::source::display_path;

impl Run<'_> {
    /// Prints the hydrated manifests of one overlay (or of all of them, or writes each to a
    /// file under `to`), merged by fleetc itself from the compiled tree.
    pub(super) fn render(&self, target: Option<(&str, &str)>, to: Option<&Path>) -> i32 {
        let compiled = match self.compiled() {
            Ok(c) => c,
            Err(code) => return code,
        };
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
                    return EXIT_BAD_INPUT;
                };
                if model.deployment(env).is_none() {
                    let envs: Vec<&str> = model
                        .deployments
                        .iter()
                        .map(|d| d.environment.as_str())
                        .collect();
                    eprintln!(
                        "error: `{service}` does not run in `{env}`; it runs in {}",
                        envs.join(", ")
                    );
                    return EXIT_BAD_INPUT;
                }
                vec![overlay_dir(service, env)]
            }
            None => overlays(&compiled.tree),
        };
        let mut stream = String::new();
        for dir in &dirs {
            let documents = match render(&compiled.tree, dir) {
                Ok(documents) => documents,
                Err(error) => {
                    eprintln!("error: {error}");
                    return EXIT_BAD_INPUT;
                }
            };
            let text = crate::emit::documents(&documents);
            match to {
                Some(folder) => {
                    let path = folder.join(format!("{}.yaml", dir.replace('/', "_")));
                    if let Err(error) = write_atomic(&path, text.as_bytes()) {
                        eprintln!("error: cannot write {}: {error}", display_path(&path));
                        return EXIT_BAD_INPUT;
                    }
                }
                None if dirs.len() > 1 => stream.push_str(&format!("# {dir}\n{text}")),
                None => stream.push_str(&text),
            }
        }
        match to {
            Some(folder) => println!(
                "wrote {} hydrated overlays to {}",
                dirs.len(),
                display_path(folder)
            ),
            None => print!("{stream}"),
        }
        EXIT_OK
    }
}
