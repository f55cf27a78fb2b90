use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{Autoscaling, PerEnv, Probes, Resources};

/// One microservice.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// What the service runs as: `deployment` (a server, the default), `worker`,
    /// `statefulset`, `cronjob` or `job`. Only a `deployment` has blue/green colours; the
    /// other kinds roll a new version in place.
    #[serde(default)]
    pub kind: super::WorkloadKind,
    /// The team (declared under `[teams]`) that owns the service.
    #[schemars(example = &"identity")]
    pub team: String,
    /// Base image the next build of the service uses, as `name:version` of `[base_images]`.
    /// A version already built keeps the base it was built on (see `built_on`). Left out only
    /// for an `image` built elsewhere (a database, a broker), which fleetc does not build.
    #[serde(default)]
    #[schemars(example = &"python:3.12")]
    pub base: Option<String>,
    /// The image repository the service runs, without tag (default `<registry>/<service>`):
    /// a third-party image (`docker.io/library/postgres`) or one repository shared by many
    /// services with per-service tags. It must be in `registry` or `[enterprise] registries`;
    /// the tag is `version` (or `deploy.<env>`), as for every service.
    #[serde(default)]
    #[schemars(example = &"docker.io/library/postgres")]
    pub image: Option<String>,
    /// For versions still running that were built on another base than `base`: version →
    /// `name:version` of the base it was built on (for example `{ "1.4.2" = "python:3.11" }`).
    /// `fleetc upgrade-base` writes these; a version without an entry was built on `base`.
    #[serde(default)]
    pub built_on: IndexMap<String, String>,
    /// Image tag deployed wherever `deploy` does not say otherwise (`tag` or `tag@sha256:…`).
    #[schemars(example = &"1.4.2")]
    pub version: String,
    /// Free text for readers of the spec; nothing is generated from it.
    #[serde(default)]
    pub description: Option<String>,
    /// GitHub repository the service is built from, `org/name` (default: the GitOps
    /// repository's organisation and the service name).
    #[serde(default)]
    pub repository: Option<String>,
    /// Path prefix the service is served under on each environment's Ingress.
    #[serde(default)]
    #[schemars(example = &"/users")]
    pub route: Option<String>,
    /// Container port of the service's one HTTP port, `http`, which its Service exposes on
    /// port 80 (defaults to `[defaults]`). A service with other or more ports lists them under
    /// `ports` instead.
    #[serde(default)]
    #[schemars(example = 8080)]
    pub port: Option<i64>,
    /// The ports the container listens on, by name, each with its protocol and the number its
    /// Service exposes it on; instead of `port`. The first port that can be probed decides the
    /// default probes.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"grpc": {"port": 7070, "protocol": "grpc"}}))]
    pub ports: Option<IndexMap<String, super::ContainerPort>>,
    /// The port `route` reaches, by name (default: the first `http` port).
    #[serde(default)]
    #[schemars(example = &"http")]
    pub route_port: Option<String>,
    /// Environments the service runs in (default: all).
    #[serde(default)]
    #[schemars(example = ["dev", "prod"])]
    pub environments: Option<Vec<String>>,
    /// Replicas, for every environment or per environment (the minimum, where autoscaling
    /// is on; default from `[defaults]`).
    #[serde(default)]
    pub replicas: Option<PerEnv<i64>>,
    /// Container resources, over `[defaults]` key by key.
    #[serde(default)]
    pub resources: Option<Resources>,
    /// Horizontal pod autoscaling, over `[defaults]` key by key.
    #[serde(default)]
    pub autoscaling: Option<Autoscaling>,
    /// HTTP probe paths, over `[defaults]` key by key.
    #[serde(default)]
    pub probes: Option<Probes>,
    /// Where the pods serve Prometheus metrics, or that they serve none.
    #[serde(default)]
    pub metrics: Option<super::Metrics>,
    /// Environment variables of the container (merged over `[defaults]`).
    #[serde(default)]
    pub env: IndexMap<String, String>,
    /// Variables read from the environment's secret store, by reference, never by value:
    /// variable → `entry` or `entry#property` (merged over nothing; `overrides.<env>.secrets`
    /// wins per variable).
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "examples": ["DB_PASSWORD"] }))]
    pub secrets: IndexMap<String, String>,
    /// Variables read from the pod itself (the downward API): variable → a pod field
    /// (`status.podIP`, `spec.nodeName`, `metadata.labels['<key>']`…) or a resource of the
    /// container (`limits.memory`, `requests.cpu`…). They come before `secrets` and `env` in
    /// the container's list, so `$(NAME)` in those expands to them.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"POD_IP": "status.podIP", "GOMEMLIMIT": "limits.memory"}))]
    pub pod_env: IndexMap<String, String>,
    /// The container's command, instead of its image's entrypoint.
    #[serde(default)]
    #[schemars(example = ["/app/server"])]
    pub command: Option<Vec<String>>,
    /// The container's arguments, instead of its image's; `$(NAME)` expands to a variable.
    #[serde(default)]
    #[schemars(example = ["--port", "8080"])]
    pub args: Option<Vec<String>>,
    /// Services this one calls.
    #[serde(default)]
    #[schemars(example = ["orders"])]
    pub depends_on: Vec<String>,
    /// Per-environment settings that win over the service's and the defaults', key by key;
    /// a key left out is inherited.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "examples": ["prod"] }))]
    pub overrides: IndexMap<String, EnvOverride>,
    /// Release state per environment: which version runs on which colour and which one is live.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "examples": ["prod"] }))]
    pub deploy: IndexMap<String, DeployState>,
    /// How new versions reach traffic.
    #[serde(default)]
    pub strategy: Strategy,
    /// Canary steps, for `strategy = "canary"` (default 10, 30, 60 and 100 percent with
    /// 5-minute pauses).
    #[serde(default)]
    pub canary: Option<Canary>,
    /// The service's objectives (its SLO), and for Argo Rollouts the analysis that checks
    /// them.
    #[serde(default)]
    pub analysis: Option<Analysis>,
    /// For a `cronjob`: when it runs, five cron fields (minute hour day-of-month month
    /// day-of-week) or `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`.
    #[serde(default)]
    #[schemars(example = &"0 3 * * *")]
    pub schedule: Option<String>,
    /// For a `cronjob`: the IANA time zone `schedule` is read in (default: the controller's,
    /// usually UTC).
    #[serde(default)]
    #[schemars(example = &"Europe/Berlin")]
    pub timezone: Option<String>,
    /// For a `cronjob` or a `job`: concurrency, deadline, retries and history.
    #[serde(default)]
    pub run: Option<super::RunSettings>,
    /// For a `statefulset`: each pod's persistent volumes, by name.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "examples": ["data"] }))]
    pub storage: IndexMap<String, super::Storage>,
    /// The cloud identity the pods act as in every environment that does not give its own.
    #[serde(default)]
    pub identity: Option<super::Identity>,
    /// Secrets read as files rather than variables: a path in the container → the name of a
    /// variable of `secrets`, whose value the file holds in every environment.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "examples": ["/etc/orders/tls.key"] }))]
    pub secret_files: IndexMap<String, String>,
    /// Configuration files of the container: a file path in the container → a file beside
    /// the spec (relative to its folder) whose text it holds, mounted read-only from a
    /// ConfigMap named after a hash of the files, so a change of any of them rolls the pods.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "examples": ["/etc/orders/config.yaml"] }))]
    pub config_files: IndexMap<String, String>,
    /// Scratch volumes of the pod (emptyDir), by name, each mounted at its `path`.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "examples": ["cache"] }))]
    pub volumes: IndexMap<String, super::ScratchVolume>,
    /// Containers run to completion before the service's own, in this order, by name.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "examples": ["migrate"] }))]
    pub init_containers: IndexMap<String, super::InitContainer>,
    /// Containers run beside the service's own for the life of the pod, by name.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "examples": ["envoy"] }))]
    pub sidecars: IndexMap<String, super::Sidecar>,
    /// When the node pulls the image: `always`, `if-not-present` or `never` (default:
    /// `if-not-present` for a version pinned by digest, which names one image for ever,
    /// `always` for a tag, which can be moved).
    #[serde(default)]
    pub pull: Option<PullPolicy>,
    /// The user, groups, root filesystem, capabilities and `/tmp` of the containers, strict
    /// unless given.
    #[serde(default)]
    pub security: Option<super::Security>,
    /// Kubernetes objects of the service's own, for what the spec has no key for: YAML files
    /// beside the spec (paths relative to its folder), copied into the service's base. Each
    /// object is namespaced and is not a policy, a policy exception or a namespace.
    #[serde(default)]
    #[schemars(example = ["extra/orders-pdb.yaml"])]
    pub manifests: Vec<String>,
    /// Patches of the service's generated objects in every environment, from files beside
    /// the spec; an environment's and a cluster's are applied after these.
    #[serde(default)]
    pub patches: Vec<super::PatchFile>,
    /// Where the pods run: node labels, tolerated taints, node affinity, priority and zone
    /// spreading, over `[defaults]` key by key.
    #[serde(default)]
    pub scheduling: Option<super::Scheduling>,
    /// How many pods a node drain must leave running or may take at once (its
    /// PodDisruptionBudget); a `worker` gets a budget only where it says this.
    #[serde(default)]
    pub disruption: Option<super::Disruption>,
}

