//! How a service's per-environment settings are inherited: `[defaults]`, then the service,
//! then `overrides.<env>`. Each layer is first narrowed to the environment (a value for every
//! environment, or that environment's entry of a per-environment table), then the layers are
//! merged key by key, the most specific layer that gives a key winning. A layer that sets one
//! key of a table, or one environment of a per-environment value, leaves the others to the
//! layers below.

use indexmap::IndexMap;

use super::{Autoscaling, Defaults, EnvOverride, PerEnv, Resources, Service};

/// A layer of inheritance, most specific last (and greatest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    Defaults,
    Service,
    Override,
}

/// The per-environment settings as one layer gives them for one environment, or as all
/// layers together give them; `None` (or an absent variable) leaves the key to the layer below.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnvSettings {
    pub replicas: Option<i64>,
    pub resources: Resources,
    pub autoscaling: EnvAutoscaling,
    pub env: IndexMap<String, String>,
    /// Secret references, variable → `entry#property`.
    pub secrets: IndexMap<String, String>,
}

/// Autoscaling narrowed to one environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvAutoscaling {
    pub enabled: Option<bool>,
    pub max: Option<i64>,
    pub cpu: Option<i64>,
}

impl EnvSettings {
    /// `self` over `below`, key by key.
    #[must_use]
    pub fn over(self, below: Self) -> Self {
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
        }
    }

    fn layer(
        replicas: Option<&PerEnv<i64>>,
        resources: Option<&Resources>,
        autoscaling: Option<&Autoscaling>,
        env_vars: &IndexMap<String, String>,
        secrets: &IndexMap<String, String>,
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
        }
    }

    pub fn of_defaults(defaults: &Defaults, env: &str) -> Self {
        Self::layer(
            defaults.replicas.as_ref(),
            defaults.resources.as_ref(),
            defaults.autoscaling.as_ref(),
            &defaults.env,
            &IndexMap::new(),
            env,
        )
    }

    pub fn of_service(service: &Service, env: &str) -> Self {
        Self::layer(
            service.replicas.as_ref(),
            service.resources.as_ref(),
            service.autoscaling.as_ref(),
            &service.env,
            &service.secrets,
            env,
        )
    }

    pub fn of_override(over: &EnvOverride, env: &str) -> Self {
        Self::layer(
            over.replicas.map(PerEnv::All).as_ref(),
            over.resources.as_ref(),
            over.autoscaling.as_ref(),
            &over.env,
            &over.secrets,
            env,
        )
    }
}

/// The layers of `service` in `env`, most specific first.
pub fn layers(defaults: &Defaults, service: &Service, env: &str) -> [(Layer, EnvSettings); 3] {
    let over = service
        .overrides
        .get(env)
        .map(|o| EnvSettings::of_override(o, env))
        .unwrap_or_default();
    [
        (Layer::Override, over),
        (Layer::Service, EnvSettings::of_service(service, env)),
        (Layer::Defaults, EnvSettings::of_defaults(defaults, env)),
    ]
}

/// The settings `service` runs with in `env`, before fleetc's own defaults fill the gaps.
pub fn inherited(defaults: &Defaults, service: &Service, env: &str) -> EnvSettings {
    layers(defaults, service, env)
        .into_iter()
        .fold(EnvSettings::default(), |above, (_, layer)| {
            above.over(layer)
        })
}

/// The most specific layer that gives the key `gives` looks at, in `env`: where an inherited
/// value comes from.
pub fn origin(
    defaults: &Defaults,
    service: &Service,
    env: &str,
    gives: impl Fn(&EnvSettings) -> bool,
) -> Option<Layer> {
    layers(defaults, service, env)
        .into_iter()
        .find(|(_, settings)| gives(settings))
        .map(|(layer, _)| layer)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
