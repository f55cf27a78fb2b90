use super::ImageStatus;

/// The base image a service is built from.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseRef {
    pub name: String,
    pub version: String,
    /// Full repository of the base image in the registry.
    pub image: String,
    pub digest: Option<String>,
    pub status: ImageStatus,
}
