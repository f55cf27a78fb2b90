//! `enterprise.toml` as written: the serde model of the spec, before anything is resolved.

mod base_image;
mod certificates;
mod ci;
mod cluster;
mod container_settings;
mod date;
mod defaults;
mod enterprise;
mod environment;
mod escape_hatch;
mod exception;
mod extra_container;
mod identity;
mod identity_at;
mod inherit;
mod listed_files;
mod metrics;
mod observability;
mod per_env;
mod pod_field;
mod port;
mod probe;
mod scheduling;
mod secret_store;
mod security;
mod service;
pub(crate) mod starter;
mod team;
mod terraform;
mod workload;

pub(crate) use base_image::{BaseImage, BaseImageVersion, ImageStatus};
#[cfg(test)]
pub(crate) use certificates::Cloudflare;
pub(crate) use certificates::{Acme, Certificates, Solver};
pub(crate) use ci::Ci;
pub(crate) use cluster::{Cluster, ClusterDefaults, ClusterOverride};
pub(crate) use container_settings::ContainerSettings;
pub use date::Date;
pub(crate) use defaults::{
    Autoscaling, DEFAULT_CPU, DEFAULT_MEMORY, Defaults, Limit, Probes, Resources,
};
pub(crate) use enterprise::{Enterprise, GRPC_INGRESS_CLASS};
pub(crate) use environment::{Environment, SyncMode, SyncWindow, WindowKind};
pub(crate) use escape_hatch::{PatchFile, PatchTarget};
pub(crate) use exception::Exception;
pub(crate) use extra_container::{InitContainer, Sidecar};
pub(crate) use identity::{Identity, IdentityProvider};
pub(crate) use inherit::{EnvSettings, Layer, Place, inherited_at, origin_at};
pub(crate) use listed_files::{Listed, Listing};
pub(crate) use metrics::{DEFAULT_METRICS_PORT, Metrics};
pub(crate) use observability::{Observability, OtlpProtocol};
pub(crate) use per_env::PerEnv;
pub(crate) use pod_field::PodField;
pub(crate) use port::{ContainerPort, PortProtocol};
pub(crate) use probe::{Probe, ProbeSetting};
pub(crate) use scheduling::{
    Budget, Disruption, NodeAffinity, Scheduling, Spread, SpreadMode, TaintEffect, Toleration,
    TolerationOperator,
};
pub(crate) use secret_store::{AwsService, Provider, SecretRef, SecretStore, VaultKv};
pub(crate) use security::{
    BASELINE_CAPABILITIES, CAPABILITIES, PodSecurityLevel, RESTRICTED_CAPABILITIES, Security,
    SecurityException,
};
pub use service::Colour;
#[cfg(test)]
pub(crate) use service::test_service;
pub(crate) use service::{DeployState, EnvOverride, PullPolicy, Service, Strategy, version_tag};
pub(crate) use team::Team;
pub(crate) use terraform::{ModulePin, Terraform};
pub(crate) use workload::{
    Concurrency, RunSettings, ScratchVolume, Storage, StorageOverride, WorkloadKind,
};

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

/// The whole estate: environments, teams, approved base images, pins and services.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "fleetc enterprise spec")]
pub struct Spec {
    /// Other files the spec is written in, by path or pattern relative to the spec's folder
    /// (`["services/*.toml", "teams.toml"]`); written in the root spec only. Each holds whole
    /// tables (`[services.cart]`, `[teams.commerce]`) and each table is written in one file.
    #[serde(default)]
    pub include: Vec<String>,
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
    /// Permissions for services to run at a more permissive Pod Security level than their
    /// environments enforce, each with its reason.
    #[serde(default)]
    pub security_exceptions: Vec<SecurityException>,
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
