//! Configuration files: each mounted read-only, alone (by `subPath`), at its path in the
//! container, from a ConfigMap of one place named after a hash of what it holds. Any change
//! of a file names another ConfigMap, so the pods roll, and the old one stays until the
//! pods that read it are gone (Argo CD prunes it after the sync).

use crate::formats::fingerprint::fingerprint;

use crate::naming::table;

/// A configuration file the service's container reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigMount {
    /// Its path in the container.
    pub path: String,
    /// Its key in the ConfigMap, which `subPath` names.
    pub key: String,
}

/// The configuration files of one place, as its ConfigMap holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFiles {
    /// The ConfigMap's name: the service's, `-config-` and a hash of the files.
    pub name: String,
    pub files: Vec<ConfigFile>,
}

/// One configuration file of one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    pub mount: ConfigMount,
    /// Its path beside the spec, in plain form.
    pub source: String,
    /// The key of the entry that gives it here.
    pub entry: Vec<String>,
    pub text: String,
}

impl ConfigFiles {
    /// The ConfigMap of `files`, named after what they hold: keys and texts alike, so two
    /// places with the same files share one name.
    pub(crate) fn new(service: &str, files: Vec<ConfigFile>) -> Self {
        let hex = fingerprint(
            files
                .iter()
                .flat_map(|file| [file.mount.key.as_bytes(), file.text.as_bytes()]),
        );
        Self {
            name: table::CONFIG_FILES.build(&[service, &hex[..table::HASH_LEN]]),
            files,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ConfigFile, ConfigFiles, ConfigMount};

    fn file(key: &str, text: &str) -> ConfigFile {
        ConfigFile {
            mount: ConfigMount {
                path: format!("/etc/{key}"),
                key: key.to_owned(),
            },
            source: format!("config/{key}"),
            entry: Vec::new(),
            text: text.to_owned(),
        }
    }

    #[test]
    fn the_name_follows_every_key_and_text_and_nothing_else() {
        let name = |files| ConfigFiles::new("orders", files).name;
        let one = name(vec![file("a.yaml", "x: 1\n")]);
        assert!(one.starts_with("orders-config-"), "{one}");
        assert_eq!(one.len(), "orders-config-".len() + 10);
        assert_eq!(one, name(vec![file("a.yaml", "x: 1\n")]));
        assert_ne!(one, name(vec![file("a.yaml", "x: 2\n")]));
        assert_ne!(one, name(vec![file("b.yaml", "x: 1\n")]));
        // The boundary between key and text is part of what is hashed.
        assert_ne!(name(vec![file("ab", "c")]), name(vec![file("a", "bc")]));
    }
}
