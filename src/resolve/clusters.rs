//! The clusters of an environment, resolved: the one its `cluster` names, or each it lists,
//! with what a cluster says over what its environment does.

use crate::model::{CertificateModel, ClusterModel, EnterpriseModel, SecretStoreModel};
use crate::naming::table;
use crate::spec::{Environment, SecretStore};

/// External Secrets' own default refresh interval.
const DEFAULT_SECRET_REFRESH: &str = "1h";

pub(crate) fn secret_store(enterprise: &str, env: &str, store: &SecretStore) -> SecretStoreModel {
    SecretStoreModel {
        // Named after the environment: each cluster holds its own copy.
        name: table::CLUSTER_SECRET_STORE.build(&[enterprise, env]),
        refresh: store
            .refresh
            .clone()
            .unwrap_or_else(|| DEFAULT_SECRET_REFRESH.to_owned()),
        settings: store.clone(),
    }
}

/// The clusters of an environment: the one its `cluster` names, with the environment's
/// settings, or each it lists, with what the cluster says over what the environment does.
pub(crate) fn clusters(
    enterprise: &EnterpriseModel,
    name: &str,
    env: &Environment,
    preview_domain: &str,
    store: Option<&SecretStoreModel>,
) -> Vec<ClusterModel> {
    env.cluster_slots()
        .into_iter()
        .map(|slot| {
            let Some(cluster_name) = slot else {
                return ClusterModel {
                    name: None,
                    server: env.cluster.clone().unwrap_or_default(),
                    region: None,
                    domain: env.domain.clone(),
                    preview_domain: preview_domain.to_owned(),
                    wave: 0,
                    node_image: None,
                    secret_store: store.cloned(),
                    certificate: certificate(enterprise, name, env, [&env.domain, preview_domain]),
                    zones: env.zones.clone(),
                };
            };
            let cluster = &env.clusters[cluster_name];
            let domain = cluster.domain.clone().unwrap_or_else(|| env.domain.clone());
            // A cluster with a domain of its own previews under it; one without shares the
            // environment's hosts, previews included.
            let preview_domain = cluster.preview_domain.clone().unwrap_or_else(|| {
                if cluster.domain.is_some() {
                    crate::naming::preview_host(&domain)
                } else {
                    preview_domain.to_owned()
                }
            });
            ClusterModel {
                name: Some(cluster_name.to_owned()),
                server: cluster.server.clone(),
                region: cluster.region.clone(),
                wave: cluster.wave_or_first(),
                node_image: cluster.node_image.clone(),
                secret_store: cluster
                    .secret_store
                    .as_ref()
                    .map(|own| {
                        let inherited = own.over(env.secret_store.as_ref());
                        secret_store(&enterprise.name, name, &inherited)
                    })
                    .or_else(|| store.cloned()),
                certificate: certificate(enterprise, name, env, [&domain, &preview_domain]),
                zones: cluster.zones.clone().unwrap_or_else(|| env.zones.clone()),
                domain,
                preview_domain,
            }
        })
        .collect()
}

