//! Secrets by reference: each environment's store names one provider with settings of the
//! shape that provider takes; each reference parses and reaches a store in every environment
//! the service reads it in; and no variable is both a literal and a secret, which would leave
//! its value to whichever layer happened to win.

use std::collections::BTreeMap;

use super::context::Context;
use super::secrets::{invalid_variable_name, variable_name_problem};
use crate::source::diagnostic::Diagnostic;
use crate::spec::{
    EnvSettings, Layer, Place, Provider, SecretRef, SecretStore, Service, origin_at,
};

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (env, environment) in &spec.environments {
        let below = environment.secret_store.as_ref();
        if let Some(store) = below {
            check_store(cx, env, &["environments", env, "secret_store"], store, None);
        }
        for (cluster, listed) in &environment.clusters {
            if let Some(store) = &listed.secret_store {
                let at = ["environments", env, "clusters", cluster, "secret_store"];
                let place = format!("{env}/{cluster}");
                check_store(cx, &place, &at, store, Some((env, below)));
            }
        }
    }
    for (name, service) in &spec.services {
        check_references(cx, name, service);
        check_reachable_and_single(cx, name, service);
    }
}

/// One store as written, of an environment or of a cluster (with its environment and the
/// environment's store, whose provider a cluster that names none inherits).
fn check_store(
    cx: &mut Context<'_>,
    env: &str,
    at: &[&str],
    store: &SecretStore,
    cluster_of: Option<(&str, Option<&SecretStore>)>,
) {
    let providers = store.providers();
    let inherits = cluster_of
        .and_then(|(_, below)| below)
        .is_some_and(|below| !below.providers().is_empty());
    if providers.len() > 1 || providers.is_empty() && !inherits {
        let named: Vec<&str> = providers.iter().map(|p| p.key()).collect();
        let message = if let (true, Some((environment, _))) = (named.is_empty(), cluster_of) {
            format!(
                "the secret store of `{env}` names no provider, and `{environment}` has none to inherit"
            )
        } else if named.is_empty() {
            format!("the secret store of `{env}` names no provider")
        } else {
            format!(
                "the secret store of `{env}` names {} providers ({}); an environment has one store",
                named.len(),
                named.join(", ")
            )
        };
        cx.report(
            Diagnostic::error(message)
                .at(cx.spans.key(at))
                .label("one provider here")
                .help("write exactly one of `aws`, `vault`, `gcp` or `azure`, for example `aws = { region = \"eu-west-1\" }`"),
        );
    }
    if let Some(refresh) = &store.refresh {
        let positive = crate::formats::go_duration::parse(refresh).is_ok_and(|nanos| nanos > 0);
        if !positive {
            report(
                cx,
                &[at, &["refresh"]].concat(),
                format!(
                    "refresh `{}` is not a positive duration",
                    refresh.escape_debug()
                ),
                "a Go duration such as `1h`, `15m` or `1h30m`",
            );
        }
    }
    for provider in providers {
        for (field, value, problem, help) in provider_problems(provider) {
            report(
                cx,
                &[at, &[provider.key(), field]].concat(),
                format!("{field} `{}` {problem}", value.escape_debug()),
                help,
            );
        }
    }
}

type Problem<'a> = (&'static str, &'a str, &'static str, &'static str);

