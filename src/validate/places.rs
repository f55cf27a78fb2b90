//! Where a service runs, for the checks that judge what inheritance gives it there, and how
//! they name those places in a message.

use crate::spec::{Place, Service, Spec};

/// Every place `service` runs: each cluster of each environment it is deployed to.
pub(super) fn places_of<'a>(spec: &'a Spec, service: &Service) -> Vec<Place<'a>> {
    spec.environments
        .iter()
        .filter(|(env, _)| service.deployed_to(env))
        .flat_map(|(env, environment)| Place::all_of(env, environment))
        .collect()
}

/// `prod`, or `prod/us` for the cluster `us` of `prod`.
pub(super) fn place_name(place: &Place<'_>) -> String {
    match place.cluster {
        Some(cluster) => format!("{}/{}", place.env, cluster.name),
        None => place.env.to_owned(),
    }
}

pub(super) fn push_new(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|i| i == item) {
        list.push(item.to_owned());
    }
}

/// `a`; `a` and `b`; `a`, `b` and `c`.
pub(super) fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The places (as `place_name` writes them) where `variable` is no secret of the service:
/// where its Secret holds no such key.
pub(super) fn places_without_secret(spec: &Spec, service: &Service, variable: &str) -> Vec<String> {
    places_of(spec, service)
        .iter()
        .filter(|place| {
            !crate::spec::inherited_at(&spec.defaults, service, place)
                .secrets
                .contains_key(variable)
        })
        .map(place_name)
        .collect()
}
