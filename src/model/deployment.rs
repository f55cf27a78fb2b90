use indexmap::IndexMap;

use super::Colour;
use crate::tree::layout;

/// One service in one cluster of one environment, fully resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Deployment {
    pub environment: String,
    /// The cluster's name; none in an environment that lists no clusters.
    pub cluster: Option<String>,
    pub namespace: String,
    pub replicas: u32,
    pub autoscaling: Option<Hpa>,
    pub resources: ResolvedResources,
    pub env: IndexMap<String, String>,
    /// Variables read from the environment's secret store, when the service has any there.
    pub secrets: Option<super::DeploymentSecrets>,
    /// Parent-based trace sampling ratio, when telemetry is on.
    pub sample_ratio: Option<f64>,
    /// The `severity` label of the service's alerts here.
    pub alert_severity: String,
    /// The colours that run, in blue, green order; one unless a release is in flight.
    pub colours: Vec<ColourRun>,
    pub live: Colour,
    /// A `cronjob` starts no runs here.
    pub suspend: bool,
    /// A `statefulset` updates only the pods at or above this ordinal.
    pub partition: Option<u32>,
    /// The claims of a `statefulset`'s volumes here.
    pub claims: Vec<super::StorageClaim>,
    /// The cloud identity its pods act as here.
    pub identity: Option<super::PodIdentity>,
    /// Objects of the service's own that only this place deploys, from files beside the spec.
    pub own_manifests: Vec<super::OwnFile>,
    /// Patches of the service's objects here, from files beside the spec, in the order they
    /// are applied.
    pub own_patches: Vec<super::OwnFile>,
    /// The configuration files its pods mount here.
    pub config: Option<super::ConfigFiles>,
    /// Where its pods run here, and how they spread.
    pub scheduling: super::SchedulingModel,
}

impl Deployment {
    /// The overlay of this deployment: the source of its Application.
    pub fn overlay_dir(&self, service: &str) -> String {
        layout::overlay_dir(service, &self.environment, self.cluster.as_deref())
    }

    pub fn live_run(&self) -> &ColourRun {
        self.colours
            .iter()
            .find(|run| run.colour == self.live)
            .unwrap_or(&self.colours[0])
    }

    /// The colour that runs but takes no live traffic, while a release is in flight.
    pub fn idle_run(&self) -> Option<&ColourRun> {
        self.colours.iter().find(|run| run.colour != self.live)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ColourRun {
    pub colour: Colour,
    pub image: ImageRef,
    /// The base image this version was built on: the service's `base` unless `built_on`
    /// says the version was built before the last base upgrade; none for an image fleetc
    /// does not build.
    pub base: Option<super::BaseRef>,
}

/// A container image: repository, tag and, where pinned, digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    pub repository: String,
    pub tag: String,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Splits a spec version, `tag` or `tag@sha256:…`.
    pub fn from_version(repository: &str, version: &str) -> Self {
        let (tag, digest) = match version.split_once('@') {
            Some((tag, digest)) => (tag, Some(digest.to_owned())),
            None => (version, None),
        };
        Self {
            repository: repository.to_owned(),
            tag: tag.to_owned(),
            digest,
        }
    }

    /// The full image reference: `repository:tag`, with `@digest` where pinned.
    pub fn reference(&self) -> String {
        match &self.digest {
            Some(digest) => format!("{}:{}@{digest}", self.repository, self.tag),
            None => format!("{}:{}", self.repository, self.tag),
        }
    }

    /// The version as the spec writes it.
    pub fn version(&self) -> String {
        match &self.digest {
            Some(digest) => format!("{}@{digest}", self.tag),
            None => self.tag.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hpa {
    pub min: u32,
    pub max: u32,
    pub cpu_utilization: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedResources {
    pub cpu: String,
    pub memory: String,
    pub cpu_limit: Option<String>,
    /// None where the spec says `memory_limit = false`.
    pub memory_limit: Option<String>,
}
