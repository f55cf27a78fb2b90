use std::collections::BTreeMap;

use super::PodSecurityLevel;

/// How a service's containers run, every default filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityModel {
    pub user: i64,
    pub group: i64,
    pub fs_group: i64,
    pub writable_root: bool,
    /// Capabilities added; every other one is dropped.
    pub capabilities: Vec<String>,
    /// Whether the pod gets a writable emptyDir at `/tmp`.
    pub tmp: bool,
    /// The least permissive Pod Security level these settings run under.
    pub needs: PodSecurityLevel,
}

impl SecurityModel {
    pub fn runs_as_root(&self) -> bool {
        self.user == 0
    }
}

/// A service allowed a more permissive level in an environment than the environment enforces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityGrant {
    pub service: String,
    pub level: PodSecurityLevel,
    /// The index of its `[[security_exceptions]]` entry.
    pub exception: usize,
    pub reason: String,
    pub ticket: Option<String>,
}

/// The annotation of an environment's pod security policy that lists the exceptions in force,
/// one line each, so that a reviewer and `kubectl describe` read who may run at more and why.
pub(crate) const EXCEPTIONS_ANNOTATION: &str = "fleetc.io/security-exceptions";

impl SecurityGrant {
    /// `migrate=baseline: the image runs as root (PLAT-812)`.
    pub fn line(&self) -> String {
        let reason = self.reason.split_whitespace().collect::<Vec<_>>().join(" ");
        match &self.ticket {
            Some(ticket) => format!(
                "{}={}: {reason} ({ticket})",
                self.service,
                self.level.as_str()
            ),
            None => format!("{}={}: {reason}", self.service, self.level.as_str()),
        }
    }
}

/// The level each service is granted by the lines of [`EXCEPTIONS_ANNOTATION`].
pub(crate) fn granted_levels(annotation: &str) -> BTreeMap<&str, &str> {
    annotation
        .lines()
        .filter_map(|line| {
            let (service, rest) = line.split_once('=')?;
            let (level, _) = rest.split_once(':').unwrap_or((rest, ""));
            Some((service, level))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{PodSecurityLevel, SecurityGrant, granted_levels};

    #[test]
    fn a_grant_is_one_line_read_back_as_its_level() {
        let grant = SecurityGrant {
            service: "migrate".into(),
            level: PodSecurityLevel::Baseline,
            exception: 0,
            reason: "runs\nas root".into(),
            ticket: Some("PLAT-1".into()),
        };
        assert_eq!(grant.line(), "migrate=baseline: runs as root (PLAT-1)");
        let lines = format!("{}\ncache=privileged: needs NET_ADMIN", grant.line());
        let levels = granted_levels(&lines);
        assert_eq!(levels["migrate"], "baseline");
        assert_eq!(levels["cache"], "privileged");
    }
}
