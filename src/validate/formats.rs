//! Free-form values that end up in manifests, URLs or CODEOWNERS: each must have the shape the
//! consumer accepts, so a typo fails here with a location instead of at sync time.

use super::context::Context;
use super::names::dns_label_problem;
use crate::source::diagnostic::Diagnostic;

/// Longest URL, path or reference fleetc writes into a manifest.
const MAX_REFERENCE: usize = 2048;
/// Kubernetes limit for DNS-1123 subdomains (hosts, IngressClass names).
const MAX_SUBDOMAIN: usize = 253;
/// Docker's limit for a whole image name.
const MAX_IMAGE_NAME: usize = 255;

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    let e = &spec.enterprise;
    registry(cx, &e.registry);
    url(
        cx,
        "gitops_repo",
        &e.gitops_repo,
        &["https://", "ssh://", "git@"],
        &["enterprise", "gitops_repo"],
    );
    relative_path(cx, &e.gitops_path);
    reference(
        cx,
        "target_revision",
        &e.target_revision,
        &["enterprise", "target_revision"],
    );
    owner(cx, &e.platform_team, &["enterprise", "platform_team"]);
    subdomain(
        cx,
        "ingress_class",
        &e.ingress_class,
        &["enterprise", "ingress_class"],
    );
    for (what, value) in [
        ("ingress_namespace", &e.ingress_namespace),
        ("argocd_namespace", &e.argocd_namespace),
    ] {
        if let Some(problem) = dns_label_problem(value) {
            report(
                cx,
                &["enterprise", what],
                format!(
                    "{what} `{}` is not a valid namespace: {problem}",
                    shown(value)
                ),
                "use a DNS-1123 label: lowercase letters, digits and `-`",
            );
        }
    }
    for (name, env) in &spec.environments {
        if let Some(cluster) = &env.cluster {
            url(
                cx,
                "cluster",
                cluster,
                &["https://"],
                &["environments", name, "cluster"],
            );
        }
        subdomain(cx, "domain", &env.domain, &["environments", name, "domain"]);
        if let Some(preview) = &env.preview_domain {
            subdomain(
                cx,
                "preview_domain",
                preview,
                &["environments", name, "preview_domain"],
            );
        } else {
            preview_host(cx, &env.domain, &["environments", name, "domain"]);
        }
        for (i, approver) in env.approvers.iter().enumerate() {
            owner(
                cx,
                approver,
                &["environments", name, "approvers", &i.to_string()],
            );
        }
    }
    for (name, team) in &spec.teams {
        for (i, owner_name) in team.owners.iter().enumerate() {
            owner(cx, owner_name, &["teams", name, "owners", &i.to_string()]);
        }
    }
    catalog_and_services(cx);
    if let Some(ci) = &spec.ci {
        reference(cx, "template", &ci.template, &["ci", "template"]);
    }
    if let Some(terraform) = &spec.terraform {
        reference(cx, "source", &terraform.source, &["terraform", "source"]);
        for (i, branch) in terraform.oidc_branches.iter().enumerate() {
            oidc_branch(cx, branch, &["terraform", "oidc_branches", &i.to_string()]);
        }
    }
    if let Some(endpoint) = spec
        .observability
        .as_ref()
        .and_then(|o| o.otlp_endpoint.as_ref())
    {
        url(
            cx,
            "otlp_endpoint",
            endpoint,
            &["http://", "https://"],
            &["observability", "otlp_endpoint"],
        );
    }
}

fn catalog_and_services(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (name, image) in &spec.base_images {
        repository(cx, &image.image, &["base_images", name, "image"]);
        for (version, entry) in &image.versions {
            base_version(cx, name, version, entry.digest.as_deref());
        }
    }
    for (name, service) in &spec.services {
        if let Some(slug) = &service.repository {
            github_repository(cx, slug, &["services", name, "repository"]);
        }
        if let Some(prometheus) = service
            .analysis
            .as_ref()
            .and_then(|a| a.prometheus.as_ref())
        {
            url(
                cx,
                "prometheus",
                prometheus,
                &["http://", "https://"],
                &["services", name, "analysis", "prometheus"],
            );
        }
    }
}

