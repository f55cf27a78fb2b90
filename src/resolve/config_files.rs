//! The configuration files of a service: where each is mounted, and what each place's
//! ConfigMap holds (the service's files, with those an environment or a cluster gives
//! instead).

use crate::model::{ConfigFile, ConfigFiles, ConfigMount, SpecFiles};
use crate::naming::config_keys;
use crate::spec::{Listed, Listing, Service};

/// Where the container reads each configuration file, in the order the spec lists them.
pub(crate) fn mounts(service: &Service) -> Vec<ConfigMount> {
    let paths: Vec<&str> = service.config_files.keys().map(String::as_str).collect();
    paths
        .iter()
        .zip(config_keys(&paths))
        .map(|(path, key)| ConfigMount {
            path: (*path).to_owned(),
            key,
        })
        .collect()
}

/// The name of the ConfigMap of the service's own files, which its base mounts.
pub(crate) fn base_name(name: &str, service: &Service, read: &SpecFiles) -> Option<String> {
    let own: Vec<Listed<'_>> = service
        .listed_files(name)
        .into_iter()
        .filter(|entry| entry.env.is_none() && entry.listing == Listing::Config)
        .collect();
    files(name, service, read, &own).map(|config| config.name)
}

/// The ConfigMap of one place (`cluster` none in an environment of one unnamed cluster).
pub(crate) fn place(
    name: &str,
    service: &Service,
    read: &SpecFiles,
    env: &str,
    cluster: Option<&str>,
) -> Option<ConfigFiles> {
    let listed: Vec<Listed<'_>> = service
        .overlay_files(name, env, cluster)
        .into_iter()
        .filter(|entry| entry.listing == Listing::Config)
        .collect();
    files(name, service, read, &listed)
}

/// Each mount's file: the last entry that gives one, in the order the entries are listed
/// (the service's, the environment's, the cluster's).
fn files(
    name: &str,
    service: &Service,
    read: &SpecFiles,
    listed: &[Listed<'_>],
) -> Option<ConfigFiles> {
    let mounts = mounts(service);
    if mounts.is_empty() {
        return None;
    }
    let files = mounts
        .into_iter()
        .filter_map(|mount| {
            let entry = listed
                .iter()
                .rev()
                .find(|entry| entry.mount == Some(mount.path.as_str()))?;
            let text = read.config(entry.file)?;
            Some(ConfigFile {
                mount,
                source: text.path.clone(),
                entry: entry.key.clone(),
                text: text.text.clone(),
            })
        })
        .collect();
    Some(ConfigFiles::new(name, files))
}

#[cfg(test)]
mod tests {
    use super::{mounts, place};
    use crate::model::{ConfigText, SpecFiles};
    use crate::spec::test_service as service;

    #[test]
    fn a_place_takes_the_most_specific_file_of_each_path() {
        let service = service(
            "config_files = { \"/etc/app/app.yaml\" = \"app.yaml\", \"/etc/app/log.yaml\" = \"log.yaml\" }\n\
             [overrides.prod]\nconfig_files = { \"/etc/app/app.yaml\" = \"prod.yaml\" }\n\
             [overrides.prod.clusters.us]\nconfig_files = { \"/etc/app/log.yaml\" = \"us-log.yaml\" }",
        );
        let mut read = SpecFiles::default();
        for file in ["app.yaml", "log.yaml", "prod.yaml", "us-log.yaml"] {
            let text = format!("from: {file}\n");
            read.insert_config(
                file,
                ConfigText {
                    path: file.to_owned(),
                    text,
                },
            );
        }
        let sources = |env, cluster| -> Vec<String> {
            place("s", &service, &read, env, cluster)
                .unwrap()
                .files
                .into_iter()
                .map(|f| f.source)
                .collect()
        };
        assert_eq!(sources("dev", None), ["app.yaml", "log.yaml"]);
        assert_eq!(sources("prod", Some("eu")), ["prod.yaml", "log.yaml"]);
        assert_eq!(sources("prod", Some("us")), ["prod.yaml", "us-log.yaml"]);
        let dev = place("s", &service, &read, "dev", None).unwrap();
        assert_eq!(
            dev.files[0].entry.join("."),
            "services.s.config_files./etc/app/app.yaml"
        );
        assert_eq!(
            mounts(&service)
                .iter()
                .map(|m| m.key.as_str())
                .collect::<Vec<_>>(),
            ["app.yaml", "log.yaml"]
        );
        assert_ne!(
            dev.name,
            place("s", &service, &read, "prod", None).unwrap().name
        );
    }
}
