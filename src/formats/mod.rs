//! Value formats several stages read: cron schedules, digests, Go durations, Kubernetes
//! quantities, IANA time zones, version pins and names that look like secrets.

pub mod cron_schedule;
pub mod digest;
pub mod go_duration;
pub mod quantity;
pub mod secret_name;
pub mod time_zone;
pub mod version;
pub mod version_order;