/// `owner/name` of a GitHub repository. It becomes the subject of the OIDC trust policy
/// (`repo:owner/name:ref:…`), where `*` or a stray `:` would widen who may deploy.
fn github_repository(cx: &mut Context<'_>, value: &str, path: &[&str]) {
    let part = |s: &str| {
        !s.is_empty()
            && s.len() <= 100
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    let valid = value
        .split_once('/')
        .is_some_and(|(owner, name)| part(owner) && part(name) && name != "." && name != "..");
    if !valid {
        report(
            cx,
            path,
            format!(
                "repository `{}` is not a GitHub repository `owner/name`",
                shown(value)
            ),
            "for example `acme/users`: letters, digits, `-`, `_` and `.` on each side of one `/`",
        );
    }
}

/// A branch of the OIDC subjects (`repo:owner/name:ref:refs/heads/<branch>`): a git branch
/// name, with none of the wildcards the trust policy would match more branches with.
fn oidc_branch(cx: &mut Context<'_>, value: &str, path: &[&str]) {
    let valid = token_problem(value, 255).is_none()
        && !value.contains(['*', '?', '[', '\\', '~', '^', ':'])
        && !value.contains("..")
        && !value.contains("@{")
        && !value.starts_with(['/', '.', '-'])
        && !value.ends_with(['/', '.']);
    if !valid {
        report(
            cx,
            path,
            format!("branch `{}` is not a git branch name", shown(value)),
            "a plain branch name such as `main` or `release/2026`; wildcards would let more branches deploy",
        );
    }
}

/// A catalog version's digest goes into the `fleetc.io/base-image-ref` annotation (the
/// version itself is a label value, checked with every generated name in `names`).
fn base_version(cx: &mut Context<'_>, image: &str, version: &str, digest: Option<&str>) {
    if let Some(digest) = digest
        && let Some(problem) = crate::formats::digest::digest_problem(digest)
    {
        report(
            cx,
            &["base_images", image, "versions", version, "digest"],
            format!(
                "digest `{}` is not an image digest: {problem}",
                shown(digest)
            ),
            "write `sha256:` and the 64 lowercase hex digits the registry shows for the image",
        );
    }
}

pub(super) fn report(cx: &mut Context<'_>, path: &[&str], message: String, help: &str) {
    let span = cx.spans.value(path);
    cx.report(
        Diagnostic::error(message)
            .at(span)
            .label("invalid value")
            .help(help),
    );
}

/// The value as quoted in a message: escaped (long values are cut by the diagnostic).
pub(super) fn shown(value: &str) -> String {
    value.escape_debug().to_string()
}

/// A single token: no whitespace or control characters, at most `max` bytes.
fn token_problem(value: &str, max: usize) -> Option<String> {
    if value.is_empty() {
        return Some("it is empty".to_owned());
    }
    if value.len() > max {
        return Some(format!(
            "it is {} bytes long; at most {max} are accepted",
            value.len()
        ));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("it contains whitespace or control characters".to_owned());
    }
    None
}

pub(super) fn reference(cx: &mut Context<'_>, what: &str, value: &str, path: &[&str]) {
    if let Some(problem) = token_problem(value, MAX_REFERENCE) {
        report(
            cx,
            path,
            format!("{what} `{}` is not usable: {problem}", shown(value)),
            "write it as one token without spaces",
        );
    }
}

pub(super) fn url(cx: &mut Context<'_>, what: &str, value: &str, schemes: &[&str], path: &[&str]) {
    let problem = token_problem(value, MAX_REFERENCE).or_else(|| {
        (!schemes.iter().any(|s| value.starts_with(s)))
            .then(|| format!("it does not start with {}", schemes.join(" or ")))
    });
    if let Some(problem) = problem {
        report(
            cx,
            path,
            format!("{what} `{}` is not a valid URL: {problem}", shown(value)),
            &format!("for example `{}example.com`", schemes[0]),
        );
    }
}

/// Why `value` is not a DNS-1123 subdomain (lowercase labels joined by dots), if it is not.
fn subdomain_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some("it is empty".to_owned());
    }
    if value.len() > MAX_SUBDOMAIN {
        return Some(format!(
            "it is {} characters long; Kubernetes allows {MAX_SUBDOMAIN}",
            value.len()
        ));
    }
    if value.starts_with('.') || value.ends_with('.') {
        return Some("it starts or ends with `.`".to_owned());
    }
    if value.contains("..") {
        return Some("it has two dots in a row".to_owned());
    }
    value.split('.').find_map(|label| {
        dns_label_problem(label).map(|p| format!("the part `{}` is not valid: {p}", shown(label)))
    })
}

/// A domain without a `preview_domain` beside it previews at a host fleetc makes of it,
/// which must be a host too.
pub(super) fn preview_host(cx: &mut Context<'_>, domain: &str, path: &[&str]) {
    let host = crate::naming::preview_host(domain);
    if subdomain_problem(domain).is_none() && host.len() > MAX_SUBDOMAIN {
        let limit = MAX_SUBDOMAIN - (host.len() - domain.len());
        report(
            cx,
            path,
            format!(
                "domain `{}` is {} characters long; at most {limit} fit: fleetc generates the preview host `{}` ({} characters) from it, and Kubernetes allows {MAX_SUBDOMAIN}",
                shown(domain),
                domain.len(),
                shown(&host),
                host.len()
            ),
            &format!(
                "shorten the domain to at most {limit} characters, or name the preview host with `preview_domain`"
            ),
        );
    }
}

pub(super) fn subdomain(cx: &mut Context<'_>, what: &str, value: &str, path: &[&str]) {
    if let Some(problem) = subdomain_problem(value) {
        report(
            cx,
            path,
            format!(
                "{what} `{}` is not a valid DNS name: {problem}",
                shown(value)
            ),
            "use lowercase letters, digits, `-` and `.` (a DNS-1123 subdomain)",
        );
    }
}

