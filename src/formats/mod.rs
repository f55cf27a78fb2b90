//! Value formats several stages read: cloud identities, cron schedules, digests, fingerprints, `$(NAME)`
//! references, Go durations, HTTP paths, OpenTelemetry variables, Kubernetes quantities, IANA
//! time zones, version pins, names and values that look like secrets, and the paths of files
//! beside the spec.

pub(crate) mod cloud_identity;
pub(crate) mod cron_schedule;
pub(crate) mod digest;
pub(crate) mod env_reference;
pub(crate) mod fingerprint;
pub(crate) mod go_duration;
pub(crate) mod http_path;
pub(crate) mod otel;
pub(crate) mod quantity;
pub(crate) mod secret_name;
pub(crate) mod secret_value;
pub(crate) mod spec_file_path;
pub(crate) mod time_zone;
pub(crate) mod version;
pub(crate) mod version_order;
