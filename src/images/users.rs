//! Which services, in which environments, run on a base image (and which Dockerfiles say
//! `FROM` it): the first question when a CVE lands.

use std::path::Path;

use serde::Serialize;

use crate::images::dockerfile::{DockerfileMatch, find_dockerfiles, matches_in};
use crate::model::Model;
use crate::spec::Spec;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ImageUsers {
    /// Catalog name of the base image.
    pub base: String,
    /// Repository path of the base image in the registry.
    pub image: String,
    pub version: Option<String>,
    pub services: Vec<ServiceUse>,
    pub dockerfiles: Vec<DockerfileUse>,
}

/// A service running on the base image in one environment.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ServiceUse {
    pub service: String,
    pub team: String,
    pub environment: String,
    /// The version of the base image the running workloads were built on.
    pub version: String,
    pub status: &'static str,
    /// The service versions running there on it.
    pub running: Vec<String>,
    /// The base the service's next build uses, when it is not this one: the running
    /// workloads keep their old base until a new version is released.
    pub rebuild_pending: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DockerfileUse {
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
pub(crate) fn users_of_image(
    spec: &Spec,
    model: &Model,
    query: &str,
    dockerfiles: Option<&Path>,
) -> Result<ImageUsers, String> {
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
    let mut services: Vec<ServiceUse> = Vec::new();
    for service in &model.services {
        for deployment in &service.deployments {
            for run in &deployment.colours {
                let Some(built_on) = &run.base else { continue };
                if built_on.name != *base || version.is_some_and(|v| built_on.version != v) {
                    continue;
                }
                let tag = run.image.tag.clone();
                if let Some(found) = services.iter_mut().find(|u| {
                    u.service == service.name
                        && u.environment == deployment.environment
                        && u.version == built_on.version
                }) {
                    // The clusters of an environment often run the same tag: list it once.
                    if !found.running.contains(&tag) {
                        found.running.push(tag);
                    }
                    continue;
                }
                let next = service.base.as_ref();
                services.push(ServiceUse {
                    service: service.name.clone(),
                    team: service.team.clone(),
                    environment: deployment.environment.clone(),
                    version: built_on.version.clone(),
                    status: built_on.status.as_str(),
                    running: vec![tag],
                    rebuild_pending: next
                        .filter(|next| {
                            next.name != built_on.name || next.version != built_on.version
                        })
                        .map(|next| format!("{}:{}", next.name, next.version)),
                });
            }
        }
    }
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
    Ok(ImageUsers {
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

impl ImageUsers {
    /// A report for people: services grouped with their environments, then Dockerfiles.
    pub(crate) fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let what = match &self.version {
            Some(v) => format!("{}:{v}", self.base),
            None => self.base.clone(),
        };
        // One line per service and base version, naming its environments.
        let mut grouped: Vec<(&ServiceUse, Vec<&str>)> = Vec::new();
        for u in &self.services {
            match grouped
                .iter_mut()
                .find(|(g, _)| g.service == u.service && g.version == u.version)
            {
                Some((_, envs)) => envs.push(&u.environment),
                None => grouped.push((u, vec![&u.environment])),
            }
        }
        let services = {
            let mut names: Vec<&str> = grouped.iter().map(|(g, _)| g.service.as_str()).collect();
            names.dedup();
            names.len()
        };
        let _ = writeln!(
            out,
            "{what} ({}): {} services, {} service × environment pairs",
            self.image,
            services,
            self.services.len()
        );
        let width = grouped
            .iter()
            .map(|(g, _)| g.service.len())
            .max()
            .unwrap_or(0);
        let team_width = grouped.iter().map(|(g, _)| g.team.len()).max().unwrap_or(0);
        for (u, envs) in &grouped {
            let (service, team, version, status) = (&u.service, &u.team, &u.version, u.status);
            let pending = u.rebuild_pending.as_ref().map_or_else(String::new, |next| {
                format!("  rebuild pending (next build on {next})")
            });
            let _ = writeln!(
                out,
                "  {service:<width$}  {version} ({status})  team {team:<team_width$}  in {}{pending}",
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
