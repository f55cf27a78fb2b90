//! Where the spec writes the release state of a service in an environment: what a refusal
//! about that state points at.

use crate::spec::Spec;

/// Where the spec says what `service` runs in `env`: its `deploy.<env>` entry when it has one,
/// else `version`, which every environment without an entry runs. A refusal about that
/// state is shown there.
pub(crate) fn state_at<'a>(spec: &Spec, service: &'a str, env: &'a str) -> Vec<&'a str> {
    let written = spec
        .services
        .get(service)
        .is_some_and(|s| s.deploy.contains_key(env));
    if written {
        vec!["services", service, "deploy", env]
    } else {
        vec!["services", service, "version"]
    }
}