/// The certificate of an environment's (or one cluster's) live and preview hosts.
pub(crate) fn certificate(
    enterprise: &EnterpriseModel,
    name: &str,
    env: &Environment,
    hosts: [&str; 2],
) -> Option<CertificateModel> {
    env.certificates.as_ref().map(|certificates| {
        crate::resolve::certificates::resolve_certificate(
            certificates,
            &enterprise.name,
            name,
            hosts,
            &enterprise.ingress_class,
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::resolve::resolve;
    use crate::spec::Spec;

    const TWO_REGIONS: &str = r#"
[enterprise]
name = "acme"
registry = "registry.example.com"
gitops_repo = "https://git.example.com/acme/gitops.git"
platform_team = "@acme/platform"

[environments.dev]
cluster = "https://dev.example"
domain = "dev.acme.example"
secret_store.aws = { region = "eu-west-1" }

[environments.prod]
domain = "acme.example"
secret_store.aws = { region = "eu-west-1" }

[environments.prod.clusters.eu-canary]
server = "https://eu-canary.example"
overrides = { replicas = 1 }

[environments.prod.clusters.us]
server = "https://us.example"
region = "us-east-1"
domain = "us.acme.example"
wave = 1
secret_store.aws = { region = "us-east-1" }

[teams.core]
owners = ["@acme/core"]

[base_images.python]
image = "base/python"
versions."3.12" = { status = "approved" }

[defaults]
replicas = { dev = 1, prod = 3 }

[services.users]
team = "core"
base = "python:3.12"
version = "1.0.0"
secrets = { DB = "users/db" }

[services.users.overrides.prod.clusters.us]
replicas = 6
"#;

    fn model() -> Model {
        let spec: Spec = toml::from_str(TWO_REGIONS).unwrap();
        resolve(
            &spec,
            "enterprise.toml",
            &crate::model::SpecFiles::default(),
        )
    }

    #[test]
    fn an_environment_without_clusters_is_one_unnamed_cluster_with_its_settings() {
        let model = model();
        let dev = model.environment("dev").unwrap();
        assert_eq!(dev.clusters.len(), 1);
        let cluster = &dev.clusters[0];
        assert_eq!(cluster.name, None);
        assert_eq!(cluster.server, "https://dev.example");
        assert_eq!(cluster.domain, "dev.acme.example");
        assert_eq!(cluster.preview_domain, "preview.dev.acme.example");
        assert!(!dev.lists_clusters());
    }

    #[test]
    fn a_cluster_takes_what_it_says_and_the_environment_gives_the_rest() {
        let model = model();
        let prod = model.environment("prod").unwrap();
        let names: Vec<_> = prod.clusters.iter().map(|c| c.name.as_deref()).collect();
        assert_eq!(names, [Some("eu-canary"), Some("us")]);
        let canary = &prod.clusters[0];
        assert_eq!(canary.domain, "acme.example");
        assert_eq!(canary.preview_domain, "preview.acme.example");
        assert_eq!(canary.wave, 0);
        let us = &prod.clusters[1];
        assert_eq!(us.domain, "us.acme.example");
        assert_eq!(us.preview_domain, "preview.us.acme.example");
        assert_eq!(us.wave, 1);
        assert_eq!(us.region.as_deref(), Some("us-east-1"));
        let region = |c: &crate::model::ClusterModel| {
            c.secret_store
                .as_ref()
                .unwrap()
                .settings
                .aws
                .as_ref()
                .unwrap()
                .region
                .clone()
        };
        assert_eq!(region(canary), "eu-west-1");
        assert_eq!(region(us), "us-east-1");
    }

    /// A cluster's `secret_store` follows the rule of every cluster setting: each key it
    /// writes wins, each key it leaves out is its environment's.
    #[test]
    fn a_clusters_secret_store_inherits_what_it_leaves_out_key_by_key() {
        let text = TWO_REGIONS
            .replacen(
                "secret_store.aws = { region = \"eu-west-1\" }\n\n[environments.prod.clusters.eu-canary]\nserver = \"https://eu-canary.example\"\n",
                "secret_store = { refresh = \"15m\", aws = { region = \"eu-west-1\", role = \"arn:aws:iam::123456789012:role/eso\" } }\n\n[environments.prod.clusters.eu-canary]\nserver = \"https://eu-canary.example\"\nsecret_store = { refresh = \"5m\" }\n",
                1,
            );
        assert_ne!(text, TWO_REGIONS);
        let spec: Spec = toml::from_str(&text).unwrap();
        let model = resolve(
            &spec,
            "enterprise.toml",
            &crate::model::SpecFiles::default(),
        );
        let prod = model.environment("prod").unwrap();
        let store = |i: usize| prod.clusters[i].secret_store.clone().unwrap();
        let (canary, us) = (store(0), store(1));
        assert_eq!(canary.refresh, "5m");
        let aws = canary.settings.aws.unwrap();
        assert_eq!(aws.region, "eu-west-1");
        assert_eq!(
            aws.role.as_deref(),
            Some("arn:aws:iam::123456789012:role/eso")
        );
        assert_eq!(us.refresh, "15m");
        let aws = us.settings.aws.unwrap();
        assert_eq!(aws.region, "us-east-1");
        // The provider is one choice: a cluster naming its own reads nothing of the other's.
        assert_eq!(aws.role, None);
        let users = model.service("users").unwrap();
        let refresh = |cluster: &str| {
            users
                .deployment_at("prod", Some(cluster))
                .and_then(|d| d.secrets.clone())
                .map(|s| s.refresh)
        };
        assert_eq!(refresh("us").as_deref(), Some("15m"));
        assert_eq!(refresh("eu-canary").as_deref(), Some("5m"));
    }

    #[test]
    fn a_service_runs_once_per_cluster_with_each_clusters_settings() {
        let model = model();
        let users = model.service("users").unwrap();
        let places: Vec<_> = users
            .deployments
            .iter()
            .map(|d| (d.environment.as_str(), d.cluster.as_deref(), d.replicas))
            .collect();
        assert_eq!(
            places,
            [
                ("dev", None, 1),
                ("prod", Some("eu-canary"), 1),
                ("prod", Some("us"), 6)
            ]
        );
        assert!(
            users
                .deployment_at("prod", Some("us"))
                .unwrap()
                .secrets
                .is_some()
        );
        assert!(users.deployment_at("prod", None).is_none());
    }

    /// A cluster's zones replace its environment's, its `overrides.scheduling` sits below
    /// what the service says, and what the service says for the cluster wins over both.
    #[test]
    fn a_clusters_zones_and_scheduling_are_its_own_over_its_environments() {
        let text = TWO_REGIONS
            .replace(
                "[environments.prod]\n",
                "[environments.prod]\nzones = [\"eu-west-1a\", \"eu-west-1b\"]\n",
            )
            .replace(
                "wave = 1\n",
                "wave = 1\nzones = [\"us-east-1a\"]\noverrides.scheduling = { priority_class = \"regional\", node_selector = { pool = \"us\" } }\n",
            )
            .replace(
                "[services.users.overrides.prod.clusters.us]\nreplicas = 6\n",
                "[services.users.overrides.prod.clusters.us]\nreplicas = 6\nscheduling = { spread = \"strict\", node_selector = { tier = \"web\" } }\n",
            );
        assert_ne!(text, TWO_REGIONS);
        let spec: Spec = toml::from_str(&text).unwrap();
        let model = resolve(
            &spec,
            "enterprise.toml",
            &crate::model::SpecFiles::default(),
        );
        let prod = model.environment("prod").unwrap();
        assert_eq!(prod.clusters[0].zones, ["eu-west-1a", "eu-west-1b"]);
        assert_eq!(prod.clusters[1].zones, ["us-east-1a"]);
        let users = model.service("users").unwrap();
        let at = |cluster: &str| {
            users
                .deployment_at("prod", Some(cluster))
                .unwrap()
                .scheduling
                .clone()
        };
        let (canary, us) = (at("eu-canary"), at("us"));
        // The canary runs one replica its autoscaler may grow: it spreads, as preferred.
        assert_eq!(
            canary.spread,
            Some(crate::model::ZoneSpread { strict: false })
        );
        assert_eq!(canary.priority_class, None);
        assert_eq!(us.spread, Some(crate::model::ZoneSpread { strict: true }));
        assert_eq!(us.priority_class.as_deref(), Some("regional"));
        let labels: Vec<(&str, &str)> = us
            .node_selector
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(labels, [("pool", "us"), ("tier", "web")]);
    }

    #[test]
    fn a_version_on_an_older_base_is_pending_once_per_environment() {
        let text = TWO_REGIONS
            .replace(
                "versions.\"3.12\" = { status = \"approved\" }",
                "versions.\"3.12\" = { status = \"approved\" }\nversions.\"3.11\" = {}",
            )
            .replace(
                "version = \"1.0.0\"\n",
                "version = \"1.0.0\"\nbuilt_on = { \"0.9\" = \"python:3.11\" }\ndeploy.prod = { blue = \"0.9\", live = \"blue\" }\n",
            );
        let spec: Spec = toml::from_str(&text).unwrap();
        let model = resolve(
            &spec,
            "enterprise.toml",
            &crate::model::SpecFiles::default(),
        );
        let pending = model.service("users").unwrap().rebuild_pending();
        let places: Vec<(&str, &str)> = pending
            .iter()
            .map(|p| (p.environment.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(places, [("prod", "0.9")]);
    }
}
