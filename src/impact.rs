//! Which services, in which environments, run on a base image (and which Dockerfiles say
//! `FROM` it): the first question when a CVE lands.

use std::path::Path;

use serde::Serialize;

use crate::dockerfile::{DockerfileMatch, find_dockerfiles, matches_in};
use crate::model::Model;
use crate::spec::Spec;

#[derive(Debug, Clone, Serialize)]
pub struct Impact {
    /// Catalog name of the base image.
    pub base: String,
    /// Repository path of the base image in the registry.
    pub image: String,
    pub version: Option<String>,
    pub services: Vec<ServiceUse>,
    pub dockerfiles: Vec<DockerfileUse>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceUse {
    pub service: String,
    pub team: String,
    pub environment: String,
    pub version: String,
    pub status: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct DockerfileUse {
    pub path: String,
    pub line: usize,
    pub stage: Option<String>,
    /// The image reference the `FROM` resolves to, `ARG` defaults substituted.
    pub image: String,
    /// The reference as written in the `FROM`.
    pub from: String,
    pub version: Option<String>,
}

/// `query` is `NAME[:VERSION]` of the catalog or `REPOSITORY[:VERSION]`, registry prefix
/// optional.
pub fn impact(
    spec: &Spec,
    model: &Model,
    query: &str,
    dockerfiles: Option<&Path>,
) -> Result<Impact, String> {
    let (wanted, version) = split_query(query);
    let registry = model.enterprise.registry.as_str();
    let wanted = wanted
        .strip_prefix(registry)
        .map_or(wanted, |rest| rest.trim_start_matches('/'));
    let Some((base, catalog)) = spec
        .base_images
        .iter()
        .find(|(name, image)| name.as_str() == wanted || image.image == wanted)
    else {
        let known: Vec<String> = spec
            .base_images
            .iter()
            .map(|(name, image)| format!("{name} ({})", image.image))
            .collect();
        return Err(format!(
            "`{wanted}` is not a base image of the catalog; known: {}",
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ));
    };
    let services = model
        .services
        .iter()
        .filter(|s| s.base.name == *base && version.is_none_or(|v| s.base.version == v))
        .flat_map(|s| {
            s.deployments.iter().map(move |d| ServiceUse {
                service: s.name.clone(),
                team: s.team.clone(),
                environment: d.environment.clone(),
                version: s.base.version.clone(),
                status: s.base.status.as_str(),
            })
        })
        .collect();
    let mut files = Vec::new();
    if let Some(dir) = dockerfiles {
        for path in find_dockerfiles(dir) {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            for DockerfileMatch { path, from } in matches_in(&path, &text, &catalog.image, version)
            {
                files.push(DockerfileUse {
                    path: crate::source::display_path(&path),
                    line: from.line,
                    stage: from.stage,
                    image: from.reference.as_str().to_owned(),
                    from: from.written,
                    version: from.image.tag,
                });
            }
        }
    }
    Ok(Impact {
        base: base.clone(),
        image: catalog.image.clone(),
        version: version.map(str::to_owned),
        services,
        dockerfiles: files,
    })
}

/// `python:3.12` → (`python`, `3.12`); a colon in a registry host (`host:5000/x`) is not a
/// version separator.
fn split_query(query: &str) -> (&str, Option<&str>) {
    let last_slash = query.rfind('/').map_or(0, |i| i + 1);
    match query[last_slash..].rfind(':') {
        Some(i) => (&query[..last_slash + i], Some(&query[last_slash + i + 1..])),
        None => (query, None),
    }
}

impl Impact {
    /// A report for people: services grouped with their environments, then Dockerfiles.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let what = match &self.version {
            Some(v) => format!("{}:{v}", self.base),
            None => self.base.clone(),
        };
        let mut grouped: Vec<(&str, &str, &str, &str, Vec<&str>)> = Vec::new();
        for u in &self.services {
            match grouped.iter_mut().find(|g| g.0 == u.service) {
                Some(g) => g.4.push(&u.environment),
                None => grouped.push((
                    &u.service,
                    &u.team,
                    &u.version,
                    u.status,
                    vec![&u.environment],
                )),
            }
        }
        let _ = writeln!(
            out,
            "{what} ({}): {} services, {} service × environment pairs",
            self.image,
            grouped.len(),
            self.services.len()
        );
        let width = grouped.iter().map(|g| g.0.len()).max().unwrap_or(0);
        let team_width = grouped.iter().map(|g| g.1.len()).max().unwrap_or(0);
        for (service, team, version, status, envs) in &grouped {
            let _ = writeln!(
                out,
                "  {service:<width$}  {version} ({status})  team {team:<team_width$}  in {}",
                envs.join(", ")
            );
        }
        if !self.dockerfiles.is_empty() {
            let _ = writeln!(out, "\nDockerfiles ({}):", self.dockerfiles.len());
            for d in &self.dockerfiles {
                let stage = d
                    .stage
                    .as_ref()
                    .map_or_else(String::new, |s| format!(" (stage {s})"));
                let written = if d.from == d.image {
                    String::new()
                } else {
                    format!("  written {}", d.from)
                };
                let _ = writeln!(
                    out,
                    "  {}:{}  FROM {}{stage}{written}",
                    d.path, d.line, d.image
                );
            }
        }
        out
    }
}
