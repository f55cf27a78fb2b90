use indexmap::IndexMap;

use super::{BaseRef, Deployment, PortModel, ResolvedProbes, RolloutModel, Strategy};

#[derive(Debug, Clone, PartialEq)]
pub struct TeamModel {
    pub name: String,
    pub owners: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceModel {
    pub name: String,
    /// What the service runs as.
    pub kind: super::WorkloadKind,
    /// How a `cronjob` or a `job` runs.
    pub run: Option<super::RunModel>,
    /// The persistent volumes of a `statefulset`'s pods.
    pub storage: Vec<super::StorageMount>,
    /// Secrets mounted as files: path → the key of the service's Secret, mounted last.
    pub secret_files: IndexMap<String, String>,
    /// Configuration files, mounted after the secret files.
    pub config_mounts: Vec<super::ConfigMount>,
    /// The ConfigMap the base's pods mount them from: the one of the service's own files,
    /// which an overlay that gives other files replaces.
    pub config_name: Option<String>,
    /// The pod's scratch volumes, mounted after `/tmp` and the persistent volumes.
    pub scratch: Vec<super::ScratchMount>,
    /// The container's command and arguments, where the spec replaces the image's.
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    /// Variables read from the pod itself: variable → field path.
    pub pod_env: IndexMap<String, String>,
    /// Native sidecars, then init containers, in the order the spec lists each.
    pub extra_containers: Vec<super::ExtraContainerModel>,
    /// When nodes pull the image, where the spec says.
    pub pull: Option<crate::spec::PullPolicy>,
    /// The containers' user, groups, root filesystem, capabilities and `/tmp`.
    pub security: super::SecurityModel,
    /// Its PodDisruptionBudget, for a kind that keeps running; none for a job, or for a
    /// `worker` that asks for none.
    pub disruption: Option<super::BudgetModel>,
    pub team: String,
    pub owners: Vec<String>,
    pub description: Option<String>,
    /// The base image its next build uses; none for an image fleetc does not build.
    pub base: Option<BaseRef>,
    /// Repository of the service's image in the registry.
    pub repository: String,
    /// The container's ports, in the order the spec lists them.
    pub ports: Vec<PortModel>,
    pub probes: ResolvedProbes,
    pub route: Option<String>,
    /// The port the route reaches, by name.
    pub route_port: Option<String>,
    pub depends_on: Vec<String>,
    /// Services whose `depends_on` names this one: the only pods allowed to call it.
    pub callers: Vec<String>,
    pub strategy: Strategy,
    /// The GitHub repository the service is built from (`org/name`).
    pub repository_slug: String,
    /// The shared CI template at the version of the service's rollout wave.
    pub ci: Option<CiPin>,
    /// How Argo Rollouts delivers the service, when its strategy is a Rollouts one.
    pub rollout: Option<RolloutModel>,
    /// Metrics, objectives and alert routing.
    pub monitoring: super::ServiceMonitoring,
    /// Labels every object of the service carries (the selector labels among them).
    pub labels: IndexMap<String, String>,
    /// One per environment the service runs in, in promotion order.
    pub deployments: Vec<Deployment>,
    /// Objects of the service's own in every environment, from files beside the spec.
    pub own_manifests: Vec<super::OwnFile>,
}

/// Workloads that still run a version built on another base than the one the service's next
/// build uses: they keep it until a new version is released.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RebuildPending {
    pub service: String,
    pub environment: String,
    pub version: String,
    pub built_on: String,
    pub next_build: String,
}

impl std::fmt::Display for RebuildPending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} in {} runs {} built on {} (next build: {})",
            self.service, self.environment, self.version, self.built_on, self.next_build
        )
    }
}

impl BaseRef {
    /// `name:version`, as the spec writes it.
    pub fn spec_name(&self) -> String {
        format!("{}:{}", self.name, self.version)
    }
}

impl ServiceModel {
    /// Every colour of every environment that runs on an older base than `base`, once per
    /// environment however many of its clusters run it.
    pub fn rebuild_pending(&self) -> Vec<RebuildPending> {
        let mut pending: Vec<RebuildPending> = Vec::new();
        let runs = self.deployments.iter().flat_map(|deployment| {
            deployment
                .colours
                .iter()
                .filter_map(|run| Some((run, run.base.as_ref()?, self.base.as_ref()?)))
                .filter(|(_, built_on, next)| built_on.spec_name() != next.spec_name())
                .map(|(run, built_on, next)| RebuildPending {
                    service: self.name.clone(),
                    environment: deployment.environment.clone(),
                    version: run.image.version(),
                    built_on: built_on.spec_name(),
                    next_build: next.spec_name(),
                })
        });
        for run in runs {
            if !pending.contains(&run) {
                pending.push(run);
            }
        }
        pending
    }

    /// The service in `env`: in its first cluster, when the environment lists clusters.
    pub fn deployment(&self, env: &str) -> Option<&Deployment> {
        self.deployments.iter().find(|d| d.environment == env)
    }

    /// The service in one cluster of `env` (`None`: the environment's one unnamed cluster).
    pub fn deployment_at(&self, env: &str, cluster: Option<&str>) -> Option<&Deployment> {
        self.deployments
            .iter()
            .find(|d| d.environment == env && d.cluster.as_deref() == cluster)
    }

    /// Whether the preview host reaches the service through its preview Service (`<name>-preview`)
    /// rather than its main one: a routed service delivered in colours (by fleetc or by Argo
    /// Rollouts' blue-green) keeps one in each environment, on the colour a release would make
    /// live, so the preview host's routes change only with the estate's routing, never with
    /// a release.
    pub fn previews_through_own_service(&self) -> bool {
        match &self.rollout {
            Some(rollout) => rollout.kind == super::RolloutKind::BlueGreen,
            None => !self.kind.rolls_in_place(),
        }
    }

    /// The labels a Service and a `PodDisruptionBudget` select pods by.
    pub fn selector(&self) -> IndexMap<String, String> {
        let mut selector = IndexMap::new();
        selector.insert("app.kubernetes.io/name".to_owned(), self.name.clone());
        selector
    }
}

/// A reusable workflow pinned to one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiPin {
    pub template: String,
    pub version: String,
}
