//! Cloud identities: each table names exactly one provider, in the form that cloud writes it,
//! for an environment the service runs in; and where fleetc writes Terraform, a module to take
//! the trust each identity needs.

use super::context::Context;
use super::places::list;
use crate::formats::cloud_identity::{
    aws_role_problem, azure_client_id_problem, gcp_service_account_problem,
};
use crate::source::diagnostic::Diagnostic;
use crate::spec::{Identity, IdentityProvider, Service, Spec};

/// An identity table, the key path it is written at, and the environment it is for (none for
/// the service's own).
struct Written<'a> {
    path: Vec<&'a str>,
    env: Option<&'a str>,
    identity: &'a Identity,
}

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (name, service) in &spec.services {
        for written in written_in(name, service) {
            check_table(cx, name, &written);
            if let Some(env) = written.env
                && spec.environments.contains_key(env)
                && !service.deployed_to(env)
            {
                cx.report(
                    Diagnostic::error(format!(
                        "`{name}` has an identity for `{env}`, but is not deployed there"
                    ))
                    .at(cx.spans.key(&written.path))
                    .label("not deployed here")
                    .help(format!(
                        "add `{env}` to `services.{name}.environments`, or remove this identity"
                    )),
                );
            }
        }
    }
    check_trust_module(cx);
}

/// Every identity table of `service`: its own, each environment's, each cluster's.
fn written_in<'a>(name: &'a str, service: &'a Service) -> Vec<Written<'a>> {
    let mut found = Vec::new();
    if let Some(identity) = &service.identity {
        found.push(Written {
            path: vec!["services", name, "identity"],
            env: None,
            identity,
        });
    }
    for (env, over) in &service.overrides {
        let at = ["services", name, "overrides", env.as_str()];
        if let Some(identity) = &over.identity {
            found.push(Written {
                path: [&at[..], &["identity"]].concat(),
                env: Some(env),
                identity,
            });
        }
        for (cluster, own) in &over.clusters {
            if let Some(identity) = &own.identity {
                found.push(Written {
                    path: [&at[..], &["clusters", cluster.as_str(), "identity"]].concat(),
                    env: Some(env),
                    identity,
                });
            }
        }
    }
    found
}

const ONE_OF: &str = "one of `aws_role = \"arn:aws:iam::<account>:role/<name>\"`, `gcp_service_account = \"<name>@<project>.iam.gserviceaccount.com\"` or `azure_client_id = \"<uuid>\"`";

fn check_table(cx: &mut Context<'_>, name: &str, written: &Written<'_>) {
    let named = written.identity.named();
    let place = written
        .env
        .map_or_else(String::new, |env| format!(" in `{env}`"));
    let whose = format!("the identity of `{name}`{place}");
    match &named[..] {
        [] => cx.report(
            Diagnostic::error(format!("{whose} names no provider"))
                .at(cx.spans.key(&written.path))
                .label("empty identity")
                .help(format!("write {ONE_OF}")),
        ),
        [(provider, value)] => {
            let whose = format!("`{}` of `{name}`{place}", provider.key());
            check_value(cx, &whose, (*provider, value), &written.path);
        }
        [_, extra @ ..] => {
            let keys: Vec<String> = named.iter().map(|(p, _)| p.key().to_owned()).collect();
            let at = [&written.path[..], &[extra[0].0.key()]].concat();
            cx.report(
                Diagnostic::error(format!(
                    "{whose} names {} providers: {}",
                    named.len(),
                    list(&keys)
                ))
                .at(cx.spans.key(&at))
                .label("a second provider")
                .help("a pod acts as one cloud identity: keep one of them, or give each environment its own"),
            );
        }
    }
}

