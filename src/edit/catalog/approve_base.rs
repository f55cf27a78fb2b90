use toml_edit::{InlineTable, Item, Value};

use crate::edit::toml::document::document;
use crate::edit::toml::toml_path::{append_like_siblings, remove, set_str, table_at};
use crate::edit::{EditError, Edited, declared};
use crate::formats::digest::digest_problem;
use crate::spec::{ImageStatus, Spec};

/// What an approval asserts, and which earlier verdicts it may overturn.
#[derive(Debug, Clone, Copy)]
pub struct Approval<'a> {
    /// The digest the registry shows for the version's image.
    pub digest: &'a str,
    /// A recorded digest may be replaced: the tag was rebuilt and the new image reviewed.
    pub replace_digest: bool,
    /// A blocked version may be approved: the reason for the block no longer holds.
    pub unblock: bool,
}

/// Approves version `version` of base image `name` with its digest: a version the catalog
/// does not have yet is added, a candidate or deprecated one is approved. A digest is the
/// identity of the image behind a tag, so a digest other than the one recorded is refused
/// unless the approval says it replaces it, and a block is lifted only when it says so.
pub fn approve_base(
    spec: &Spec,
    text: &str,
    name: &str,
    version: &str,
    approval: &Approval<'_>,
) -> Result<Edited, EditError> {
    let catalog = declared::base_image(spec, name)?;
    let digest = approval.digest;
    if let Some(problem) = digest_problem(digest) {
        return Err(
            EditError::invalid(format!("`{digest}` is not an image digest: {problem}"))
                .help(
                    "write `sha256:` and the 64 lowercase hex digits the registry shows for the image",
                )
                .at(&["base_images", name]),
        );
    }
    if version.trim().is_empty() {
        return Err(EditError::invalid("a base image version cannot be empty"));
    }
    let base = format!("{name}:{version}");
    let mut doc = document(text)?;
    let versions_path = ["base_images", name, "versions"];
    let versions =
        table_at(&mut doc, &versions_path).ok_or_else(|| EditError::not_a_table(&versions_path))?;
    let Some(entry) = catalog.versions.get(version) else {
        let mut added = InlineTable::new();
        added.insert("digest", Value::from(digest));
        added.insert("status", Value::from(ImageStatus::Approved.as_str()));
        append_like_siblings(versions, version, Item::Value(Value::InlineTable(added)));
        return Ok(Edited {
            text: doc.to_string(),
            summary: format!("`{base}` is added to the catalog, approved, with digest {digest}"),
        });
    };
    let path = ["base_images", name, "versions", version];
    if entry.status == ImageStatus::Blocked && !approval.unblock {
        return Err(EditError::refused(format!(
            "`{base}` is blocked: {}",
            entry.reason.as_deref().unwrap_or("no reason given")
        ))
        .help("approving it lifts the block: pass --unblock once the reason no longer holds, or approve a patched version instead")
        .at(&path));
    }
    let recorded = entry.digest.as_deref();
    if let Some(recorded) = recorded
        && recorded != digest
        && !approval.replace_digest
    {
        return Err(EditError::refused(format!(
            "`{base}` is recorded with digest {recorded}; {digest} is another image under the same tag"
        ))
        .help("check which image the tag now points to; pass --replace-digest to record the new one")
        .at(&[&path[..], &["digest"]].concat()));
    }
    if entry.status == ImageStatus::Approved && recorded == Some(digest) {
        return Err(EditError::refused(format!(
            "`{base}` is already approved with digest {digest}"
        ))
        .at(&path));
    }
    let table = versions
        .get_mut(version)
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| EditError::not_a_table(&path))?;
    let mut changes = Vec::new();
    if entry.status != ImageStatus::Approved {
        set_str(table, "status", ImageStatus::Approved.as_str());
        changes.push(format!("was {}", entry.status.as_str()));
    }
    match recorded {
        None => changes.push(format!("digest {digest} recorded")),
        Some(recorded) if recorded != digest => {
            changes.push(format!("digest {recorded} replaced by {digest}"));
        }
        Some(_) => {}
    }
    if recorded != Some(digest) {
        set_str(table, "digest", digest);
    }
    // Both explain a verdict the approval overturns.
    remove(table, "reason");
    remove(table, "deadline");
    Ok(Edited {
        text: doc.to_string(),
        summary: format!("`{base}` is approved ({})", changes.join("; ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::test_spec::{parsed, text_with};

    const ONE: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    const TWO: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    fn approve(text: &str, version: &str, approval: Approval<'_>) -> Result<Edited, EditError> {
        approve_base(&parsed(text), text, "py", version, &approval)
    }

    fn plain(digest: &str) -> Approval<'_> {
        Approval {
            digest,
            replace_digest: false,
            unblock: false,
        }
    }

    fn with_version(entry: &str) -> String {
        text_with("").replace(
            "versions.\"1\" = { status = \"approved\" }",
            &format!("versions.\"1\" = {entry}"),
        )
    }

    #[test]
    fn a_new_version_is_added_after_the_others() {
        let text = text_with("");
        let edited = approve(&text, "3", plain(ONE)).unwrap();
        assert_eq!(
            edited.text,
            text.replace(
                "versions.\"2\" = { status = \"approved\" }\n",
                &format!("versions.\"2\" = {{ status = \"approved\" }}\nversions.\"3\" = {{ digest = \"{ONE}\", status = \"approved\" }}\n")
            )
        );
        assert_eq!(
            edited.summary,
            format!("`py:3` is added to the catalog, approved, with digest {ONE}")
        );
    }

    #[test]
    fn a_candidate_is_approved_and_its_digest_recorded() {
        let text = with_version("{ status = \"candidate\", reason = \"trial\" }  # new");
        let edited = approve(&text, "1", plain(ONE)).unwrap();
        assert!(
            edited.text.contains(&format!(
                "versions.\"1\" = {{ status = \"approved\", digest = \"{ONE}\" }}  # new\n"
            )),
            "{}",
            edited.text
        );
        assert_eq!(
            edited.summary,
            format!("`py:1` is approved (was candidate; digest {ONE} recorded)")
        );
    }

    #[test]
    fn another_digest_under_the_same_tag_is_refused_unless_replaced() {
        let text = with_version(&format!(
            "{{ digest = \"{ONE}\", status = \"deprecated\" }}"
        ));
        let refused = approve(&text, "1", plain(TWO)).unwrap_err();
        assert!(refused.refused);
        assert!(refused.message.contains("another image under the same tag"));
        let replaced = approve(
            &text,
            "1",
            Approval {
                replace_digest: true,
                ..plain(TWO)
            },
        )
        .unwrap();
        assert!(replaced.text.contains(&format!(
            "versions.\"1\" = {{ digest = \"{TWO}\", status = \"approved\" }}"
        )));
        let same = approve(&text, "1", plain(ONE)).unwrap();
        assert_eq!(same.summary, "`py:1` is approved (was deprecated)");
    }

    #[test]
    fn a_block_is_lifted_only_when_asked() {
        let text = with_version(&format!(
            "{{ digest = \"{ONE}\", status = \"blocked\", reason = \"CVE-1\" }}"
        ));
        let refused = approve(&text, "1", plain(ONE)).unwrap_err();
        assert!(refused.refused);
        assert_eq!(refused.message, "`py:1` is blocked: CVE-1");
        let lifted = approve(
            &text,
            "1",
            Approval {
                unblock: true,
                ..plain(ONE)
            },
        )
        .unwrap();
        assert!(lifted.text.contains(&format!(
            "versions.\"1\" = {{ digest = \"{ONE}\", status = \"approved\" }}"
        )));
    }

    #[test]
    fn nothing_to_approve_is_a_refusal_and_a_bad_digest_bad_input() {
        let text = with_version(&format!("{{ digest = \"{ONE}\" }}"));
        assert!(approve(&text, "1", plain(ONE)).unwrap_err().refused);
        for bad in ["sha256:abc", "md5:1", ""] {
            let error = approve(&text, "1", plain(bad)).unwrap_err();
            assert!(!error.refused, "{bad}");
            assert!(error.message.contains("is not an image digest"), "{bad}");
        }
        let unknown = approve_base(&parsed(&text), &text, "ruby", "1", &plain(ONE)).unwrap_err();
        assert!(!unknown.refused);
    }
}
