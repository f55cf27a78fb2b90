//! Every per-environment setting is inherited key by key and environment by environment:
//! `overrides.<env>` over the service over `[defaults]`, whatever the layers set.

use std::fmt::Write;

use fleetc::Date;
use fleetc::{Source, compile};
use proptest::prelude::*;

const ENVS: [&str; 3] = ["dev", "staging", "prod"];

/// A value a layer may give: nothing, one for every environment, or some environments'.
#[derive(Debug, Clone)]
enum Given {
    Absent,
    All(i64),
    ByEnv(Vec<Option<i64>>),
}

impl Given {
    fn get(&self, env: usize) -> Option<i64> {
        match self {
            Self::Absent => None,
            Self::All(v) => Some(*v),
            Self::ByEnv(values) => values[env],
        }
    }

    /// `key = …` inside an inline table, or nothing.
    fn toml(&self, key: &str) -> Option<String> {
        match self {
            Self::Absent => None,
            Self::All(v) => Some(format!("{key} = {v}")),
            Self::ByEnv(values) => {
                let entries: Vec<String> = ENVS
                    .iter()
                    .zip(values)
                    .filter_map(|(env, v)| v.map(|v| format!("{env} = {v}")))
                    .collect();
                (!entries.is_empty()).then(|| format!("{key} = {{ {} }}", entries.join(", ")))
            }
        }
    }
}

fn given(range: std::ops::RangeInclusive<i64>) -> impl Strategy<Value = Given> {
    prop_oneof![
        Just(Given::Absent),
        range.clone().prop_map(Given::All),
        proptest::collection::vec(proptest::option::of(range), 3).prop_map(Given::ByEnv),
    ]
}

/// One layer: `[defaults]`, the service, or an `overrides.<env>` (where only `All` makes
/// sense for replicas).
#[derive(Debug, Clone)]
struct Layer {
    replicas: Given,
    max: Given,
    cpu_target: Option<i64>,
    cpu: Option<u8>,
    memory: Option<u8>,
    var: Option<u8>,
}

fn layer(per_env_replicas: bool) -> impl Strategy<Value = Layer> {
    let replicas = if per_env_replicas {
        given(1..=5).boxed()
    } else {
        prop_oneof![Just(Given::Absent), (1..=5i64).prop_map(Given::All)].boxed()
    };
    (
        replicas,
        given(1..=30),
        proptest::option::of(50..=90i64),
        proptest::option::of(1..=9u8),
        proptest::option::of(1..=9u8),
        proptest::option::of(1..=9u8),
    )
        .prop_map(|(replicas, max, cpu_target, cpu, memory, var)| Layer {
            replicas,
            max,
            cpu_target,
            cpu,
            memory,
            var,
        })
}

impl Layer {
    /// The layer's keys as `key = value` lines of a table.
    fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        lines.extend(self.replicas.toml("replicas"));
        let autoscaling: Vec<String> = self
            .max
            .toml("max")
            .into_iter()
            .chain(self.cpu_target.map(|c| format!("cpu = {c}")))
            .collect();
        if !autoscaling.is_empty() {
            lines.push(format!("autoscaling = {{ {} }}", autoscaling.join(", ")));
        }
        let resources: Vec<String> = self
            .cpu
            .map(|c| format!("cpu = \"{c}00m\""))
            .into_iter()
            .chain(self.memory.map(|m| format!("memory = \"{m}00Mi\"")))
            .collect();
        if !resources.is_empty() {
            lines.push(format!("resources = {{ {} }}", resources.join(", ")));
        }
        if let Some(var) = self.var {
            lines.push(format!("env = {{ LEVEL = \"{var}\" }}"));
        }
        lines
    }
}

fn spec(defaults: &Layer, service: &Layer, overrides: &[Option<Layer>]) -> String {
    let mut text = String::from(
        r#"[enterprise]
name = "acme"
registry = "registry.example.com"
gitops_repo = "https://git.example.com/acme/gitops.git"
platform_team = "@acme/platform"

[environments.dev]
cluster = "https://dev.example.com"
domain = "dev.acme.example"

[environments.staging]
cluster = "https://staging.example.com"
domain = "staging.acme.example"

[environments.prod]
cluster = "https://prod.example.com"
domain = "prod.acme.example"

[teams.core]
owners = ["@acme/core"]

[base_images.alpine]
image = "base/alpine"
versions."3.20" = {}

[defaults]
"#,
    );
    for line in defaults.lines() {
        let _ = writeln!(text, "{line}");
    }
    text.push_str(
        "\n[services.users]\nteam = \"core\"\nbase = \"alpine:3.20\"\nversion = \"1.0.0\"\n",
    );
    for line in service.lines() {
        let _ = writeln!(text, "{line}");
    }
    for (env, over) in ENVS.iter().zip(overrides) {
        if let Some(over) = over {
            let _ = writeln!(text, "\n[services.users.overrides.{env}]");
            for line in over.lines() {
                let _ = writeln!(text, "{line}");
            }
        }
    }
    text
}

