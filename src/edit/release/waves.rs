//! Clusters roll out in waves: a version reaches a cluster only once it is live in every
//! cluster of the waves before.

use crate::edit::EditError;
use crate::spec::{Cluster, Environment, Service, version_tag as tag};

/// Refuses `version` for `cluster` of `env` (`None`: the environment's own state) while a
/// cluster of an earlier wave does not serve it live yet.
pub(super) fn check_wave_order(
    environment: &Environment,
    service: &Service,
    (env, cluster): (&str, Option<&str>),
    version: &str,
) -> Result<(), EditError> {
    let Some(cluster) = cluster else {
        // The environment's own state is what every wave runs; none comes before it.
        return Ok(());
    };
    let wave = environment.clusters[cluster].wave_or_first();
    let behind = behind_in_earlier_waves(environment, service, env, wave, version);
    if behind.is_empty() {
        return Ok(());
    }
    Err(EditError::refused(format!(
        "{version} is not live yet in {} of `{env}`, so it cannot reach `{cluster}` (wave {wave})",
        behind.join(", ")
    ))
    .help("clusters roll out in waves: release and promote it in the earlier waves first (`--wave N`), or pass --skip-order"))
}

/// The clusters of the waves before `wave`, in declaration order.
pub(crate) fn earlier_waves(environment: &Environment, wave: u32) -> Vec<String> {
    environment
        .clusters
        .iter()
        .filter(|(_, c)| c.wave_or_first() < wave)
        .map(|(name, _)| name.clone())
        .collect()
}

/// The clusters of the waves before `wave` that do not serve `version` live yet, each as
/// `` `eu-canary` (wave 0) ``: what keeps a version from the wave.
pub(crate) fn behind_in_earlier_waves(
    environment: &Environment,
    service: &Service,
    env: &str,
    wave: u32,
    version: &str,
) -> Vec<String> {
    earlier_waves(environment, wave)
        .into_iter()
        .filter(|name| {
            service
                .live_in_every(env, &[Some(name)])
                .as_deref()
                .map(tag)
                != Some(tag(version))
        })
        .map(|name| {
            let wave = environment.clusters[&name].wave_or_first();
            format!("`{name}` (wave {wave})")
        })
        .collect()
}

/// `0 (eu-canary), 1 (eu, us)`.
pub(super) fn listed_waves(environment: &Environment) -> String {
    let mut numbers: Vec<u32> = environment
        .clusters
        .values()
        .map(Cluster::wave_or_first)
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
        .iter()
        .map(|wave| {
            let names: Vec<&str> = environment
                .clusters
                .iter()
                .filter(|(_, c)| c.wave_or_first() == *wave)
                .map(|(name, _)| name.as_str())
                .collect();
            format!("{wave} ({})", names.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
