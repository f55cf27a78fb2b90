use schemars::JsonSchema;
use serde::Deserialize;

/// The user and group a pod runs as unless its service says otherwise: not root, and not a
/// user an image's own files are likely to belong to.
const DEFAULT_USER: i64 = 10001;

/// How a service's containers run, strict unless it says otherwise: every key left out keeps
/// the hardened default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"user": 999, "writable_root": true}))]
pub struct Security {
    /// The user the containers run as (default 10001); 0 is root, which the `restricted`
    /// Pod Security level forbids.
    #[serde(default)]
    #[schemars(example = 999)]
    pub user: Option<i64>,
    /// The primary group of the containers' processes (default 10001).
    #[serde(default)]
    pub group: Option<i64>,
    /// The group that owns the pod's volumes (default: `group`).
    #[serde(default)]
    pub fs_group: Option<i64>,
    /// Whether the containers may write to their root filesystem (default false: read-only).
    #[serde(default)]
    pub writable_root: bool,
    /// Linux capabilities added to the containers, without the `CAP_` prefix; every other
    /// one is dropped. Beyond `NET_BIND_SERVICE` the `restricted` level is exceeded.
    #[serde(default)]
    #[schemars(example = ["NET_BIND_SERVICE"])]
    pub capabilities: Vec<String>,
    /// Whether the pod gets a writable emptyDir at `/tmp` (default true).
    #[serde(default)]
    pub tmp: Option<bool>,
}

/// A Pod Security Standard level, least permissive first.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum PodSecurityLevel {
    /// Hardened: non-root, no privilege escalation, every capability dropped but
    /// `NET_BIND_SERVICE`, the runtime's seccomp profile.
    #[default]
    Restricted,
    /// Known privilege escalations prevented: root and the default capabilities allowed.
    Baseline,
    /// Unrestricted.
    Privileged,
}

impl PodSecurityLevel {
    pub const ALL: [Self; 3] = [Self::Restricted, Self::Baseline, Self::Privileged];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Restricted => "restricted",
            Self::Baseline => "baseline",
            Self::Privileged => "privileged",
        }
    }
}

/// A permission for one service to run at a more permissive Pod Security level than its
/// environments enforce, for a reason the platform team accepted.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = serde_json::json!({"service": "broker", "level": "baseline", "reason": "the image starts as root to own its data directory"}))]
pub struct SecurityException {
    /// The service (under `[services]`) the exception lets run.
    pub service: String,
    /// The level it may run at: `baseline` or `privileged`.
    pub level: PodSecurityLevel,
    /// Why it needs it.
    pub reason: String,
    /// The environments it holds in (default: every environment the service runs in).
    #[serde(default)]
    pub environments: Option<Vec<String>>,
    /// Ticket that tracks it.
    #[serde(default)]
    pub ticket: Option<String>,
}

/// Linux capabilities, as Kubernetes names them (`capability.h` without `CAP_`).
pub(crate) const CAPABILITIES: &[&str] = &[
    "AUDIT_CONTROL",
    "AUDIT_READ",
    "AUDIT_WRITE",
    "BLOCK_SUSPEND",
    "BPF",
    "CHECKPOINT_RESTORE",
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "IPC_LOCK",
    "IPC_OWNER",
    "KILL",
    "LEASE",
    "LINUX_IMMUTABLE",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "MKNOD",
    "NET_ADMIN",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_RAW",
    "PERFMON",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYSLOG",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_CHROOT",
    "SYS_MODULE",
    "SYS_NICE",
    "SYS_PACCT",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "WAKE_ALARM",
];

/// The capabilities the `baseline` level lets a container add (the Pod Security Standards'
/// "Capabilities" control); `restricted` lets it add `NET_BIND_SERVICE` alone.
pub(crate) const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

pub(crate) const RESTRICTED_CAPABILITIES: &[&str] = &["NET_BIND_SERVICE"];

impl Security {
    pub fn user(&self) -> i64 {
        self.user.unwrap_or(DEFAULT_USER)
    }

    pub fn group(&self) -> i64 {
        self.group.unwrap_or(DEFAULT_USER)
    }

    pub fn fs_group(&self) -> i64 {
        self.fs_group.unwrap_or_else(|| self.group())
    }

    pub fn tmp(&self) -> bool {
        self.tmp.unwrap_or(true)
    }

    /// The least permissive level the settings run under, with what asks for more than
    /// `restricted`, in the spec's words (the key first).
    pub fn level_needed(&self) -> (PodSecurityLevel, Vec<(&'static str, String)>) {
        let mut level = PodSecurityLevel::Restricted;
        let mut why = Vec::new();
        if self.user() == 0 {
            level = PodSecurityLevel::Baseline;
            why.push(("user", "runs as root (`user = 0`)".to_owned()));
        }
        for capability in &self.capabilities {
            let needs = capability_level(capability);
            if needs > PodSecurityLevel::Restricted {
                level = level.max(needs);
                why.push((
                    "capabilities",
                    format!("adds the capability `{capability}`"),
                ));
            }
        }
        (level, why)
    }
}

/// The least permissive level that lets a container add `capability`.
fn capability_level(capability: &str) -> PodSecurityLevel {
    if RESTRICTED_CAPABILITIES.contains(&capability) {
        PodSecurityLevel::Restricted
    } else if BASELINE_CAPABILITIES.contains(&capability) {
        PodSecurityLevel::Baseline
    } else {
        PodSecurityLevel::Privileged
    }
}

#[cfg(test)]
mod tests {
    use super::{PodSecurityLevel, Security};

    fn security(toml: &str) -> Security {
        toml::from_str(toml).unwrap()
    }

    #[test]
    fn the_defaults_are_strict() {
        let strict = security("");
        assert_eq!(
            (strict.user(), strict.group(), strict.fs_group()),
            (10001, 10001, 10001)
        );
        assert!(!strict.writable_root);
        assert!(strict.tmp());
        assert_eq!(strict.level_needed().0, PodSecurityLevel::Restricted);
        assert_eq!(security("group = 70").fs_group(), 70);
    }

    #[test]
    fn root_and_capabilities_ask_for_their_level() {
        let level = |toml| security(toml).level_needed().0;
        assert_eq!(
            level("user = 999\nwritable_root = true\ntmp = false"),
            PodSecurityLevel::Restricted
        );
        assert_eq!(
            level("capabilities = [\"NET_BIND_SERVICE\"]"),
            PodSecurityLevel::Restricted
        );
        assert_eq!(level("user = 0"), PodSecurityLevel::Baseline);
        assert_eq!(
            level("capabilities = [\"CHOWN\", \"SETUID\"]"),
            PodSecurityLevel::Baseline
        );
        assert_eq!(
            level("capabilities = [\"CHOWN\", \"NET_ADMIN\"]"),
            PodSecurityLevel::Privileged
        );
        let (_, why) = security("user = 0\ncapabilities = [\"SYS_ADMIN\"]").level_needed();
        assert_eq!(
            why.iter().map(|(key, _)| *key).collect::<Vec<_>>(),
            ["user", "capabilities"]
        );
    }

    #[test]
    fn levels_order_from_least_permissive() {
        assert!(PodSecurityLevel::Restricted < PodSecurityLevel::Baseline);
        assert!(PodSecurityLevel::Baseline < PodSecurityLevel::Privileged);
    }
}
