//! Which services are built on a base image version: their next build (`base`), the versions
//! they run (`built_on`, or `base` for a version it does not list), or both.

use std::fmt;

use crate::spec::{Date, Exception, Spec};

/// One service built on a base image version.
#[derive(Debug, Clone)]
pub(super) struct BaseUser<'a> {
    pub service: &'a str,
    /// Its next build uses the version.
    pub next_build: bool,
    /// The versions it runs that were built on it.
    pub running: Vec<String>,
    /// An exception that lets it keep the version today.
    pub exception: Option<&'a Exception>,
}

/// The services built on `base` (`name:version`), in the order the spec declares them.
pub(super) fn users_of<'a>(spec: &'a Spec, base: &str, today: Date) -> Vec<BaseUser<'a>> {
    spec.services
        .keys()
        .filter_map(|name| user(spec, name, base, today))
        .collect()
}

/// How `service` is built on `base`, if it is.
pub(super) fn user<'a>(
    spec: &'a Spec,
    service: &'a str,
    base: &str,
    today: Date,
) -> Option<BaseUser<'a>> {
    let entry = spec.services.get(service)?;
    let running = entry.running_on(base, spec.environments.keys().map(String::as_str));
    let next_build = entry.base.as_deref() == Some(base);
    if !next_build && running.is_empty() {
        return None;
    }
    let exception = spec
        .exceptions
        .iter()
        .find(|e| e.service == service && e.base == base && e.expires >= today);
    Some(BaseUser {
        service,
        next_build,
        running,
        exception,
    })
}

impl fmt::Display for BaseUser<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut uses = Vec::new();
        if self.next_build {
            uses.push("next build".to_owned());
        }
        if !self.running.is_empty() {
            uses.push(format!("runs {}", self.running.join(", ")));
        }
        write!(f, "{} ({})", self.service, uses.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::edit::test_spec::{parsed, text_with, today};

    fn spec(rest: &str) -> Spec {
        parsed(&text_with(rest))
    }

    #[test]
    fn a_running_version_keeps_the_base_it_was_built_on() {
        let spec = spec(
            "[services.a]\nteam = \"t\"\nbase = \"py:2\"\nversion = \"1.1\"\ndeploy.prod = { blue = \"1.0\", live = \"blue\" }\nbuilt_on = { \"1.0\" = \"py:1\" }\n",
        );
        let old = users_of(&spec, "py:1", today());
        assert_eq!(old.len(), 1);
        assert!(!old[0].next_build);
        assert_eq!(old[0].running, ["1.0"]);
        assert_eq!(old[0].to_string(), "a (runs 1.0)");
        let new = users_of(&spec, "py:2", today());
        assert_eq!(new[0].to_string(), "a (next build; runs 1.1)");
    }

    #[test]
    fn only_an_unexpired_exception_covers_a_user() {
        let exception = "[[exceptions]]\nservice = \"a\"\nbase = \"py:1\"\nexpires = 2026-11-01\nticket = \"T-1\"\n";
        let spec = spec(&format!(
            "[services.a]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0\"\n{exception}"
        ));
        assert!(users_of(&spec, "py:1", today())[0].exception.is_some());
        let tomorrow = Date::parse("2026-11-02").unwrap();
        assert!(users_of(&spec, "py:1", tomorrow)[0].exception.is_none());
        assert!(users_of(&spec, "py:2", today()).is_empty());
    }
}