fn check_value(
    cx: &mut Context<'_>,
    whose: &str,
    (provider, value): (IdentityProvider, &str),
    table: &[&str],
) {
    let (problem, what, example) = match provider {
        IdentityProvider::Aws => (
            aws_role_problem(value),
            "an IAM role ARN",
            "`arn:aws:iam::123456789012:role/orders`",
        ),
        IdentityProvider::Gcp => (
            gcp_service_account_problem(value),
            "a Google service account",
            "`orders@shop-prod.iam.gserviceaccount.com`",
        ),
        IdentityProvider::Azure => (
            azure_client_id_problem(value),
            "an Azure client ID",
            "`7d4f0a3c-2b1e-4c5d-9e8f-0a1b2c3d4e5f`",
        ),
    };
    let Some(problem) = problem else { return };
    let at = [table, &[provider.key()]].concat();
    cx.report(
        Diagnostic::error(format!("{whose} is not {what}: {problem}"))
            .at(cx.spans.value(&at))
            .label(format!("not {what}"))
            .help(format!("for example {example}")),
    );
}

/// The services that act as a cloud identity somewhere they run, by name.
fn with_identities(spec: &Spec) -> Vec<String> {
    spec.services
        .iter()
        .filter(|(_, service)| {
            spec.environments.iter().any(|(env, environment)| {
                service.deployed_to(env)
                    && environment
                        .cluster_slots()
                        .into_iter()
                        .any(|cluster| service.identity_at(env, cluster).is_some())
            })
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// Where fleetc writes Terraform, the trust of every identity goes to one module: without it
/// the roles would trust no pod, and the pods would fail only once they ask for credentials.
fn check_trust_module(cx: &mut Context<'_>) {
    let Some(terraform) = &cx.spec.terraform else {
        return;
    };
    let module = terraform.identity_module.as_str();
    if terraform.modules.contains_key(module) {
        return;
    }
    let services = with_identities(cx.spec);
    if services.is_empty() {
        return;
    }
    let (acts, needs) = match services.len() {
        1 => ("acts as a cloud identity", "it needs"),
        _ => ("act as cloud identities", "they need"),
    };
    cx.report(
        Diagnostic::warning(format!(
            "{} {acts}, but `[terraform]` pins no `{module}` module to write the trust {needs}",
            list(&services)
        ))
        .at(cx.spans.key(&["terraform", "modules"]))
        .label(format!("no `{module}` here"))
        .help("pin the module that takes workload identity trust under `terraform.modules`, or name it in `terraform.identity_module`"),
    );
}

#[cfg(test)]
mod tests {
    use crate::Source;
    use crate::compile::compile;
    use crate::edit::test_spec::{text_with, today};

    fn warnings(rest: &str) -> Vec<String> {
        let text = text_with(rest);
        compile(&Source::new("enterprise.toml", text), today())
            .expect("the spec compiles")
            .warnings
            .into_iter()
            .map(|w| w.message)
            .collect()
    }

    const SERVICE: &str = "[services.users]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0\"\n";
    const TERRAFORM: &str = "[terraform]\nsource = \"git::https://g.example/m.git\"\n";

    #[test]
    fn terraform_without_the_identity_module_leaves_the_trust_unwritten() {
        let identity = "overrides.prod.identity.aws_role = \"arn:aws:iam::123456789012:role/u\"\n";
        let found = warnings(&format!(
            "{TERRAFORM}modules = {{ eks = \"v1.0.0\" }}\n{SERVICE}{identity}"
        ));
        assert!(
            found
                .iter()
                .any(|w| w.contains("`users` acts as a cloud identity")
                    && w.contains("no `workload-identity` module")),
            "{found:?}"
        );
        for quiet in [
            format!(
                "{TERRAFORM}modules = {{ workload-identity = \"v1.0.0\" }}\n{SERVICE}{identity}"
            ),
            format!(
                "{TERRAFORM}identity_module = \"iam\"\nmodules = {{ iam = \"v1.0.0\" }}\n{SERVICE}{identity}"
            ),
            format!("{TERRAFORM}modules = {{ eks = \"v1.0.0\" }}\n{SERVICE}"),
            format!("{SERVICE}{identity}"),
        ] {
            let found = warnings(&quiet);
            assert!(
                !found.iter().any(|w| w.contains("cloud identit")),
                "{quiet}: {found:?}"
            );
        }
    }
}
