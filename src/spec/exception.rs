use schemars::JsonSchema;
use serde::Deserialize;

use super::Date;

/// A time-limited permission for one service to keep a base image version that is not allowed.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"service": "users", "base": "python:3.10", "expires": "2026-12-15", "ticket": "SEC-42"}))]
pub struct Exception {
    /// The service (under `[services]`) the exception lets through.
    pub service: String,
    /// The base image version the exception covers, as `name:version`.
    pub base: String,
    /// Last day the exception holds.
    pub expires: Date,
    /// Ticket that tracks the fix.
    pub ticket: String,
    /// Why the service may keep the version meanwhile.
    #[serde(default)]
    pub reason: Option<String>,
}