/// Settings of one service in one environment.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"replicas": 3, "resources": {"cpu": "500m"}}))]
pub struct EnvOverride {
    /// Replicas in this environment (the minimum, where autoscaling is on).
    #[serde(default)]
    pub replicas: Option<i64>,
    /// Container resources in this environment, key by key.
    #[serde(default)]
    pub resources: Option<Resources>,
    /// Autoscaling in this environment, key by key.
    #[serde(default)]
    pub autoscaling: Option<Autoscaling>,
    /// Environment variables of the container in this environment, variable by variable.
    #[serde(default)]
    pub env: IndexMap<String, String>,
    /// Secret references in this environment, variable by variable.
    #[serde(default)]
    pub secrets: IndexMap<String, String>,
    /// Settings in one cluster of the environment, over these key by key.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "examples": ["us"] }))]
    pub clusters: IndexMap<String, super::ClusterOverride>,
    /// For a `cronjob`: no runs start in this environment while `true`.
    #[serde(default)]
    pub suspend: Option<bool>,
    /// For a `statefulset`: only pods with an ordinal at or above this number take a new
    /// version (a canary of the highest pods); 0 or absent updates them all.
    #[serde(default)]
    #[schemars(example = 2)]
    pub partition: Option<i64>,
    /// For a `statefulset`: the size and class of its volumes in this environment.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "examples": ["data"] }))]
    pub storage: IndexMap<String, super::StorageOverride>,
    /// The cloud identity the pods act as in this environment, instead of the service's.
    #[serde(default)]
    pub identity: Option<super::Identity>,
    /// Kubernetes objects of the service's own in this environment, from YAML files beside
    /// the spec, copied into each of its overlays.
    #[serde(default)]
    #[schemars(example = ["extra/orders-prod-pdb.yaml"])]
    pub manifests: Vec<String>,
    /// Another file beside the spec for a configuration file the service mounts, in this
    /// environment: a path of the service's `config_files` → a file.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "examples": ["/etc/orders/config.yaml"] }))]
    pub config_files: IndexMap<String, String>,
    /// Patches of the service's objects in this environment, from files beside the spec,
    /// applied after the service's.
    #[serde(default)]
    pub patches: Vec<super::PatchFile>,
    /// Where the pods run: node labels, tolerated taints, node affinity, priority and zone
    /// spreading, in this environment, key by key.
    #[serde(default)]
    pub scheduling: Option<super::Scheduling>,
}

