//! How a service's per-environment settings are inherited: `[defaults]`, then the cluster's
//! `overrides` (in an environment that lists clusters), then the service, then
//! `overrides.<env>`, then `overrides.<env>.clusters.<cluster>`. Each layer is first narrowed
//! to the environment (a value for every environment, or that environment's entry of a
//! per-environment table), then the layers are merged key by key, the most specific layer that
//! gives a key winning. A layer that sets one key of a table, or one environment of a
//! per-environment value, leaves the others to the layers below. A cluster's own `overrides`
//! are defaults for a place, so what a service says itself wins over them; what a service
//! says for one cluster is the most specific statement there is.

use indexmap::IndexMap;

use super::{
    Autoscaling, Cluster, ClusterDefaults, ClusterOverride, Defaults, EnvOverride, Environment,
    Metrics, PerEnv, Resources, Scheduling, Service, Spec,
};

/// A layer of inheritance, most specific last (and greatest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Layer {
    Defaults,
    /// `environments.<env>.clusters.<cluster>.overrides`.
    ClusterDefaults,
    Service,
    Override,
    /// `services.<svc>.overrides.<env>.clusters.<cluster>`.
    ClusterOverride,
}

impl Layer {
    /// The key path of the table this layer is written in, for `service` at `place`.
    pub(crate) fn key_path(self, service: &str, place: &Place<'_>) -> Vec<String> {
        let cluster = place.cluster.map_or("", |c| c.name);
        let path: Vec<&str> = match self {
            Self::Defaults => vec!["defaults"],
            Self::ClusterDefaults => {
                vec!["environments", place.env, "clusters", cluster, "overrides"]
            }
            Self::Service => vec!["services", service],
            Self::Override => vec!["services", service, "overrides", place.env],
            Self::ClusterOverride => vec![
                "services",
                service,
                "overrides",
                place.env,
                "clusters",
                cluster,
            ],
        };
        path.into_iter().map(str::to_owned).collect()
    }
}

/// Where a service runs: an environment, and one of its clusters when the environment lists
/// clusters (none for the one cluster of an environment that does not).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place<'a> {
    pub env: &'a str,
    pub cluster: Option<ClusterPlace<'a>>,
}

/// A named cluster of an environment, with the settings it gives every service.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClusterPlace<'a> {
    pub name: &'a str,
    pub defaults: Option<&'a ClusterDefaults>,
}

impl<'a> Place<'a> {
    /// The environment alone: its one cluster, when it lists none.
    pub(crate) fn environment(env: &'a str) -> Self {
        Self { env, cluster: None }
    }

    pub(crate) fn cluster(env: &'a str, name: &'a str, cluster: &'a Cluster) -> Self {
        Self {
            env,
            cluster: Some(ClusterPlace {
                name,
                defaults: cluster.overrides.as_ref(),
            }),
        }
    }

    /// Every place of an environment: its one cluster, or each cluster it lists.
    pub(crate) fn all_of(env: &'a str, environment: &'a Environment) -> Vec<Self> {
        environment
            .cluster_slots()
            .into_iter()
            .map(|slot| match slot {
                None => Self::environment(env),
                Some(name) => Self::cluster(env, name, &environment.clusters[name]),
            })
            .collect()
    }
}

/// The per-environment settings as one layer gives them for one environment, or as all
/// layers together give them; `None` (or an absent variable) leaves the key to the layer below.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct EnvSettings {
    pub replicas: Option<i64>,
    pub resources: Resources,
    pub autoscaling: EnvAutoscaling,
    pub env: IndexMap<String, String>,
    /// Secret references, variable → `entry#property`.
    pub secrets: IndexMap<String, String>,
    /// Where the pods run, key by key.
    pub scheduling: Scheduling,
}

/// Autoscaling narrowed to one environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EnvAutoscaling {
    pub enabled: Option<bool>,
    pub max: Option<i64>,
    pub cpu: Option<i64>,
}

