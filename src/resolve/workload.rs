//! What a service's kind adds: how a job runs, and a statefulset's volumes.

use crate::formats::go_duration;
use crate::model::{RunModel, ScratchMount, StorageClaim, StorageMount};
use crate::spec::{Service, WorkloadKind};

/// Kubernetes' own `backoffLimit`, written so the reader sees it.
const DEFAULT_RETRIES: u32 = 6;
const DEFAULT_KEEP_SUCCEEDED: u32 = 3;
const DEFAULT_KEEP_FAILED: u32 = 1;

/// How a `cronjob` or a `job` runs; `None` for the kinds that run for ever.
pub(crate) fn run(service: &Service) -> Option<RunModel> {
    if !service.kind.runs_to_completion() {
        return None;
    }
    let settings = service.run.clone().unwrap_or_default();
    let keep = settings.keep.unwrap_or_default();
    let count =
        |n: Option<i64>, default: u32| n.and_then(|n| u32::try_from(n).ok()).unwrap_or(default);
    let scheduled = service.kind == WorkloadKind::CronJob;
    Some(RunModel {
        schedule: service.schedule.clone().filter(|_| scheduled),
        timezone: service.timezone.clone().filter(|_| scheduled),
        concurrency: settings.concurrency.unwrap_or_default(),
        deadline: settings.deadline.as_deref().and_then(seconds),
        retries: count(settings.retries, DEFAULT_RETRIES),
        start_within: settings.start_within.as_deref().and_then(seconds),
        keep_succeeded: count(keep.succeeded, DEFAULT_KEEP_SUCCEEDED),
        keep_failed: count(keep.failed, DEFAULT_KEEP_FAILED),
    })
}

/// A duration as whole seconds, at least one.
fn seconds(text: &str) -> Option<u64> {
    let nanos = go_duration::parse(text).ok()?;
    u64::try_from(nanos / 1_000_000_000).ok().map(|s| s.max(1))
}

/// Where a `statefulset`'s volumes are mounted.
pub(crate) fn storage_mounts(service: &Service) -> Vec<StorageMount> {
    if service.kind != WorkloadKind::StatefulSet {
        return Vec::new();
    }
    service
        .storage
        .iter()
        .map(|(name, storage)| StorageMount {
            name: name.clone(),
            path: storage.path.clone(),
        })
        .collect()
}

pub(crate) fn scratch_mounts(service: &Service) -> Vec<ScratchMount> {
    service
        .volumes
        .iter()
        .map(|(name, volume)| ScratchMount {
            name: name.clone(),
            path: volume.path.clone(),
            size: volume.size.clone(),
            memory: volume.memory,
        })
        .collect()
}

/// A `statefulset`'s claims in `env`: the service's size and class, each overridden there.
pub(crate) fn claims(service: &Service, env: &str) -> Vec<StorageClaim> {
    if service.kind != WorkloadKind::StatefulSet {
        return Vec::new();
    }
    let over = service.overrides.get(env);
    service
        .storage
        .iter()
        .map(|(name, storage)| {
            let here = over.and_then(|o| o.storage.get(name));
            StorageClaim {
                name: name.clone(),
                size: here
                    .and_then(|h| h.size.clone())
                    .unwrap_or_else(|| storage.size.clone()),
                class: here
                    .and_then(|h| h.class.clone())
                    .or_else(|| storage.class.clone()),
            }
        })
        .collect()
}

/// Whether a `cronjob` is suspended in `env`.
pub(crate) fn suspended(service: &Service, env: &str) -> bool {
    service.kind == WorkloadKind::CronJob
        && service
            .overrides
            .get(env)
            .and_then(|o| o.suspend)
            .unwrap_or(false)
}

/// The ordinal from which a `statefulset` takes a new version in `env`.
pub(crate) fn partition(service: &Service, env: &str) -> Option<u32> {
    if service.kind != WorkloadKind::StatefulSet {
        return None;
    }
    let partition = service.overrides.get(env)?.partition?;
    u32::try_from(partition).ok().filter(|p| *p > 0)
}

#[cfg(test)]
mod tests {
    use super::{claims, partition, run, suspended};
    use crate::spec::Concurrency;

    use crate::spec::test_service as service;

    #[test]
    fn a_job_runs_with_kubernetes_defaults_written_out() {
        let job = run(&service("kind = \"cronjob\"\nschedule = \"0 3 * * *\"")).unwrap();
        assert_eq!(job.schedule.as_deref(), Some("0 3 * * *"));
        assert_eq!(job.concurrency, Concurrency::Forbid);
        assert_eq!(
            (job.retries, job.keep_succeeded, job.keep_failed),
            (6, 3, 1)
        );
        assert_eq!(job.deadline, None);
        let set = run(&service(
            "kind = \"job\"\n[run]\ndeadline = \"1h30m\"\nretries = 0\nstart_within = \"500ms\"",
        ))
        .unwrap();
        assert_eq!(set.deadline, Some(5400));
        assert_eq!(set.retries, 0);
        // Rounded up to a second: zero would mean "never" to Kubernetes.
        assert_eq!(set.start_within, Some(1));
        assert!(run(&service("kind = \"worker\"")).is_none());
    }

    #[test]
    fn a_statefulsets_volumes_take_each_environments_size_and_class() {
        let db = service(
            "kind = \"statefulset\"\n[storage.data]\npath = \"/data\"\nsize = \"1Gi\"\nclass = \"std\"\n[overrides.prod]\npartition = 2\n[overrides.prod.storage.data]\nsize = \"50Gi\"",
        );
        let prod = claims(&db, "prod");
        assert_eq!(
            (prod[0].size.as_str(), prod[0].class.as_deref()),
            ("50Gi", Some("std"))
        );
        assert_eq!(claims(&db, "dev")[0].size, "1Gi");
        assert_eq!(partition(&db, "prod"), Some(2));
        assert_eq!(partition(&db, "dev"), None);
    }

    #[test]
    fn only_a_cronjob_is_suspended() {
        let over = "[overrides.dev]\nsuspend = true";
        assert!(suspended(
            &service(&format!(
                "kind = \"cronjob\"\nschedule = \"@daily\"\n{over}"
            )),
            "dev"
        ));
        assert!(!suspended(
            &service(&format!(
                "kind = \"cronjob\"\nschedule = \"@daily\"\n{over}"
            )),
            "prod"
        ));
        assert!(!suspended(
            &service(&format!("kind = \"job\"\n{over}")),
            "dev"
        ));
    }
}