/// Versions on the blue and green colours of one environment, and which colour takes traffic.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"blue": "1.4.2", "green": "1.5.0", "live": "blue"}))]
pub struct DeployState {
    /// The version on the blue colour (`tag` or `tag@sha256:…`).
    #[serde(default)]
    pub blue: Option<String>,
    /// The version on the green colour (`tag` or `tag@sha256:…`).
    #[serde(default)]
    pub green: Option<String>,
    /// The colour the service's main Service sends traffic to.
    #[serde(default)]
    pub live: Colour,
    /// For a kind that rolls in place (every kind but `deployment`): the version it runs
    /// here, instead of colours.
    #[serde(default)]
    pub version: Option<String>,
    /// The colour that was live before the last `fleetc promote`; `fleetc rollback` returns
    /// traffic to it.
    #[serde(default)]
    pub previous: Option<Colour>,
    /// The clusters of the environment whose release state is not the environment's, while a
    /// release rolls through its waves.
    #[serde(default)]
    #[schemars(extend("propertyNames" = { "examples": ["us"] }))]
    pub clusters: IndexMap<String, ClusterDeployState>,
}

/// The release state of one cluster of an environment, where it is not the environment's.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"blue": "1.4.2", "green": "1.5.0", "live": "green", "previous": "blue"}))]
pub struct ClusterDeployState {
    /// The version on the blue colour in this cluster.
    #[serde(default)]
    pub blue: Option<String>,
    /// The version on the green colour in this cluster.
    #[serde(default)]
    pub green: Option<String>,
    /// The colour that takes traffic in this cluster.
    #[serde(default)]
    pub live: Colour,
    /// For a kind that rolls in place: the version it runs in this cluster.
    #[serde(default)]
    pub version: Option<String>,
    /// The colour that was live in this cluster before its last promote.
    #[serde(default)]
    pub previous: Option<Colour>,
}

