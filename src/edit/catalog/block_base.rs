use std::cmp::Ordering;
use std::fmt::Write;

use super::base_users::{BaseUser, users_of};
use crate::edit::toml::document::document;
use crate::edit::toml::toml_path::{remove, set_str, table_at};
use crate::edit::{EditError, Edited, declared};
use crate::formats::version_order::compare_versions;
use crate::spec::{BaseImage, Date, ImageStatus, Spec};

/// Marks version `version` of base image `name` blocked, with the reason. Services still
/// built on it fail the build from then on (unless an exception covers them): that is what a
/// block is for, so the summary names them and what moves them off it.
pub fn block_base(
    spec: &Spec,
    text: &str,
    name: &str,
    version: &str,
    reason: &str,
    today: Date,
) -> Result<Edited, EditError> {
    let entry = declared::base_version(spec, name, version)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(EditError::invalid("a block needs a reason")
            .help("say why, for example --reason \"CVE-2026-1234 in OpenSSL\""));
    }
    let path = ["base_images", name, "versions", version];
    if entry.status == ImageStatus::Blocked {
        return Err(EditError::refused(format!(
            "`{name}:{version}` is already blocked: {}",
            entry.reason.as_deref().unwrap_or("no reason given")
        ))
        .help("to change the reason, edit it in the spec")
        .at(&path));
    }
    let mut doc = document(text)?;
    let table = table_at(&mut doc, &path).ok_or_else(|| EditError::not_a_table(&path))?;
    set_str(table, "status", "blocked");
    set_str(table, "reason", reason);
    // A deadline is when a deprecated version stops being allowed; a blocked one never is.
    remove(table, "deadline");

    let base = format!("{name}:{version}");
    let mut summary = format!(
        "`{base}` is now blocked (was {}): {reason}",
        entry.status.as_str()
    );
    let users = users_of(spec, &base, today);
    let (covered, failing): (Vec<&BaseUser<'_>>, Vec<&BaseUser<'_>>) =
        users.iter().partition(|u| u.exception.is_some());
    if users.is_empty() {
        summary.push_str("\nno service is built on it");
    }
    if !failing.is_empty() {
        let _ = write!(
            summary,
            "\n{} the build until moved off it:",
            plural(
                failing.len(),
                "service built on it now fails",
                "services built on it now fail"
            )
        );
        for user in &failing {
            let _ = write!(summary, "\n  {user}");
        }
        summary.push_str(&next_steps(
            &spec.base_images[name],
            name,
            version,
            &failing,
        ));
    }
    for user in covered {
        if let Some(exception) = user.exception {
            let _ = write!(
                summary,
                "\n{user} is allowed by exception {} until {}",
                exception.ticket, exception.expires
            );
        }
    }
    Ok(Edited {
        text: doc.to_string(),
        summary,
    })
}

/// What moves the failing services off the blocked version: their next build onto a newer
/// approved version, the versions they run replaced by rebuilt ones, or, for a while, an
/// exception.
fn next_steps(catalog: &BaseImage, name: &str, version: &str, failing: &[&BaseUser<'_>]) -> String {
    let mut steps = String::from("\nnext:");
    if failing.iter().any(|u| u.next_build) {
        let newer = catalog
            .versions
            .iter()
            .filter(|(v, e)| {
                e.status == ImageStatus::Approved
                    && compare_versions(v, version) == Ordering::Greater
            })
            .map(|(v, _)| v.as_str())
            .max_by(|a, b| compare_versions(a, b));
        match newer {
            Some(newer) => {
                let _ = write!(
                    steps,
                    "\n  `fleetc upgrade-base {name} {newer}` moves their next builds to `{name}:{newer}`, the newest approved version"
                );
            }
            None => {
                let _ = write!(
                    steps,
                    "\n  no newer version of `{name}` is approved: `fleetc approve-base {name} VERSION --digest sha256:…`, then `fleetc upgrade-base {name} VERSION`"
                );
            }
        }
    }
    if failing.iter().any(|u| !u.running.is_empty()) {
        steps.push_str(
            "\n  the versions running on it stay in violation until rebuilt versions replace them (`fleetc release SERVICE VERSION --env ENV`)",
        );
    }
    let _ = write!(
        steps,
        "\n  or, for a while: `fleetc except SERVICE {name}:{version} --expires YYYY-MM-DD --ticket TICKET`"
    );
    steps
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::test_spec::{parsed, text_with, today};

    fn block(text: &str, version: &str) -> Result<Edited, EditError> {
        block_base(&parsed(text), text, "py", version, "CVE-1", today())
    }

    #[test]
    fn the_status_and_reason_change_and_nothing_else() {
        let text = text_with("");
        let edited = block(&text, "1").unwrap();
        assert_eq!(
            edited.text,
            text.replace(
                "versions.\"1\" = { status = \"approved\" }",
                "versions.\"1\" = { status = \"blocked\", reason = \"CVE-1\" }"
            )
        );
        assert_eq!(
            edited.summary,
            "`py:1` is now blocked (was approved): CVE-1\nno service is built on it"
        );
    }

    #[test]
    fn a_deadline_goes_with_the_deprecation() {
        let text = text_with("").replace(
            "versions.\"1\" = { status = \"approved\" }",
            "versions.\"1\" = { status = \"deprecated\", deadline = 2027-01-31 }  # soon",
        );
        let edited = block(&text, "1").unwrap();
        assert!(
            edited.text.contains(
                "versions.\"1\" = { status = \"blocked\", reason = \"CVE-1\" }  # soon\n"
            ),
            "{}",
            edited.text
        );
    }

    #[test]
    fn the_services_built_on_it_are_named_with_the_way_off_it() {
        let text = text_with(
            "[services.a]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0\"\n\n\
             [services.b]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0\"\n\n\
             [[exceptions]]\nservice = \"b\"\nbase = \"py:1\"\nexpires = 2026-12-01\nticket = \"T-9\"\n",
        );
        let summary = block(&text, "1").unwrap().summary;
        assert!(
            summary.contains("1 service built on it now fails the build until moved off it:"),
            "{summary}"
        );
        assert!(
            summary.contains("\n  a (next build; runs 1.0)"),
            "{summary}"
        );
        assert!(
            summary.contains("`fleetc upgrade-base py 2` moves their next builds to `py:2`"),
            "{summary}"
        );
        assert!(
            summary
                .contains("b (next build; runs 1.0) is allowed by exception T-9 until 2026-12-01"),
            "{summary}"
        );
        let newest = block(&text, "2").unwrap().summary;
        assert!(newest.contains("no service is built on it"), "{newest}");
    }

    #[test]
    fn blocking_the_newest_version_asks_for_a_newer_one() {
        let text = text_with("[services.a]\nteam = \"t\"\nbase = \"py:2\"\nversion = \"1.0\"\n");
        let summary = block(&text, "2").unwrap().summary;
        assert!(
            summary
                .contains("no newer version of `py` is approved: `fleetc approve-base py VERSION"),
            "{summary}"
        );
    }

    #[test]
    fn a_blocked_version_is_not_blocked_again_and_a_reason_is_required() {
        let text = text_with("");
        let blocked = block(&text, "1").unwrap().text;
        let again = block(&blocked, "1").unwrap_err();
        assert!(again.refused);
        assert_eq!(again.message, "`py:1` is already blocked: CVE-1");
        let silent = block_base(&parsed(&text), &text, "py", "1", "  ", today()).unwrap_err();
        assert!(!silent.refused);
        let unknown = block(&text, "3").unwrap_err();
        assert!(!unknown.refused);
        assert_eq!(unknown.message, "base image `py` has no version `3`");
    }
}
