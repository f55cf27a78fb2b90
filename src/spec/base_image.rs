use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::Date;

/// A base image services are built `FROM`, with the status of each of its versions.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BaseImage {
    /// Repository of the image in the registry (for example `enterprise/python-base`).
    #[schemars(example = &"enterprise/python-base")]
    pub image: String,
    /// Versions by tag.
    pub versions: IndexMap<String, BaseImageVersion>,
}

/// One version of a base image: its digest, and whether services may be built on it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"status": "approved"}))]
pub struct BaseImageVersion {
    /// Content digest of the version (`sha256:…`).
    #[serde(default)]
    #[schemars(example = &"sha256:2f3e5c1a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f")]
    pub digest: Option<String>,
    /// Whether services may use the version (default `approved`).
    #[serde(default)]
    pub status: ImageStatus,
    /// Why the version is blocked or deprecated.
    #[serde(default)]
    pub reason: Option<String>,
    /// Last day a deprecated version may be used; after it, using it is an error.
    #[serde(default)]
    pub deadline: Option<Date>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImageStatus {
    #[default]
    Approved,
    /// Allowed in the first environment only.
    Candidate,
    /// Allowed until its deadline.
    Deprecated,
    /// Never allowed.
    Blocked,
}

impl ImageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::Candidate => "candidate",
            Self::Deprecated => "deprecated",
            Self::Blocked => "blocked",
        }
    }
}