impl ClusterDeployState {
    /// The cluster's state as a state of its own.
    pub fn state(&self) -> DeployState {
        DeployState {
            blue: self.blue.clone(),
            green: self.green.clone(),
            live: self.live,
            version: self.version.clone(),
            previous: self.previous,
            clusters: IndexMap::new(),
        }
    }
}

impl Service {
    /// The base image `version` (a tag, with or without digest) was built on.
    pub fn base_of(&self, version: &str) -> Option<&str> {
        self.built_on
            .get(version_tag(version))
            .or(self.base.as_ref())
            .map(String::as_str)
    }

    /// Whether the service runs in `env` at all.
    pub fn deployed_to(&self, env: &str) -> bool {
        self.environments
            .as_ref()
            .is_none_or(|envs| envs.iter().any(|e| e == env))
    }

    /// The release state of `env`, with the implicit one (blue runs `version`) made explicit;
    /// for a kind that rolls in place, as its one `version`.
    pub fn state_in(&self, env: &str) -> DeployState {
        let state = self
            .deploy
            .get(env)
            .cloned()
            .unwrap_or_else(|| DeployState {
                blue: Some(self.version.clone()),
                green: None,
                live: Colour::Blue,
                version: None,
                previous: None,
                clusters: IndexMap::new(),
            });
        self.shaped(state)
    }

    /// `state` in the shape the service's kind writes: colours, or one `version`.
    fn shaped(&self, state: DeployState) -> DeployState {
        if !self.kind.rolls_in_place() {
            return state;
        }
        DeployState {
            version: state.version(Colour::Blue).map(str::to_owned),
            blue: None,
            green: None,
            live: Colour::Blue,
            previous: None,
            clusters: state.clusters,
        }
    }