/// The most specific layer's value for one key in one environment.
fn first<T>(values: [Option<T>; 3]) -> Option<T> {
    values.into_iter().flatten().next()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_key_is_inherited_per_environment_from_the_most_specific_layer(
        defaults in layer(true),
        service in layer(true),
        overrides in proptest::collection::vec(proptest::option::of(layer(false)), 3),
    ) {
        let text = spec(&defaults, &service, &overrides);
        let compiled = compile(&Source::new("enterprise.toml", text.clone()), Date::parse("2026-11-22").unwrap())
            .unwrap_or_else(|d| panic!("{d:?}\n{text}"));
        let model = &compiled.model.services[0];
        for (i, env) in ENVS.iter().enumerate() {
            let over = overrides[i].as_ref();
            let deployment = model.deployments.iter().find(|d| d.environment == *env).unwrap();
            let replicas = first([over.and_then(|o| o.replicas.get(i)), service.replicas.get(i), defaults.replicas.get(i)]).unwrap_or(1);
            prop_assert_eq!(i64::from(deployment.replicas), replicas, "replicas in {}\n{}", env, text);
            let hpa = deployment.autoscaling.as_ref().unwrap();
            let max = first([over.and_then(|o| o.max.get(i)), service.max.get(i), defaults.max.get(i)]).unwrap_or(replicas * 3);
            prop_assert_eq!(i64::from(hpa.max), max.max(replicas), "maxReplicas in {}\n{}", env, text);
            let cpu_target = first([over.and_then(|o| o.cpu_target), service.cpu_target, defaults.cpu_target]).unwrap_or(75);
            prop_assert_eq!(i64::from(hpa.cpu_utilization), cpu_target, "cpu target in {}\n{}", env, text);
            let cpu = first([over.and_then(|o| o.cpu), service.cpu, defaults.cpu]).map_or("100m".to_owned(), |c| format!("{c}00m"));
            prop_assert_eq!(&deployment.resources.cpu, &cpu, "cpu in {}\n{}", env, text);
            let memory = first([over.and_then(|o| o.memory), service.memory, defaults.memory]).map_or("128Mi".to_owned(), |m| format!("{m}00Mi"));
            prop_assert_eq!(&deployment.resources.memory, &memory, "memory in {}\n{}", env, text);
            let var = first([over.and_then(|o| o.var), service.var, defaults.var]).map(|v| v.to_string());
            prop_assert_eq!(deployment.env.get("LEVEL"), var.as_ref(), "LEVEL in {}\n{}", env, text);
        }
    }
}

/// `[defaults] autoscaling = { max = { dev = 2, prod = 4 } }` and a service setting only
/// prod's maximum: dev keeps the default's 2.
#[test]
fn a_service_setting_one_environment_s_autoscaling_max_keeps_the_default_for_the_others() {
    let defaults = Layer {
        replicas: Given::Absent,
        max: Given::ByEnv(vec![Some(2), None, Some(4)]),
        cpu_target: None,
        cpu: None,
        memory: None,
        var: None,
    };
    let service = Layer {
        max: Given::ByEnv(vec![None, None, Some(20)]),
        ..defaults.clone()
    };
    let text = spec(&defaults, &service, &[None, None, None]);
    let compiled = compile(
        &Source::new("enterprise.toml", text),
        Date::parse("2026-11-22").unwrap(),
    )
    .unwrap();
    let maxima: Vec<u32> = compiled.model.services[0]
        .deployments
        .iter()
        .map(|d| d.autoscaling.as_ref().unwrap().max)
        .collect();
    assert_eq!(
        maxima,
        [2, 3, 20],
        "dev from the defaults, staging 3 × replicas, prod from the service"
    );
    let hpa = compiled
        .tree
        .get("generated/apps/users/overlays/dev/hpa.yaml")
        .or_else(|| compiled.tree.get("apps/users/overlays/dev/hpa.yaml"))
        .expect("dev has an HPA");
    assert!(String::from_utf8_lossy(hpa).contains("maxReplicas: 2"));
}
