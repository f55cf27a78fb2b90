//! The names a command line gives, looked up in the spec: a name the spec does not declare is
//! bad input, answered with the names it does declare and the closest one.

use super::EditError;
use crate::source::diagnostic::did_you_mean;
use crate::spec::{BaseImage, BaseImageVersion, Service, Spec};

pub(super) fn service<'a>(spec: &'a Spec, name: &str) -> Result<&'a Service, EditError> {
    spec.services.get(name).ok_or_else(|| {
        undeclared(
            format!("service `{name}` is not declared"),
            name,
            spec.services.keys(),
            &["services"],
        )
    })
}

pub(super) fn environment(spec: &Spec, name: &str) -> Result<(), EditError> {
    if spec.environments.contains_key(name) {
        return Ok(());
    }
    Err(undeclared(
        format!("environment `{name}` is not declared"),
        name,
        spec.environments.keys(),
        &["environments"],
    ))
}

pub(super) fn base_image<'a>(spec: &'a Spec, name: &str) -> Result<&'a BaseImage, EditError> {
    spec.base_images.get(name).ok_or_else(|| {
        let error = undeclared(
            format!("base image `{name}` is not declared"),
            name,
            spec.base_images.keys(),
            &["base_images"],
        );
        let runners = running_elsewhere_built(spec, name);
        if runners.is_empty() {
            return error;
        }
        // A verdict or an upgrade is about what the estate builds on an image; nothing is
        // built on this one, so say where its version moves instead.
        error.help(format!(
            "`{name}` is an image built elsewhere, run by {}: nothing the estate builds is on it, so no base image verdict applies; its version is the `version` beside its `image` (Renovate proposes new ones), and `fleetc impact {name}` names who runs it",
            runners.join(", ")
        ))
    })
}

/// The services, sidecars and init containers whose `image` is `image`, as a reader names
/// them.
fn running_elsewhere_built(spec: &Spec, image: &str) -> Vec<String> {
    let mut runners = Vec::new();
    for (name, service) in &spec.services {
        if service.base.is_none() && service.image.as_deref() == Some(image) {
            runners.push(format!("`{name}`"));
        }
        let sidecars = service
            .sidecars
            .iter()
            .map(|(c, s)| ("sidecar", c, &s.image));
        let inits = service.init_containers.iter();
        let inits = inits.map(|(c, i)| ("init container", c, &i.image));
        for (role, container, own) in sidecars.chain(inits) {
            if own.as_deref() == Some(image) {
                runners.push(format!("the {role} `{container}` of `{name}`"));
            }
        }
    }
    runners
}

pub(super) fn base_version<'a>(
    spec: &'a Spec,
    name: &str,
    version: &str,
) -> Result<&'a BaseImageVersion, EditError> {
    let catalog = base_image(spec, name)?;
    catalog.versions.get(version).ok_or_else(|| {
        undeclared(
            format!("base image `{name}` has no version `{version}`"),
            version,
            catalog.versions.keys(),
            &["base_images", name, "versions"],
        )
    })
}

/// `NAME:VERSION` of the catalog.
pub(super) fn base_reference<'a>(
    spec: &'a Spec,
    reference: &'a str,
) -> Result<(&'a str, &'a str, &'a BaseImageVersion), EditError> {
    let Some((name, version)) = reference.split_once(':') else {
        let example = spec
            .base_images
            .iter()
            .find_map(|(name, c)| Some(format!("{name}:{}", c.versions.keys().next()?)))
            .unwrap_or_else(|| "python:3.12".to_owned());
        return Err(EditError::invalid(format!(
            "`{reference}` does not name a base image version"
        ))
        .help(format!(
            "write NAME:VERSION of `[base_images]`, for example `{example}`"
        )));
    };
    let entry = base_version(spec, name, version)?;
    Ok((name, version, entry))
}

fn undeclared<'a>(
    message: String,
    name: &str,
    declared: impl Iterator<Item = &'a String>,
    at: &[&str],
) -> EditError {
    let declared: Vec<&str> = declared.map(String::as_str).collect();
    let listed = if declared.is_empty() {
        "none".to_owned()
    } else {
        declared.join(", ")
    };
    let help = match did_you_mean(name, declared.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? declared: {listed}"),
        None => format!("declared: {listed}"),
    };
    EditError::invalid(message).help(help).at(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::edit::test_spec::{bundled, parsed};

    fn spec() -> Spec {
        parsed(&bundled())
    }

    #[test]
    fn an_unknown_version_names_the_declared_ones_and_the_closest() {
        let error = base_version(&spec(), "python", "3.12-r3").unwrap_err();
        assert!(!error.refused);
        assert_eq!(
            error.message,
            "base image `python` has no version `3.12-r3`"
        );
        assert_eq!(
            error.help.as_deref(),
            Some("did you mean `3.12-r2`? declared: 3.11-r9, 3.12-r2")
        );
    }

    #[test]
    fn a_reference_without_a_version_shows_the_form() {
        let error = base_reference(&spec(), "python").unwrap_err();
        assert_eq!(
            error.help.as_deref(),
            Some("write NAME:VERSION of `[base_images]`, for example `python:3.11-r9`")
        );
    }
}