    /// The release state of one cluster of `env` (`None`: the environment's one unnamed
    /// cluster): its own where it has one, the environment's otherwise.
    pub fn state_at(&self, env: &str, cluster: Option<&str>) -> DeployState {
        let own = cluster.and_then(|cluster| self.deploy.get(env)?.clusters.get(cluster));
        own.map_or_else(
            || self.state_in(env),
            |own| self.shaped(ClusterDeployState::state(own)),
        )
    }

    /// The clusters of an environment as [`Self::live_in_every`] reads them: each by name,
    /// or the one unnamed cluster of an environment that lists none.
    pub fn cluster_slots<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<Option<&'a str>> {
        let slots: Vec<Option<&str>> = names.into_iter().map(Some).collect();
        if slots.is_empty() { vec![None] } else { slots }
    }

    /// The version the service serves live in every one of `clusters` of `env` (`None`: the
    /// environment's one unnamed cluster), if they all serve the same one. A cluster's own
    /// state overrides the environment's, so a release part-way through the waves is live in
    /// none of the sets that include a cluster it has not reached.
    pub fn live_in_every(&self, env: &str, clusters: &[Option<&str>]) -> Option<String> {
        let mut lives = clusters.iter().map(|cluster| {
            let state = self.state_at(env, *cluster);
            state.version(state.live).map(str::to_owned)
        });
        let first = lives.next()??;
        lives
            .all(|live| live.is_some_and(|v| version_tag(&v) == version_tag(&first)))
            .then_some(first)
    }

    /// The tags (without digest) the service runs in `environments` that were built on `base`
    /// (`name:version`).
    pub fn running_on<'a>(
        &'a self,
        base: &str,
        environments: impl IntoIterator<Item = &'a str>,
    ) -> Vec<String> {
        self.running_tags(environments)
            .into_iter()
            .filter(|tag| self.base_of(tag) == Some(base))
            .collect()
    }

    /// The tags (without digest) the service runs anywhere: on either colour of every
    /// environment of `environments` it is deployed to.
    pub fn running_tags<'a>(
        &'a self,
        environments: impl IntoIterator<Item = &'a str>,
    ) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for env in environments.into_iter().filter(|e| self.deployed_to(e)) {
            let state = self.state_in(env);
            let clusters = state.clusters.values().map(ClusterDeployState::state);
            for state in std::iter::once(state.clone()).chain(clusters) {
                for colour in Colour::ALL {
                    let Some(version) = state.version(colour) else {
                        continue;
                    };
                    let tag = version_tag(version);
                    if !tags.iter().any(|t| t == tag) {
                        tags.push(tag.to_owned());
                    }
                }
            }
        }
        tags
    }
}

/// The tag of a version, without its digest: what "the same version" means across
/// environments that do and do not pin digests.
pub(crate) fn version_tag(version: &str) -> &str {
    version.split_once('@').map_or(version, |(tag, _)| tag)
}

impl DeployState {
    /// The version `colour` runs; a kind that rolls in place runs its `version` as blue, the
    /// one colour it has.
    pub fn version(&self, colour: Colour) -> Option<&str> {
        match colour {
            Colour::Blue => self.blue.as_deref().or(self.version.as_deref()),
            Colour::Green => self.green.as_deref(),
        }
    }
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Colour {
    #[default]
    Blue,
    Green,
}

impl Colour {
    pub const ALL: [Self; 2] = [Self::Blue, Self::Green];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Blue => "blue",
            Self::Green => "green",
        }
    }

    #[must_use]
    pub fn other(self) -> Self {
        match self {
            Self::Blue => Self::Green,
            Self::Green => Self::Blue,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// Git-driven colours: two Deployments during a release, the Service selector flips.
    #[default]
    BlueGreen,
    /// Argo Rollouts canary with analysis.
    Canary,
    /// Argo Rollouts blue/green with pre-promotion analysis.
    RolloutBlueGreen,
}

impl Strategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BlueGreen => "blue-green",
            Self::Canary => "canary",
            Self::RolloutBlueGreen => "rollout-blue-green",
        }
    }
}

