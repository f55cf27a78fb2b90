//! `environments.<env>.certificates`: one issuer, named or described; an ACME issuer with the
//! server and account address cert-manager needs; exactly one solver; and Secret names
//! Kubernetes accepts.

use std::collections::HashMap;

use super::context::Context;
use super::formats::{reference, report, shown, subdomain, url};
use crate::naming::table;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{Acme, Certificates, Solver};

const SOLVERS: &str = "`solver.http01 = {}`, `solver.route53 = { region = \"eu-west-1\" }` or `solver.cloudflare = { api_token_secret = \"cloudflare-api-token\" }`";

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    // ACME account keys live in cert-manager's one namespace per cluster.
    let mut account_keys: HashMap<(String, String), &str> = HashMap::new();
    for (name, env) in &spec.environments {
        let Some(certificates) = &env.certificates else {
            continue;
        };
        let at = ["environments", name.as_str(), "certificates"];
        issuer(cx, certificates, &at);
        let Some(acme) = &certificates.acme else {
            continue;
        };
        let at = ["environments", name.as_str(), "certificates", "acme"];
        check_acme(cx, acme, &at);
        let secret = acme
            .private_key_secret
            .clone()
            .unwrap_or_else(|| table::ACME_ACCOUNT_SECRET.build(&[&spec.enterprise.name, name]));
        let shared = env.servers().into_iter().find_map(|(_, server)| {
            let cluster = server.trim_end_matches('/').to_ascii_lowercase();
            account_keys
                .insert((cluster, secret.clone()), name)
                .map(|first| (first, server))
        });
        if let Some((first, server)) = shared {
            cx.report(
                Diagnostic::error(format!(
                    "environments `{first}` and `{name}` keep their ACME account key in the same Secret `{secret}` on cluster `{server}`"
                ))
                .at(cx.spans.value(&[&at[..], &["private_key_secret"]].concat()))
                .label("same account key Secret as another environment")
                .help(format!(
                    "give `{name}` its own `private_key_secret`, or drop it for the default `{}`",
                    table::ACME_ACCOUNT_SECRET.build(&[&spec.enterprise.name, name])
                )),
            );
        }
    }
}

fn issuer(cx: &mut Context<'_>, certificates: &Certificates, at: &[&str]) {
    match (&certificates.issuer, &certificates.acme) {
        (None, None) => cx.report(
            Diagnostic::error("`certificates` names no issuer")
                .at(cx.spans.key(at))
                .label("no issuer")
                .help(
                    "name an existing ClusterIssuer (`issuer = \"letsencrypt-prod\"`) or describe an ACME one for fleetc to write (`acme = { server = …, email = … }`)",
                ),
        ),
        (Some(_), Some(_)) => cx.report(
            Diagnostic::error("`certificates` both names an issuer and describes an ACME one")
                .at(cx.spans.key(&[at, &["acme"]].concat()))
                .label("a second issuer")
                .help("keep `issuer` to use a ClusterIssuer the cluster has, or `acme` for one fleetc writes"),
        ),
        (Some(issuer), None) => {
            subdomain(cx, "issuer", issuer, &[at, &["issuer"]].concat());
        }
        (None, Some(_)) => {}
    }
}

fn check_acme(cx: &mut Context<'_>, acme: &Acme, at: &[&str]) {
    let path = |key: &'static str| join(at, &[key]);
    match &acme.server {
        Some(server) => url(cx, "server", server, &["https://"], &path("server")),
        None => missing(
            cx,
            at,
            "server",
            "the ACME directory, for example `server = \"https://acme-v02.api.letsencrypt.org/directory\"`",
        ),
    }
    match &acme.email {
        Some(email) if !is_email(email) => report(
            cx,
            &path("email"),
            format!("email `{}` is not an email address", shown(email)),
            "write the account's contact address, for example `platform@example.com`",
        ),
        Some(_) => {}
        None => missing(
            cx,
            at,
            "email",
            "the account's contact address, for example `email = \"platform@example.com\"`",
        ),
    }
    if let Some(secret) = &acme.private_key_secret {
        subdomain(
            cx,
            "private_key_secret",
            secret,
            &path("private_key_secret"),
        );
    }
    if let Some(solver) = &acme.solver {
        check_solver(cx, solver, &path("solver"));
    }
}