/// The settings a provider would refuse at sync time, found now.
fn provider_problems(provider: Provider<'_>) -> Vec<Problem<'_>> {
    let mut found = Vec::new();
    let url = |value: &str| value.starts_with("https://") || value.starts_with("http://");
    match provider {
        Provider::Aws(aws) => {
            if !is_aws_region(&aws.region) {
                found.push((
                    "region",
                    aws.region.as_str(),
                    "is not an AWS region",
                    "for example `eu-west-1` or `us-gov-west-1`",
                ));
            }
            if let Some(role) = &aws.role
                && !is_role_arn(role)
            {
                found.push((
                    "role",
                    role.as_str(),
                    "is not an IAM role ARN",
                    "for example `arn:aws:iam::123456789012:role/external-secrets`",
                ));
            }
        }
        Provider::Vault(vault) => {
            if !url(&vault.server) || vault.server.contains(char::is_whitespace) {
                found.push((
                    "server",
                    vault.server.as_str(),
                    "is not a URL",
                    "for example `https://vault.example.internal:8200`",
                ));
            }
            for (field, value) in [("role", Some(&vault.role)), ("path", vault.path.as_ref())]
                .into_iter()
                .chain([("auth_path", vault.auth_path.as_ref())])
            {
                if let Some(value) = value
                    && !is_path(value)
                {
                    found.push((
                        field,
                        value.as_str(),
                        "is not a Vault name",
                        "letters, digits and `-_/.`, for example `secret` or `kubernetes`",
                    ));
                }
            }
        }
        Provider::Gcp(gcp) => {
            if !is_gcp_project(&gcp.project) {
                found.push((
                    "project",
                    gcp.project.as_str(),
                    "is not a Google Cloud project ID",
                    "6 to 30 lowercase letters, digits and `-`, starting with a letter, for example `acme-prod`",
                ));
            }
        }
        Provider::Azure(azure) => {
            if !azure.vault_url.starts_with("https://")
                || azure.vault_url.contains(char::is_whitespace)
            {
                found.push((
                    "vault_url",
                    azure.vault_url.as_str(),
                    "is not a Key Vault URL",
                    "for example `https://acme-prod.vault.azure.net`",
                ));
            }
            if let Some(account) = &azure.service_account {
                let valid = account.split_once('/').is_some_and(|(ns, name)| {
                    super::names::dns_label_problem(ns).is_none()
                        && super::names::dns_label_problem(name).is_none()
                });
                if !valid {
                    found.push((
                        "service_account",
                        account.as_str(),
                        "is not `namespace/name` of a service account",
                        "for example `external-secrets/external-secrets`",
                    ));
                }
            }
        }
    }
    found
}

/// The variable's name is also the key of the Kubernetes Secret, which takes fewer
/// characters than a variable name.
fn secret_key_problem(variable: &str) -> Option<&'static str> {
    let valid = variable.len() <= 253
        && variable
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c));
    (!valid).then_some("a variable read from a secret names a key of a Kubernetes Secret, which holds only letters, digits, `-`, `.` and `_`")
}

fn is_aws_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

fn is_role_arn(role: &str) -> bool {
    let parts: Vec<&str> = role.splitn(6, ':').collect();
    matches!(parts.as_slice(), ["arn", partition, "iam", "", account, resource]
        if partition.starts_with("aws")
            && account.len() == 12
            && account.chars().all(|c| c.is_ascii_digit())
            && resource.strip_prefix("role/").is_some_and(|r| !r.is_empty() && !r.contains(char::is_whitespace)))
}