/// Canary steps of an Argo Rollout.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"steps": [{"weight": 20, "pause": "5m"}, {"weight": 100}]}))]
pub struct Canary {
    /// The steps, in order; their weights climb, and the last is usually 100.
    pub steps: Vec<CanaryStep>,
}

/// One step of a canary: the share of traffic on the new version, then a pause.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"weight": 20, "pause": "5m"}))]
pub struct CanaryStep {
    /// Percentage of traffic on the new version.
    #[schemars(example = 20)]
    pub weight: i64,
    /// Pause after the step (for example `5m`); absent means wait for promotion.
    #[serde(default)]
    pub pause: Option<String>,
}

/// The service's objectives (its SLO) and, for Argo Rollouts, the Prometheus analysis that
/// aborts and rolls back a release when a new version misses them. The same objectives feed
/// the alert rules and the dashboard thresholds.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"prometheus": "http://prometheus-operated.monitoring:9090", "success_rate": 0.99}))]
pub struct Analysis {
    /// Prometheus server address (default `http://prometheus-operated.<namespace>:9090`, in
    /// the namespace `[observability] prometheus_namespace` names, `monitoring` by default).
    #[serde(default)]
    #[schemars(example = &"http://prometheus-operated.monitoring:9090")]
    pub prometheus: Option<String>,
    /// Minimum ratio of non-5xx responses (default 0.99).
    #[serde(default)]
    pub success_rate: Option<f64>,
    /// Maximum p99 latency in milliseconds (default 500).
    #[serde(default)]
    pub p99_latency_ms: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::{Colour, Service};

    #[test]
    fn an_environment_without_clusters_is_one_unnamed_cluster() {
        assert_eq!(Service::cluster_slots([]), [None]);
        assert_eq!(
            Service::cluster_slots(["eu", "us"]),
            [Some("eu"), Some("us")]
        );
    }

    use crate::spec::test_service as service;

    #[test]
    fn a_cluster_runs_its_own_release_state_or_its_environments() {
        let service = service(
            "[deploy.prod]\nblue = \"1.0\"\nlive = \"blue\"\n[deploy.prod.clusters.canary]\nblue = \"1.0\"\ngreen = \"1.1\"\nlive = \"green\"",
        );
        let canary = service.state_at("prod", Some("canary"));
        assert_eq!(canary.live, Colour::Green);
        assert_eq!(canary.version(Colour::Green), Some("1.1"));
        let other = service.state_at("prod", Some("us"));
        assert_eq!(other.live, Colour::Blue);
        assert_eq!(other.version(Colour::Green), None);
        assert_eq!(
            service.state_at("dev", None).version(Colour::Blue),
            Some("1.0")
        );
    }

    #[test]
    fn the_versions_running_anywhere_include_a_clusters_own() {
        let service = service(
            "[deploy.prod]\nblue = \"1.0\"\nlive = \"blue\"\n[deploy.prod.clusters.canary]\nblue = \"1.1\"\nlive = \"blue\"",
        );
        assert_eq!(service.running_tags(["prod"]), ["1.0", "1.1"]);
    }
}

/// When a node pulls a container's image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PullPolicy {
    Always,
    IfNotPresent,
    Never,
}

impl PullPolicy {
    /// As Kubernetes writes it.
    pub fn as_kubernetes(self) -> &'static str {
        match self {
            Self::Always => "Always",
            Self::IfNotPresent => "IfNotPresent",
            Self::Never => "Never",
        }
    }
}

/// A service of team `t` on base `b:1` at version 1.0, with `rest` of its table: what the
/// tests of the spec's rules start from.
#[cfg(test)]
pub(crate) fn test_service(rest: &str) -> Service {
    toml::from_str(&format!(
        "team = \"t\"\nbase = \"b:1\"\nversion = \"1.0\"\n{rest}"
    ))
    .unwrap()
}
