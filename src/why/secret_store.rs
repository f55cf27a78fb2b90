//! `fleetc why` for the settings of the secret store a place reads: a cluster's own
//! `secret_store` inherits its environment's key by key, so each setting comes from the
//! cluster's table where it writes that key, and from the environment's where it does not.

use crate::spec::{SecretStore, Spec};
use crate::tree::origin::StoreSetting;

type Key = Vec<String>;

/// The keys that can explain `setting` of the store `env` (or its cluster `cluster`) reads,
/// most specific first: the first one the spec writes is the answer.
pub(crate) fn keys(
    spec: &Spec,
    env: &str,
    cluster: Option<&str>,
    setting: StoreSetting,
) -> Vec<Key> {
    let environment = spec.environments.get(env);
    let below = environment.and_then(|e| e.secret_store.as_ref());
    let own = cluster.and_then(|c| environment?.clusters.get(c)?.secret_store.as_ref());
    let table = |cluster: Option<&str>, rest: &[&str]| -> Key {
        let mut path = vec!["environments", env];
        if let Some(cluster) = cluster {
            path.extend(["clusters", cluster]);
        }
        path.push("secret_store");
        path.extend(rest);
        path.into_iter().map(str::to_owned).collect()
    };
    // The provider is one key: the cluster's store is its own where it names one.
    let names_a_provider =
        |store: Option<&SecretStore>| store.is_some_and(|s| !s.providers().is_empty());
    let own_store = names_a_provider(own).then_some(cluster).flatten();
    let store = [
        own_store.map(|c| table(Some(c), &[])),
        Some(table(None, &[])),
    ];
    let mut found: Vec<Key> = Vec::new();
    match setting {
        StoreSetting::Refresh => {
            found.extend(cluster.map(|c| table(Some(c), &["refresh"])));
            found.push(table(None, &["refresh"]));
        }
        StoreSetting::Provider => {
            let effective = match own {
                Some(own) => own.over(below),
                None => below.cloned().unwrap_or_default(),
            };
            if let Some(provider) = effective.providers().first() {
                found.extend(own_store.map(|c| table(Some(c), &[provider.key()])));
                found.push(table(None, &[provider.key()]));
            }
        }
        StoreSetting::Store => {}
    }
    found.extend(store.into_iter().flatten());
    found
}