impl EnvSettings {
    /// `self` over `below`, key by key.
    #[must_use]
    pub(crate) fn over(self, below: Self) -> Self {
        let mut env = below.env;
        env.extend(self.env);
        let mut secrets = below.secrets;
        secrets.extend(self.secrets);
        Self {
            replicas: self.replicas.or(below.replicas),
            resources: self.resources.or(&below.resources),
            autoscaling: EnvAutoscaling {
                enabled: self.autoscaling.enabled.or(below.autoscaling.enabled),
                max: self.autoscaling.max.or(below.autoscaling.max),
                cpu: self.autoscaling.cpu.or(below.autoscaling.cpu),
            },
            env,
            secrets,
            scheduling: self.scheduling.over(&below.scheduling),
        }
    }

    fn layer(
        replicas: Option<&PerEnv<i64>>,
        resources: Option<&Resources>,
        autoscaling: Option<&Autoscaling>,
        env_vars: &IndexMap<String, String>,
        secrets: &IndexMap<String, String>,
        scheduling: Option<&Scheduling>,
        env: &str,
    ) -> Self {
        let autoscaling = autoscaling.map_or_else(EnvAutoscaling::default, |a| EnvAutoscaling {
            enabled: a.enabled,
            max: a.max.as_ref().and_then(|m| m.get(env).copied()),
            cpu: a.cpu,
        });
        Self {
            replicas: replicas.and_then(|r| r.get(env).copied()),
            resources: resources.cloned().unwrap_or_default(),
            autoscaling,
            env: env_vars.clone(),
            secrets: secrets.clone(),
            scheduling: scheduling.cloned().unwrap_or_default(),
        }
    }

    pub(crate) fn of_defaults(defaults: &Defaults, env: &str) -> Self {
        Self::layer(
            defaults.replicas.as_ref(),
            defaults.resources.as_ref(),
            defaults.autoscaling.as_ref(),
            &defaults.env,
            &IndexMap::new(),
            defaults.scheduling.as_ref(),
            env,
        )
    }

    pub(crate) fn of_service(service: &Service, env: &str) -> Self {
        Self::layer(
            service.replicas.as_ref(),
            service.resources.as_ref(),
            service.autoscaling.as_ref(),
            &service.env,
            &service.secrets,
            service.scheduling.as_ref(),
            env,
        )
    }

    pub(crate) fn of_override(over: &EnvOverride, env: &str) -> Self {
        Self::layer(
            over.replicas.map(PerEnv::All).as_ref(),
            over.resources.as_ref(),
            over.autoscaling.as_ref(),
            &over.env,
            &over.secrets,
            over.scheduling.as_ref(),
            env,
        )
    }

    pub(crate) fn of_cluster_defaults(over: &ClusterDefaults, env: &str) -> Self {
        Self::layer(
            over.replicas.map(PerEnv::All).as_ref(),
            over.resources.as_ref(),
            over.autoscaling.as_ref(),
            &over.env,
            &IndexMap::new(),
            over.scheduling.as_ref(),
            env,
        )
    }

    pub(crate) fn of_cluster_override(over: &ClusterOverride, env: &str) -> Self {
        Self::layer(
            over.replicas.map(PerEnv::All).as_ref(),
            over.resources.as_ref(),
            over.autoscaling.as_ref(),
            &over.env,
            &over.secrets,
            over.scheduling.as_ref(),
            env,
        )
    }
}

/// The layers of `service` at `place`, most specific first; a place without a cluster has
/// no cluster layers.
pub(super) fn layers_at(
    defaults: &Defaults,
    service: &Service,
    place: &Place<'_>,
) -> Vec<(Layer, EnvSettings)> {
    let env = place.env;
    let over = service.overrides.get(env);
    let mut layers = Vec::with_capacity(5);
    if let Some(cluster) = place.cluster {
        let settings = over
            .and_then(|o| o.clusters.get(cluster.name))
            .map(|o| EnvSettings::of_cluster_override(o, env))
            .unwrap_or_default();
        layers.push((Layer::ClusterOverride, settings));
    }
    layers.push((
        Layer::Override,
        over.map(|o| EnvSettings::of_override(o, env))
            .unwrap_or_default(),
    ));
    layers.push((Layer::Service, EnvSettings::of_service(service, env)));
    if let Some(cluster) = place.cluster {
        let settings = cluster
            .defaults
            .map(|d| EnvSettings::of_cluster_defaults(d, env))
            .unwrap_or_default();
        layers.push((Layer::ClusterDefaults, settings));
    }
    layers.push((Layer::Defaults, EnvSettings::of_defaults(defaults, env)));
    layers
}

