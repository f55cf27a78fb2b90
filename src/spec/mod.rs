//! `enterprise.toml` as written: the serde model of the spec, before anything is resolved.

mod base_image;
mod certificates;
mod ci;
mod cluster;
mod date;
mod defaults;
mod enterprise;
mod environment;
mod exception;
mod inherit;
mod metrics;
mod observability;
mod per_env;
mod secret_store;
mod service;
mod team;
mod terraform;

pub use base_image::{BaseImage, BaseImageVersion, ImageStatus};
pub use certificates::{Acme, Certificates, Cloudflare, Http01, Route53, Solver};
pub use ci::{Ci, CiWave};
pub use cluster::{Cluster, ClusterDefaults, ClusterOverride};
pub use date::Date;
pub use defaults::{Autoscaling, Defaults, Probes, Resources};
pub use enterprise::Enterprise;
pub use environment::{Environment, SyncMode, SyncWindow, WindowKind};
pub use exception::Exception;
pub use inherit::{
    ClusterPlace, EnvAutoscaling, EnvSettings, Layer, Place, inherited, inherited_at, origin,
    origin_at,
};
pub use metrics::Metrics;
pub use observability::{Observability, OtlpProtocol};
pub use per_env::PerEnv;
pub use secret_store::{
    AwsService, AwsStore, AzureStore, GcpStore, Provider, SecretRef, SecretStore, VaultKv,
    VaultStore,
};
pub use service::{
    Analysis, Canary, CanaryStep, ClusterDeployState, Colour, DeployState, EnvOverride, Service,
    Strategy, version_tag,
};
pub use team::Team;
pub use terraform::{ModulePin, Terraform};

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

/// The whole estate: environments, teams, approved base images, pins and services.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "fleetc enterprise spec")]
pub struct Spec {
    /// Who the estate belongs to and where its tree lives.
    pub enterprise: Enterprise,
    /// Environments, declared in promotion order (for example dev, staging, prod).
    pub environments: IndexMap<String, Environment>,
    /// Teams that own services.
    #[serde(default)]
    pub teams: IndexMap<String, Team>,
    /// The catalog of base images services are built from.
    #[serde(default)]
    pub base_images: IndexMap<String, BaseImage>,
    /// Time-limited permissions to keep using a base image version that is no longer allowed.
    #[serde(default)]
    pub exceptions: Vec<Exception>,
    /// The shared CI template every service's workflow calls.
    #[serde(default)]
    pub ci: Option<Ci>,
    /// Terraform module pins per environment.
    #[serde(default)]
    pub terraform: Option<Terraform>,
    /// Tracing, metrics scraping, alert and dashboard settings of every workload.
    #[serde(default)]
    pub observability: Option<Observability>,
    /// Settings every service inherits unless it sets its own.
    #[serde(default)]
    pub defaults: Defaults,
    /// The services, keyed by name.
    #[serde(default)]
    pub services: IndexMap<String, Service>,
}

/// The top-level tables of the spec, in the order they are deserialized one by one when the
/// document as a whole does not deserialize (so every broken table gets its own diagnostic).
pub const SECTIONS: &[&str] = &[
    "enterprise",
    "environments",
    "teams",
    "base_images",
    "exceptions",
    "ci",
    "terraform",
    "observability",
    "defaults",
    "services",
];