fn is_gcp_project(project: &str) -> bool {
    (6..=30).contains(&project.len())
        && project.starts_with(|c: char| c.is_ascii_lowercase())
        && !project.ends_with('-')
        && project
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_path(value: &str) -> bool {
    !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_/.".contains(c))
}

/// Each written reference, where it is written.
fn check_references(cx: &mut Context<'_>, name: &str, service: &Service) {
    let mut tables = vec![(vec!["services", name, "secrets"], &service.secrets)];
    for (env, over) in &service.overrides {
        tables.push((
            vec!["services", name, "overrides", env, "secrets"],
            &over.secrets,
        ));
        for (cluster, over) in &over.clusters {
            tables.push((
                vec![
                    "services",
                    name,
                    "overrides",
                    env,
                    "clusters",
                    cluster,
                    "secrets",
                ],
                &over.secrets,
            ));
        }
    }
    for (path, references) in tables {
        for (variable, text) in references {
            let at = [&path[..], &[variable.as_str()]].concat();
            if let Some(problem) =
                variable_name_problem(variable).or_else(|| secret_key_problem(variable))
            {
                cx.report(
                    invalid_variable_name(variable, problem, "DB_PASSWORD").at(cx.spans.key(&at)),
                );
            }
            if let Err(problem) = SecretRef::parse(text) {
                cx.report(
                    Diagnostic::error(format!(
                        "secret reference `{}` does not parse: {problem}",
                        text.escape_debug()
                    ))
                    .at(cx.spans.value(&at))
                    .label("not a reference")
                    .help("write the store's entry, and `#` and a property to pick one field of it: `users/db#password` or `stripe-api-key`"),
                );
            }
        }
    }
}

/// Where the value of `variable` comes from in `env`, for a literal (`env`) or a secret.
fn written_at(
    cx: &Context<'_>,
    name: &str,
    service: &Service,
    place: &Place<'_>,
    variable: &str,
    secret: bool,
) -> Vec<String> {
    let table = if secret { "secrets" } else { "env" };
    let gives = |s: &EnvSettings| {
        if secret {
            s.secrets.contains_key(variable)
        } else {
            s.env.contains_key(variable)
        }
    };
    let layer = origin_at(&cx.spec.defaults, service, place, gives).unwrap_or(Layer::Defaults);
    let mut path = layer.key_path(name, place);
    path.extend([table.to_owned(), variable.to_owned()]);
    path
}

/// Every environment the service reads a reference in has a store, and no variable is both
/// a literal and a secret there. Each problem is reported once per place it is written,
/// naming every environment it holds in.
fn check_reachable_and_single(cx: &mut Context<'_>, name: &str, service: &Service) {
    let spec = cx.spec;
    let mut storeless: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    let mut both: BTreeMap<(Vec<String>, Vec<String>), Vec<String>> = BTreeMap::new();
    for (env, environment) in &spec.environments {
        if !service.deployed_to(env) {
            continue;
        }
        for place in Place::all_of(env, environment) {
            let (has_store, place_name) = match place.cluster {
                Some(cluster) => (
                    environment.secret_store.is_some()
                        || environment.clusters[cluster.name].secret_store.is_some(),
                    format!("{env}/{}", cluster.name),
                ),
                None => (environment.secret_store.is_some(), env.clone()),
            };
            let settings = crate::spec::inherited_at(&spec.defaults, service, &place);
            for variable in settings.secrets.keys() {
                let secret_at = written_at(cx, name, service, &place, variable, true);
                if !has_store {
                    storeless
                        .entry(secret_at.clone())
                        .or_default()
                        .push(place_name.clone());
                }
                if settings.env.contains_key(variable) {
                    let literal_at = written_at(cx, name, service, &place, variable, false);
                    both.entry((literal_at, secret_at))
                        .or_default()
                        .push(place_name.clone());
                }
            }
        }
    }
    let with_store = places_with_store(spec);
    for (at, envs) in storeless {
        let at: Vec<&str> = at.iter().map(String::as_str).collect();
        let variable = at[at.len() - 1];
        let help = if with_store.is_empty() {
            format!(
                "give `[{}]` one provider: `aws`, `vault`, `gcp` or `azure`",
                store_table(&envs[0])
            )
        } else {
            format!(
                "{} with a store: {}; give `[{}]` one, or run the service only where a store is",
                if with_store.iter().any(|p| p.contains('/')) {
                    "places"
                } else {
                    "environments"
                },
                with_store.join(", "),
                store_table(&envs[0])
            )
        };
        cx.report(
            Diagnostic::error(format!(
                "`{variable}` of service `{name}` is read from a secret store, but {} {} no `secret_store`",
                listed(&envs),
                if envs.len() == 1 { "has" } else { "have" }
            ))
            .at(cx.spans.value(&at))
            .label("no store to read it from")
            .help(help),
        );
    }
    for ((literal, secret), envs) in both {
        let (literal, secret): (Vec<&str>, Vec<&str>) = (
            literal.iter().map(String::as_str).collect(),
            secret.iter().map(String::as_str).collect(),
        );
        let variable = secret[secret.len() - 1];
        for (at, here, there) in [
            (&literal, "a literal value", &secret),
            (&secret, "a secret reference", &literal),
        ] {
            cx.report(
                Diagnostic::error(format!(
                    "`{variable}` of service `{name}` is both a literal and a secret in {}",
                    listed(&envs)
                ))
                .at(cx.spans.key(at))
                .label(here)
                .help(format!(
                    "keep one: remove `{}` or `{}`, or rename one of the variables",
                    here_path(at),
                    here_path(there)
                )),
            );
        }
    }
}

fn here_path(path: &[&str]) -> String {
    path.join(".")
}

/// Every environment, and every cluster of those that list clusters, with a store to read
/// secrets from.
fn places_with_store(spec: &crate::spec::Spec) -> Vec<String> {
    spec.environments
        .iter()
        .flat_map(|(env, environment)| {
            let listed = environment
                .clusters
                .iter()
                .filter(|(_, c)| environment.secret_store.is_some() || c.secret_store.is_some())
                .map(move |(cluster, _)| format!("{env}/{cluster}"));
            let own = (environment.clusters.is_empty() && environment.secret_store.is_some())
                .then(|| env.clone());
            own.into_iter().chain(listed)
        })
        .collect()
}

/// The table a store of a place is written in: `prod`, or `prod/us` for a cluster.
fn store_table(place: &str) -> String {
    match place.split_once('/') {
        Some((env, cluster)) => format!("environments.{env}.clusters.{cluster}.secret_store"),
        None => format!("environments.{place}.secret_store"),
    }
}

/// `environment `dev``, `clusters `prod/eu`, `prod/us``: places, named as they are written.
fn listed(envs: &[String]) -> String {
    let quoted: Vec<String> = envs.iter().map(|e| format!("`{e}`")).collect();
    let clusters = envs.iter().filter(|e| e.contains('/')).count();
    let what = match (clusters, envs.len()) {
        (0, 1) => "environment",
        (0, _) => "environments",
        (1, 1) => "cluster",
        (c, n) if c == n => "clusters",
        _ => "environments and clusters",
    };
    format!("{what} {}", quoted.join(", "))
}

fn report(cx: &mut Context<'_>, path: &[&str], message: String, help: &str) {
    cx.report(
        Diagnostic::error(message)
            .at(cx.spans.value(path))
            .label("invalid value")
            .help(help),
    );
}

#[cfg(test)]
mod tests {
    use super::{is_aws_region, is_gcp_project, is_role_arn};
    use crate::Source;
    use crate::compile::check_spec;
    use crate::edit::test_spec::today;

    fn messages(text: &str) -> Vec<String> {
        let found = match check_spec(&Source::new("enterprise.toml", text), today()) {
            Ok((_, warnings)) => warnings,
            Err(diagnostics) => diagnostics,
        };
        found.into_iter().map(|d| d.message).collect()
    }

    /// A cluster's store leaves out what its environment's says, key by key: a cluster that
    /// only sets `refresh` reads the environment's provider.
    #[test]
    fn a_clusters_store_without_a_provider_reads_its_environments() {
        let spec = |environment_store: &str| {
            format!(
                "[enterprise]\nname = \"e\"\nregistry = \"r.example\"\ngitops_repo = \"https://g.example/r.git\"\nplatform_team = \"@e/p\"\n\n\
                 [environments.prod]\ndomain = \"prod.example\"\n{environment_store}\n\
                 [environments.prod.clusters.eu]\nserver = \"https://eu.example\"\n\n\
                 [environments.prod.clusters.us]\nserver = \"https://us.example\"\nsecret_store = {{ refresh = \"5m\" }}\n"
            )
        };
        let inherited = messages(&spec("secret_store.aws = { region = \"eu-west-1\" }\n"));
        assert!(inherited.is_empty(), "{inherited:?}");
        let alone = messages(&spec(""));
        assert_eq!(
            alone,
            ["the secret store of `prod/us` names no provider, and `prod` has none to inherit"]
        );
    }

    #[test]
    fn provider_settings_of_the_shape_each_provider_takes() {
        for region in ["eu-west-1", "us-gov-west-1", "ap-southeast-2"] {
            assert!(is_aws_region(region), "{region}");
        }
        for region in ["eu-west", "EU-WEST-1", "euwest1", "eu--1"] {
            assert!(!is_aws_region(region), "{region}");
        }
        assert!(is_role_arn("arn:aws:iam::123456789012:role/eso"));
        assert!(is_role_arn("arn:aws-cn:iam::123456789012:role/path/eso"));
        assert!(!is_role_arn("arn:aws:iam::1234:role/eso"));
        assert!(!is_role_arn("arn:aws:iam::123456789012:user/eso"));
        assert!(is_gcp_project("acme-prod"));
        assert!(!is_gcp_project("Acme-prod"));
        assert!(!is_gcp_project("acme"));
    }
}
