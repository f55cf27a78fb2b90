//! Where a service's image comes from: a service fleetc builds names its `base`; an image
//! built elsewhere names its repository, in a registry the estate declares.

use super::context::Context;
use crate::source::diagnostic::Diagnostic;

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    let enterprise = &spec.enterprise;
    for (index, registry) in enterprise.registries.iter().enumerate() {
        if let Some(problem) = registry_problem(registry) {
            let index = index.to_string();
            cx.report(
                Diagnostic::error(format!(
                    "registry `{}` cannot hold images: {problem}",
                    registry.escape_debug()
                ))
                .at(cx.spans.value(&["enterprise", "registries", &index]))
                .label("invalid registry")
                .help("a host with an optional port and path, without a scheme: `docker.io/library`, `ghcr.io/acme`, `harbor.example.com:8443/mirror`"),
            );
        }
    }
    for (name, service) in &spec.services {
        if service.base.is_none() && service.image.is_none() {
            cx.report(
                Diagnostic::error(format!("`{name}` names no `base` and no `image`"))
                    .at(cx.spans.key(&["services", name]))
                    .label("what does it run?")
                    .help("a service fleetc builds names the base image of its next build (`base = \"python:3.12\"`); an image built elsewhere names its repository (`image = \"docker.io/library/postgres\"`)"),
            );
        }
        let Some(image) = &service.image else {
            continue;
        };
        check_image(cx, image, &["services", name, "image"], name);
    }
}

/// An image a spec names by repository: a repository without tag, in a declared registry.
pub(super) fn check_image(cx: &mut Context<'_>, image: &str, at: &[&str], name: &str) {
    if let Some(problem) = repository_problem(image) {
        cx.report(
            Diagnostic::error(format!(
                "image `{}` of `{name}` is not a repository: {problem}",
                image.escape_debug()
            ))
            .at(cx.spans.value(at))
            .label("invalid image")
            .help(match meant(image) {
                Some((repository, version)) => format!(
                    "the repository alone, in its registry, the tag (and digest) in `version`: `image = \"{repository}\"`{}{}",
                    version.map_or(String::new(), |v| format!(", `version = \"{v}\"`")),
                    if image.contains('/') {
                        ""
                    } else {
                        " (Docker Hub's official images are in `docker.io/library`)"
                    },
                ),
                None => "the repository alone, for example `docker.io/library/postgres`; the tag (and digest) is `version`".to_owned(),
            }),
        );
        return;
    }
    let enterprise = &cx.spec.enterprise;
    let declared: Vec<&str> = std::iter::once(enterprise.registry.as_str())
        .chain(enterprise.registries.iter().map(String::as_str))
        .map(|r| r.trim_end_matches('/'))
        .collect();
    if !declared.iter().any(|registry| within(image, registry)) {
        cx.report(
            Diagnostic::error(format!(
                "image `{image}` of `{name}` is in none of the estate's registries ({})",
                declared
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .at(cx.spans.value(at))
            .label("undeclared registry")
            .help(format!(
                "add its registry to `[enterprise] registries` (for example `{}`): the cluster's policy admits the declared registries only",
                image.rsplit_once('/').map_or(image, |(r, _)| r)
            )),
        );
    }
}

/// Whether `image` is `registry` itself or a repository below it.
fn within(image: &str, registry: &str) -> bool {
    image
        .strip_prefix(registry)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Why `image` is no repository reference without tag, if it is not.
fn repository_problem(image: &str) -> Option<&'static str> {
    let path = image.split_once('/').map_or(image, |(_, path)| path);
    if image.contains('@') || path.contains(':') {
        return Some("it names a tag or digest");
    }
    if !image.contains('/') {
        return Some("it names no registry");
    }
    if image.contains("://") || image.ends_with('/') || image.contains("//") {
        return Some("it is a URL or has an empty part");
    }
    if path
        .chars()
        .any(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/".contains(c)))
    {
        return Some("a repository path has lowercase letters, digits, `.`, `_`, `-` and `/` only");
    }
    None
}

/// The repository and version an image reference that is no repository was written for: its
/// tag (and digest) belong in `version`, and a name without a registry is one of Docker Hub's
/// official images, `docker.io/library/<name>`. `None` where no repository can be read from it.
fn meant(image: &str) -> Option<(String, Option<String>)> {
    let (name, digest) = match image.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (image, None),
    };
    let last = name.rfind('/').map_or(0, |slash| slash + 1);
    let (repository, tag) = match name[last..].split_once(':') {
        Some((_, tag)) => (&name[..name.len() - tag.len() - 1], Some(tag)),
        None => (name, None),
    };
    let repository = if repository.contains('/') {
        repository.to_owned()
    } else {
        format!("docker.io/library/{repository}")
    };
    if repository_problem(&repository).is_some() {
        return None;
    }
    let version = match (tag, digest) {
        (Some(tag), Some(digest)) => Some(format!("{tag}@{digest}")),
        (Some(tag), None) => Some(tag.to_owned()),
        (None, _) => None,
    };
    Some((repository, version))
}

fn registry_problem(registry: &str) -> Option<&'static str> {
    if registry.is_empty() {
        return Some("it is empty");
    }
    if registry.contains("://") {
        return Some("it has a scheme");
    }
    if registry.contains('@') || registry.chars().any(char::is_whitespace) {
        return Some("it holds `@` or spaces");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{meant, repository_problem, within};

    /// The help of a reference that is no repository names the repository and version it was
    /// written for, rather than another image's.
    #[test]
    fn a_reference_with_a_tag_or_without_a_registry_is_split_into_image_and_version() {
        let split = |image: &str| meant(image).map(|(r, v)| (r, v.unwrap_or_default()));
        assert_eq!(
            split("postgres"),
            Some(("docker.io/library/postgres".into(), String::new()))
        );
        assert_eq!(
            split("postgres:16.4"),
            Some(("docker.io/library/postgres".into(), "16.4".into()))
        );
        assert_eq!(
            split("docker.io/library/rabbitmq:3.13-management@sha256:00"),
            Some((
                "docker.io/library/rabbitmq".into(),
                "3.13-management@sha256:00".into()
            ))
        );
        assert_eq!(
            split("harbor.example.com:8443/mirror/redis:7"),
            Some(("harbor.example.com:8443/mirror/redis".into(), "7".into()))
        );
        assert_eq!(split("https://docker.io/library/redis:7"), None);
        assert_eq!(split("docker.io/Library/Redis:7"), None);
    }

    #[test]
    fn an_image_is_a_repository_in_a_declared_registry() {
        assert!(within("docker.io/library/postgres", "docker.io/library"));
        assert!(within("docker.io/library/postgres", "docker.io"));
        assert!(!within("docker.io/libraryx/postgres", "docker.io/library"));
        assert!(!within("docker.io.evil/x", "docker.io"));
        assert_eq!(
            repository_problem("harbor.example.com:8443/mirror/redis"),
            None
        );
        for bad in [
            "redis",
            "docker.io/library/redis:7",
            "docker.io/library/redis@sha256:00",
            "docker.io/Library/Redis",
            "https://docker.io/library/redis",
            "docker.io/library/",
        ] {
            assert!(repository_problem(bad).is_some(), "{bad}");
        }
    }
}