/// `host[:port][/path]`, the registry part of an image reference.
fn registry(cx: &mut Context<'_>, value: &str) {
    // A trailing `/` is tolerated: image references are joined without doubling it.
    let trimmed = value.trim_end_matches('/');
    let (host_port, rest) = trimmed.split_once('/').unwrap_or((trimmed, ""));
    let (host, port) = match host_port.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (host_port, None),
    };
    let problem = token_problem(value, MAX_IMAGE_NAME)
        .or_else(|| port.and_then(port_problem))
        .or_else(|| subdomain_problem(host).map(|p| format!("the host `{}`: {p}", shown(host))))
        .or_else(|| {
            (!rest.is_empty())
                .then(|| path_components_problem(rest))
                .flatten()
        });
    if let Some(problem) = problem {
        report(
            cx,
            &["enterprise", "registry"],
            format!(
                "registry `{}` is not a valid registry: {problem}",
                shown(value)
            ),
            "for example `registry.example.com` or `registry.example.com:5000/team`",
        );
    }
}

/// Why the port after a registry's `:` is not a TCP port, if it is not.
fn port_problem(port: &str) -> Option<String> {
    if port.is_empty() {
        return Some("the port after `:` is empty".to_owned());
    }
    match port.parse::<u16>() {
        Ok(1..) => None,
        _ if port.chars().all(|c| c.is_ascii_digit()) => {
            Some(format!("the port {port} is not from 1 to 65535"))
        }
        _ => Some(format!("the port `{}` is not a number", shown(port))),
    }
}

/// Docker's rule for the path of an image name: lowercase alphanumerics separated by `.`, `_`,
/// `__` or `-`, components joined by `/`.
fn path_components_problem(value: &str) -> Option<String> {
    value.split('/').find_map(|part| {
        let valid = !part.is_empty()
            && part.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
            })
            && part.starts_with(|c: char| c.is_ascii_alphanumeric())
            && part.ends_with(|c: char| c.is_ascii_alphanumeric());
        (!valid).then(|| {
            format!(
                "the part `{}` is not lowercase letters and digits separated by `.`, `_` or `-`",
                shown(part)
            )
        })
    })
}

fn repository(cx: &mut Context<'_>, value: &str, path: &[&str]) {
    let problem = token_problem(value, MAX_IMAGE_NAME).or_else(|| path_components_problem(value));
    if let Some(problem) = problem {
        report(
            cx,
            path,
            format!(
                "image `{}` is not a valid image name: {problem}",
                shown(value)
            ),
            "for example `base/node`; the registry comes from `enterprise.registry`",
        );
    }
}

/// Where the tree lives in the repository: relative, every part a plain folder name (`.` is
/// the repository root).
fn relative_path(cx: &mut Context<'_>, value: &str) {
    let problem = token_problem(value, 255).or_else(|| {
        value.trim_end_matches('/').split('/').find_map(|part| {
            let valid = !part.is_empty()
                && part != ".."
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
            (!valid).then(|| format!("the part `{}` is not a plain folder name", shown(part)))
        })
    });
    if let Some(problem) = problem {
        report(
            cx,
            &["enterprise", "gitops_path"],
            format!(
                "gitops_path `{}` is not a path inside the repository: {problem}",
                shown(value)
            ),
            "use a relative path of letters, digits, `.`, `_` and `-`, such as `generated` or `deploy/fleet`",
        );
    }
}

/// A CODEOWNERS owner: `@user`, `@org/team` or an email address.
fn owner(cx: &mut Context<'_>, value: &str, path: &[&str]) {
    let handle = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    let valid = token_problem(value, 100).is_none()
        && match value.strip_prefix('@') {
            Some(rest) => match rest.split_once('/') {
                Some((org, team)) => handle(org) && handle(team),
                None => handle(rest),
            },
            None => value
                .split_once('@')
                .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.')),
        };
    if !valid {
        report(
            cx,
            path,
            format!("owner `{}` is not a GitHub owner", shown(value)),
            "write `@user`, `@org/team` or an email address",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{port_problem, subdomain_problem};

    #[test]
    fn an_empty_part_of_a_dns_name_is_named_for_what_it_is() {
        assert_eq!(subdomain_problem(""), Some("it is empty".to_owned()));
        for edge in [".example.com", "example.com."] {
            assert_eq!(
                subdomain_problem(edge),
                Some("it starts or ends with `.`".to_owned())
            );
        }
        assert_eq!(
            subdomain_problem("registry..example.com"),
            Some("it has two dots in a row".to_owned())
        );
        assert_eq!(subdomain_problem("registry.example.com"), None);
    }

    #[test]
    fn a_registry_port_must_be_a_tcp_port() {
        assert_eq!(port_problem("5000"), None);
        assert!(port_problem("").unwrap().contains("empty"));
        assert!(port_problem("http").unwrap().contains("not a number"));
        assert!(
            port_problem("70000")
                .unwrap()
                .contains("not from 1 to 65535")
        );
        assert!(port_problem("0").unwrap().contains("not from 1 to 65535"));
    }
}