/// Exactly one solver, and what it names in a shape cert-manager and Kubernetes accept.
fn check_solver(cx: &mut Context<'_>, solver: &Solver, at: &[&str]) {
    let chosen = [
        solver.http01.is_some(),
        solver.route53.is_some(),
        solver.cloudflare.is_some(),
    ]
    .into_iter()
    .filter(|&b| b)
    .count();
    if chosen != 1 {
        let message = if chosen == 0 {
            "`solver` names no solver".to_owned()
        } else {
            format!("`solver` names {chosen} solvers; cert-manager would use only one of them")
        };
        cx.report(
            Diagnostic::error(message)
                .at(cx.spans.key(at))
                .label("exactly one solver")
                .help(format!("write one of {SOLVERS}")),
        );
    }
    if let Some(route53) = &solver.route53 {
        let at: Vec<&str> = join(at, &["route53"]);
        // Free text that reaches the ClusterIssuer: one token each, of a sane length.
        for (key, value) in [
            ("region", &route53.region),
            ("hosted_zone_id", &route53.hosted_zone_id),
            ("role", &route53.role),
        ] {
            if let Some(value) = value {
                reference(cx, key, value, &join(&at, &[key]));
            }
        }
        if let Some(secret) = &route53.access_key_secret {
            subdomain(
                cx,
                "access_key_secret",
                secret,
                &[&at[..], &["access_key_secret"]].concat(),
            );
        }
        if let Some(role) = route53
            .role
            .as_ref()
            .filter(|r| !r.starts_with("arn:") && !r.contains(char::is_whitespace))
        {
            report(
                cx,
                &[&at[..], &["role"]].concat(),
                format!("role `{}` is not an IAM role ARN", shown(role)),
                "write the role's ARN, for example `arn:aws:iam::123456789012:role/cert-manager`",
            );
        }
    }
    if let Some(cloudflare) = &solver.cloudflare {
        let at: Vec<&str> = join(at, &["cloudflare"]);
        subdomain(
            cx,
            "api_token_secret",
            &cloudflare.api_token_secret,
            &[&at[..], &["api_token_secret"]].concat(),
        );
        if !is_secret_key(&cloudflare.api_token_key) {
            report(
                cx,
                &[&at[..], &["api_token_key"]].concat(),
                format!(
                    "api_token_key `{}` is not a Secret key",
                    shown(&cloudflare.api_token_key)
                ),
                "use letters, digits, `-`, `_` and `.`, such as `api-token`",
            );
        }
    }
}

fn join<'a>(at: &[&'a str], keys: &[&'a str]) -> Vec<&'a str> {
    [at, keys].concat()
}

fn missing(cx: &mut Context<'_>, at: &[&str], key: &str, what: &str) {
    cx.report(
        Diagnostic::error(format!("`acme` has no `{key}`"))
            .at(cx.spans.key(at))
            .label(format!("`{key}` missing"))
            .help(format!("cert-manager needs {what}")),
    );
}

/// `user@domain.tld`, one token: what an ACME server accepts as a `mailto:` contact.
fn is_email(value: &str) -> bool {
    value.len() <= 254
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && value.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
}

/// A key of a Secret's data, as the API server accepts it.
fn is_secret_key(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 253
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::{is_email, is_secret_key};

    #[test]
    fn an_email_has_a_user_and_a_dotted_domain() {
        assert!(is_email("platform@northwind.example"));
        for bad in [
            "platform",
            "@northwind.example",
            "platform@localhost",
            "a@b@c.example",
            "platform@.example",
            "platform@example.",
            "plat form@example.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn a_secret_key_is_letters_digits_dashes_underscores_and_dots() {
        assert!(is_secret_key("api-token"));
        assert!(is_secret_key("CF_API.token"));
        assert!(!is_secret_key(""));
        assert!(!is_secret_key("api token"));
        assert!(!is_secret_key("api/token"));
    }
}
