//! Which services, sidecars and init containers, in which environments, run an image built
//! elsewhere: no catalog lists a third-party image, so the question a CVE in one asks is
//! answered from what the containers run.

use serde::Serialize;

use crate::model::{ImageRef, Model, ServiceModel};

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ImageRunners {
    /// Repository of the image, registry included.
    pub image: String,
    pub version: Option<String>,
    pub containers: Vec<ContainerUse>,
}

/// A container running the image in one environment.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContainerUse {
    pub service: String,
    pub team: String,
    /// `service` for the service's own container, else `sidecar` or `init container`.
    pub role: &'static str,
    /// The container's name: the service's, or the sidecar's or init container's.
    pub container: String,
    pub environment: String,
    /// The versions running there, as the spec writes them (`tag` or `tag@sha256:…`).
    pub running: Vec<String>,
}

/// `query` is `REPOSITORY[:VERSION]`, registry included; VERSION is a tag or
/// `tag@sha256:…`. None when no container runs the repository at any version.
pub(crate) fn runners_of_image(model: &Model, query: &str) -> Option<ImageRunners> {
    let (image, version) = split_query(query);
    let all = uses(model, image);
    if all.is_empty() {
        return None;
    }
    let containers = all
        .into_iter()
        .filter_map(|mut u| {
            if let Some(wanted) = version {
                u.running
                    .retain(|v| v == wanted || v.split('@').next() == Some(wanted));
            }
            (!u.running.is_empty()).then_some(u)
        })
        .collect();
    Some(ImageRunners {
        image: image.to_owned(),
        version: version.map(str::to_owned),
        containers,
    })
}

/// The repositories of the images built elsewhere that services, sidecars and init
/// containers run, each once, for a message naming what could have been meant.
pub(crate) fn images_run(model: &Model) -> Vec<String> {
    let mut images: Vec<String> = Vec::new();
    for service in &model.services {
        let own = service
            .deployments
            .iter()
            .flat_map(|d| &d.colours)
            .filter(|_| service.base.is_none())
            .map(|run| run.image.repository.clone());
        for image in own.chain(extra_images(service).map(|(_, _, image)| image.repository)) {
            if !images.contains(&image) {
                images.push(image);
            }
        }
    }
    images
}

/// Every container running `image`, one entry per container and environment: the clusters
/// of an environment often run the same version, listed once.
fn uses(model: &Model, image: &str) -> Vec<ContainerUse> {
    let mut uses: Vec<ContainerUse> = Vec::new();
    for service in &model.services {
        for deployment in &service.deployments {
            let own = deployment
                .colours
                .iter()
                .map(|run| ("service", service.name.clone(), run.image.clone()));
            for (role, container, running) in own.chain(extra_images(service)) {
                if running.repository != image {
                    continue;
                }
                let version = running.version();
                let environment = &deployment.environment;
                match uses.iter_mut().find(|u| {
                    u.service == service.name
                        && u.container == container
                        && u.role == role
                        && u.environment == *environment
                }) {
                    Some(found) if found.running.contains(&version) => {}
                    Some(found) => found.running.push(version),
                    None => uses.push(ContainerUse {
                        service: service.name.clone(),
                        team: service.team.clone(),
                        role,
                        container,
                        environment: environment.clone(),
                        running: vec![version],
                    }),
                }
            }
        }
    }
    uses
}

/// The sidecars and init containers of `service` that run an image of their own.
fn extra_images(service: &ServiceModel) -> impl Iterator<Item = (&'static str, String, ImageRef)> {
    service.extra_containers.iter().filter_map(|extra| {
        let role = if extra.sidecar {
            "sidecar"
        } else {
            "init container"
        };
        let (repository, version) = split_query(extra.image.as_deref()?);
        Some((
            role,
            extra.name.clone(),
            ImageRef::from_version(repository, version.unwrap_or("latest")),
        ))
    })
}

/// `docker.io/library/redis:7.2.5@sha256:…` → (`docker.io/library/redis`, `7.2.5@sha256:…`);
/// a colon in a registry host (`host:5000/x`) is not a version separator.
fn split_query(query: &str) -> (&str, Option<&str>) {
    let name_end = query.find('@').unwrap_or(query.len());
    let last_slash = query[..name_end].rfind('/').map_or(0, |i| i + 1);
    match query[last_slash..name_end].find(':') {
        Some(i) => (&query[..last_slash + i], Some(&query[last_slash + i + 1..])),
        None => (query, None),
    }
}

impl ImageRunners {
    /// A report for people: one line per container and the versions it runs, naming its
    /// environments.
    pub(crate) fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut grouped: Vec<(&ContainerUse, Vec<&str>)> = Vec::new();
        for u in &self.containers {
            match grouped.iter_mut().find(|(g, _)| {
                g.service == u.service
                    && g.container == u.container
                    && g.role == u.role
                    && g.running == u.running
            }) {
                Some((_, envs)) => envs.push(&u.environment),
                None => grouped.push((u, vec![&u.environment])),
            }
        }
        let mut services: Vec<&str> = grouped.iter().map(|(g, _)| g.service.as_str()).collect();
        services.dedup();
        let what = match &self.version {
            Some(v) => format!("{}:{v}", self.image),
            None => self.image.clone(),
        };
        let mut out = format!(
            "{what} (built elsewhere): {} services, {} container × environment pairs\n",
            services.len(),
            self.containers.len()
        );
        let label = |u: &ContainerUse| match u.role {
            "service" => "service".to_owned(),
            role => format!("{role} {}", u.container),
        };
        let width = grouped
            .iter()
            .map(|(g, _)| g.service.len())
            .max()
            .unwrap_or(0);
        let label_width = grouped
            .iter()
            .map(|(g, _)| label(g).len())
            .max()
            .unwrap_or(0);
        for (u, envs) in &grouped {
            let _ = writeln!(
                out,
                "  {:<width$}  {:<label_width$}  {}  team {}  in {}",
                u.service,
                label(u),
                u.running.join(", "),
                u.team,
                envs.join(", ")
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::split_query;

    #[test]
    fn a_query_splits_at_the_version_after_the_last_slash_and_keeps_the_digest() {
        assert_eq!(
            split_query("docker.io/library/redis"),
            ("docker.io/library/redis", None)
        );
        assert_eq!(
            split_query("docker.io/library/redis:7.2.5@sha256:ab"),
            ("docker.io/library/redis", Some("7.2.5@sha256:ab"))
        );
        assert_eq!(
            split_query("harbor.example.com:8443/mirror/redis:7"),
            ("harbor.example.com:8443/mirror/redis", Some("7"))
        );
        assert_eq!(
            split_query("harbor.example.com:8443/mirror/redis"),
            ("harbor.example.com:8443/mirror/redis", None)
        );
    }
}