/// The settings `service` runs with at `place`, before fleetc's own defaults fill the gaps.
pub(crate) fn inherited_at(
    defaults: &Defaults,
    service: &Service,
    place: &Place<'_>,
) -> EnvSettings {
    layers_at(defaults, service, place)
        .into_iter()
        .fold(EnvSettings::default(), |above, (_, layer)| {
            above.over(layer)
        })
}

/// The most specific layer that gives the key `gives` looks at, at `place`: where an
/// inherited value comes from.
pub(crate) fn origin_at(
    defaults: &Defaults,
    service: &Service,
    place: &Place<'_>,
    gives: impl Fn(&EnvSettings) -> bool,
) -> Option<Layer> {
    layers_at(defaults, service, place)
        .into_iter()
        .find(|(_, settings)| gives(settings))
        .map(|(layer, _)| layer)
}

impl Spec {
    /// A service's metrics keys, each it leaves out taken from `[defaults]`.
    pub fn metrics_of(&self, service: &Service) -> Metrics {
        // Only a server is scraped unasked: a worker serves metrics where it says so, and a
        // job's pods are gone before Prometheus would come back.
        let asked = service.metrics.is_some() && !service.kind.runs_to_completion();
        if !service.kind.serves() && !asked {
            return Metrics {
                enabled: Some(false),
                ..Metrics::default()
            };
        }
        [service.metrics.as_ref(), self.defaults.metrics.as_ref()]
            .into_iter()
            .flatten()
            .fold(Metrics::default(), |acc, m| acc.or(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The settings `service` runs with in `env`'s one cluster, when it lists none.
    fn inherited(defaults: &Defaults, service: &Service, env: &str) -> EnvSettings {
        inherited_at(defaults, service, &Place::environment(env))
    }

    /// [`origin_at`] in `env`'s one cluster, when it lists none.
    fn origin(
        defaults: &Defaults,
        service: &Service,
        env: &str,
        gives: impl Fn(&EnvSettings) -> bool,
    ) -> Option<Layer> {
        origin_at(defaults, service, &Place::environment(env), gives)
    }

    fn service(toml: &str) -> Service {
        let text = format!("team = \"t\"\nbase = \"b:1\"\nversion = \"1\"\n{toml}");
        toml::from_str(&text).unwrap()
    }

    fn defaults(toml: &str) -> Defaults {
        toml::from_str(toml).unwrap()
    }

    #[test]
    fn autoscaling_max_for_one_environment_leaves_the_others_to_the_defaults() {
        let defaults = defaults("autoscaling = { max = { dev = 2, prod = 4 } }");
        let service = service("autoscaling = { max = { prod = 20 } }");
        assert_eq!(
            inherited(&defaults, &service, "dev").autoscaling.max,
            Some(2)
        );
        assert_eq!(
            inherited(&defaults, &service, "prod").autoscaling.max,
            Some(20)
        );
    }

    #[test]
    fn an_override_sets_one_key_and_inherits_the_rest() {
        let defaults = defaults("autoscaling = { cpu = 60, max = 5 }\nresources = { cpu = \"1\" }");
        let service = service(
            "resources = { memory = \"1Gi\" }\noverrides.prod = { autoscaling = { max = 9 }, resources = { cpu_limit = \"2\" } }",
        );
        let prod = inherited(&defaults, &service, "prod");
        assert_eq!(
            prod.autoscaling,
            EnvAutoscaling {
                enabled: None,
                max: Some(9),
                cpu: Some(60)
            }
        );
        assert_eq!(prod.resources.cpu.as_deref(), Some("1"));
        assert_eq!(prod.resources.memory.as_deref(), Some("1Gi"));
        assert_eq!(prod.resources.cpu_limit.as_deref(), Some("2"));
        assert_eq!(
            inherited(&defaults, &service, "dev").autoscaling.max,
            Some(5)
        );
    }

    #[test]
    fn origin_names_the_layer_that_gives_the_value_for_that_environment() {
        let defaults = defaults("replicas = { dev = 1, prod = 2 }");
        let service = service("replicas = { prod = 3 }\noverrides.staging = { replicas = 4 }");
        let replicas = |s: &EnvSettings| s.replicas.is_some();
        assert_eq!(
            origin(&defaults, &service, "dev", replicas),
            Some(Layer::Defaults)
        );
        assert_eq!(
            origin(&defaults, &service, "prod", replicas),
            Some(Layer::Service)
        );
        assert_eq!(
            origin(&defaults, &service, "staging", replicas),
            Some(Layer::Override)
        );
        assert_eq!(origin(&defaults, &service, "qa", replicas), None);
    }

    fn prod(toml: &str) -> crate::spec::Environment {
        toml::from_str(&format!("domain = \"example.com\"\n{toml}")).unwrap()
    }

    #[test]
    fn a_cluster_override_wins_over_the_environment_and_inherits_the_rest() {
        let defaults = defaults("replicas = 1");
        let service = service(
            "[overrides.prod]\nreplicas = 3\nenv = { MODE = \"prod\", REGION = \"any\" }\n[overrides.prod.clusters.us]\nreplicas = 6\nenv = { REGION = \"us\" }",
        );
        let env = prod(
            "[clusters.us]\nserver = \"https://us.example\"\n[clusters.eu]\nserver = \"https://eu.example\"",
        );
        let places = Place::all_of("prod", &env);
        let us = inherited_at(&defaults, &service, &places[0]);
        assert_eq!(us.replicas, Some(6));
        assert_eq!(us.env["MODE"], "prod");
        assert_eq!(us.env["REGION"], "us");
        let eu = inherited_at(&defaults, &service, &places[1]);
        assert_eq!(eu.replicas, Some(3));
        assert_eq!(eu.env["REGION"], "any");
    }

    #[test]
    fn a_clusters_own_overrides_sit_between_the_defaults_and_the_service() {
        let defaults = defaults("replicas = 2\nresources = { cpu = \"1\", memory = \"1Gi\" }");
        let env = prod(
            "[clusters.canary]\nserver = \"https://c.example\"\noverrides = { replicas = 1, resources = { cpu = \"250m\" } }",
        );
        let canary = Place::all_of("prod", &env)[0];
        let quiet = service("");
        let settings = inherited_at(&defaults, &quiet, &canary);
        assert_eq!(settings.replicas, Some(1));
        assert_eq!(settings.resources.cpu.as_deref(), Some("250m"));
        assert_eq!(settings.resources.memory.as_deref(), Some("1Gi"));
        let sized = service("replicas = { prod = 5 }");
        assert_eq!(inherited_at(&defaults, &sized, &canary).replicas, Some(5));
    }

    #[test]
    fn origin_at_a_cluster_names_the_cluster_layers_and_their_keys() {
        let defaults = defaults("");
        let env =
            prod("[clusters.us]\nserver = \"https://us.example\"\noverrides = { replicas = 2 }");
        let us = Place::all_of("prod", &env)[0];
        let replicas = |s: &EnvSettings| s.replicas.is_some();
        let memory = |s: &EnvSettings| s.resources.memory.is_some();
        let service = service("[overrides.prod.clusters.us]\nresources = { memory = \"2Gi\" }");
        let from_cluster = origin_at(&defaults, &service, &us, replicas).unwrap();
        assert_eq!(from_cluster, Layer::ClusterDefaults);
        assert_eq!(
            from_cluster.key_path("users", &us),
            ["environments", "prod", "clusters", "us", "overrides"]
        );
        let from_override = origin_at(&defaults, &service, &us, memory).unwrap();
        assert_eq!(from_override, Layer::ClusterOverride);
        assert_eq!(
            from_override.key_path("users", &us),
            ["services", "users", "overrides", "prod", "clusters", "us"]
        );
    }

    #[test]
    fn an_environment_without_clusters_inherits_as_it_always_has() {
        let defaults = defaults("replicas = 2");
        let service =
            service("[overrides.prod]\nreplicas = 4\n[overrides.prod.clusters.us]\nreplicas = 9");
        let env = prod("cluster = \"https://prod.example\"");
        let places = Place::all_of("prod", &env);
        assert_eq!(places.len(), 1);
        assert!(places[0].cluster.is_none());
        assert_eq!(
            inherited_at(&defaults, &service, &places[0]).replicas,
            Some(4)
        );
        assert_eq!(layers_at(&defaults, &service, &places[0]).len(), 3);
    }
}
