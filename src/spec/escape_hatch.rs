//! The escape hatch: Kubernetes objects and patches of a service's own, from files beside the
//! spec, for what the spec has no key for. They are listed where the spec can govern them: at
//! the service (its base and every overlay), an environment or a cluster.

use schemars::JsonSchema;
use serde::Deserialize;

/// A patch file. A file holding a map is a strategic merge patch, which names an object by
/// `kind` and `metadata.name`: the one it patches, unless `target` selects others; a file
/// holding a list is a JSON 6902 patch (RFC 6902 operations), which needs `target`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(example = &"patches/orders-sidecar.yaml")]
pub enum PatchFile {
    /// A strategic merge patch whose file names its object.
    Path(String),
    /// A patch with the object it applies to.
    Targeted(TargetedPatch),
}

/// A patch file with the object it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"file": "patches/orders-timeout.yaml", "target": {"kind": "Deployment", "name": "orders-blue"}}))]
pub struct TargetedPatch {
    /// The patch file, relative to the spec's folder.
    #[schemars(example = &"patches/orders-timeout.yaml")]
    pub file: String,
    /// The generated object the patch applies to.
    pub target: PatchTarget,
}

/// The objects fleetc generates for the service that a patch applies to: by kind and name as
/// `fleetc render` prints them, or every object of the kind (both colours' Deployments of a
/// `deployment`, `<service>-blue` and `<service>-green`, whichever run).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"kind": "Deployment", "name": "orders-blue"}))]
pub struct PatchTarget {
    /// The object's kind.
    #[schemars(example = &"Deployment")]
    pub kind: String,
    /// The object's name; every object of the kind when left out.
    #[serde(default)]
    #[schemars(example = &"orders-blue")]
    pub name: Option<String>,
}

impl PatchFile {
    pub fn file(&self) -> &str {
        match self {
            Self::Path(file) => file,
            Self::Targeted(targeted) => &targeted.file,
        }
    }

    pub fn target(&self) -> Option<&PatchTarget> {
        match self {
            Self::Path(_) => None,
            Self::Targeted(targeted) => Some(&targeted.target),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PatchFile;
    use crate::spec::Service;

    use crate::spec::test_service as service;

    #[test]
    fn a_patch_is_a_path_or_a_file_with_its_target() {
        let service = service(
            "patches = [\"a.yaml\", { file = \"b.yaml\", target = { kind = \"Deployment\" } }]",
        );
        assert_eq!(service.patches[0], PatchFile::Path("a.yaml".into()));
        assert_eq!(service.patches[1].file(), "b.yaml");
        assert_eq!(service.patches[1].target().unwrap().kind, "Deployment");
        let unknown =
            "team = \"t\"\nversion = \"1\"\npatches = [{ file = \"b.yaml\", targt = {} }]";
        assert!(toml::from_str::<Service>(unknown).is_err());
    }
}
