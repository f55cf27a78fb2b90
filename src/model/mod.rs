//! The resolved estate: every service × environment with nothing left to look up.
//! Emitters read only this.

mod base_ref;
mod certificate;
mod cluster;
mod config_files;
mod deployment;
mod environment;
mod escape_hatch;
mod extra_container;
mod identity;
mod monitoring;
mod ownership;
mod port;
mod rollout;
mod scheduling;
mod secrets;
mod security;
mod service;
mod terraform;
mod unique;
mod workload;

pub(crate) use base_ref::BaseRef;
pub(crate) use certificate::{AcmeIssuer, AcmeSolver, CertificateModel};
pub(crate) use cluster::ClusterModel;
pub(crate) use config_files::{ConfigFile, ConfigFiles, ConfigMount};
pub(crate) use deployment::{ColourRun, Deployment, Hpa, ImageRef, ResolvedResources};
pub(crate) use environment::{EnvironmentModel, SyncWindowModel};
pub(crate) use escape_hatch::{COPIED_DIR, ConfigText, OwnFile, SpecFile, SpecFiles};
pub(crate) use extra_container::ExtraContainerModel;
pub(crate) use identity::PodIdentity;
pub(crate) use monitoring::{MetricsEndpoint, Monitoring, Requests, ServiceMonitoring, Slo};
pub(crate) use ownership::{Owned, OwnerRule, owners_by};
pub(crate) use port::{PortModel, ProbeCheck, ProbeModel, ResolvedProbes};
pub(crate) use rollout::{AnalysisModel, CanaryStepModel, RolloutKind, RolloutModel};
pub(crate) use scheduling::{BudgetModel, BudgetValue, SchedulingModel, ZoneSpread};
pub(crate) use secrets::{DeploymentSecrets, SecretStoreModel};
pub(crate) use security::{EXCEPTIONS_ANNOTATION, SecurityGrant, SecurityModel, granted_levels};
pub(crate) use service::{CiPin, RebuildPending, ServiceModel, TeamModel};
pub(crate) use terraform::{ModuleInput, ModuleUse, TerraformEnv};
pub(crate) use unique::unique;
pub(crate) use workload::{RunModel, ScratchMount, StorageClaim, StorageMount};

pub(crate) use crate::spec::{
    Colour, ImageStatus, PodSecurityLevel, Strategy, WindowKind, WorkloadKind,
};

/// Who the estate belongs to and where its tree is served from.
#[derive(Debug, Clone, PartialEq)]
pub struct EnterpriseModel {
    pub name: String,
    pub registry: String,
    /// Every registry images may come from: the estate's own first, then those its services'
    /// images built elsewhere are in.
    pub registries: Vec<String>,
    pub gitops_repo: String,
    pub gitops_path: String,
    pub target_revision: String,
    pub platform_team: String,
    pub argocd_namespace: String,
    pub ingress_class: String,
    pub ingress_namespace: String,
    /// OpenTelemetry export, when the spec configures it.
    pub telemetry: Option<Telemetry>,
    /// The estate's Prometheus and Grafana.
    pub monitoring: Monitoring,
}

/// Where every workload sends traces, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Telemetry {
    pub endpoint: String,
    pub protocol: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The spec path as it is named in generated headers.
    pub spec_name: String,
    pub enterprise: EnterpriseModel,
    /// In promotion order.
    pub environments: Vec<EnvironmentModel>,
    pub teams: Vec<TeamModel>,
    /// In the order of their names.
    pub services: Vec<ServiceModel>,
    /// Terraform per environment, when the spec pins modules.
    pub terraform: Vec<TerraformEnv>,
    /// Base image versions the catalog blocks, which the cluster must refuse too.
    pub blocked_bases: Vec<BlockedBase>,
    /// The files the spec is written in, when it includes others and where they lie in the
    /// repository is known.
    pub spec_files: Vec<SpecFileModel>,
}

/// A file of the spec, by its path in the repository, and who owns what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecFileModel {
    pub path: String,
    /// The teams whose tables and services' tables it holds, when it holds nothing else;
    /// `None` for the root and any file holding what the platform owns.
    pub teams: Option<Vec<String>>,
}

/// The blocked versions of one base image, and the services an exception lets run one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockedBase {
    pub name: String,
    pub versions: Vec<String>,
    pub excepted_services: Vec<String>,
}

impl Model {
    pub fn environment(&self, name: &str) -> Option<&EnvironmentModel> {
        self.environments.iter().find(|env| env.name == name)
    }

    pub fn service(&self, name: &str) -> Option<&ServiceModel> {
        self.services.iter().find(|service| service.name == name)
    }

    /// Owners of production-facing files: the platform team and every production approver.
    pub fn production_owners(&self) -> Vec<String> {
        unique(
            std::iter::once(&self.enterprise.platform_team)
                .chain(
                    self.environments
                        .iter()
                        .filter(|env| env.production)
                        .flat_map(|env| &env.approvers),
                )
                .cloned(),
        )
    }
}
