use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::Date;

/// A base image services are built `FROM`, with the status of each of its versions.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BaseImage {
    /// Repository of the image in the registry (for example `enterprise/python-base`).
    pub image: String,
    /// Versions by tag.
    pub versions: IndexMap<String, BaseImageVersion>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BaseImageVersion {
    /// Content digest of the version (`sha256:…`).
    #[serde(default)]
    pub digest: Option<String>,
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
