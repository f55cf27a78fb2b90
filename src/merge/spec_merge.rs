//! One file's three versions merged the way fleetc merges the spec: identical sides, or one
//! side's change, need no merge; a spec file both sides changed merges by key; any other file
//! by lines.

use super::text_merge::merge_lines;
use super::toml_merge::{Merged, merge, same_data};

/// The merged text of a file that `ours` and `theirs` hold (`None`: absent there), both from
/// `base`; an error names why it cannot merge.
pub(crate) fn merge_versions(
    path: &str,
    base: Option<&str>,
    ours: Option<&str>,
    theirs: Option<&str>,
) -> Result<Option<String>, String> {
    if ours == theirs || base == theirs {
        return Ok(ours.map(str::to_owned));
    }
    if base == ours {
        return Ok(theirs.map(str::to_owned));
    }
    let (Some(ours), Some(theirs)) = (ours, theirs) else {
        return Err(format!(
            "`{path}` is removed on one side and changed on the other"
        ));
    };
    let base = base.unwrap_or_default();
    if std::path::Path::new(path)
        .extension()
        .is_some_and(|extension| extension == "toml")
    {
        return match merge_toml(base, ours, theirs)? {
            Ok(text) => Ok(Some(text)),
            Err(keys) => Err(format!("both sides change {} in `{path}`", keys.join(", "))),
        };
    }
    let lines = merge_lines(base.as_bytes(), ours.as_bytes(), theirs.as_bytes(), LABELS)?;
    if lines.conflicts {
        return Err(format!("both sides change the same lines of `{path}`"));
    }
    String::from_utf8(lines.text)
        .map(Some)
        .map_err(|_| format!("`{path}` is not UTF-8 text once merged"))
}

/// The labels of a merge's three sides, in `git merge-file`'s order.
pub(crate) const LABELS: [&str; 3] = ["ours", "base", "theirs"];

/// A spec file merged by key, in the text a merge of lines gives when that means the same (it
/// keeps what both sides wrote around the keys), else as ours with theirs' changes; the keys
/// both sides change differently when it cannot merge.
pub(crate) fn merge_toml(
    base: &str,
    ours: &str,
    theirs: &str,
) -> Result<Result<String, Vec<String>>, String> {
    let lines = merge_lines(base.as_bytes(), ours.as_bytes(), theirs.as_bytes(), LABELS)?;
    let by_lines = (!lines.conflicts)
        .then(|| String::from_utf8(lines.text).ok())
        .flatten();
    match merge(base, ours, theirs) {
        Some(Merged::Clean(by_key)) => Ok(Ok(match by_lines {
            Some(text) if same_data(&text, &by_key) => text,
            _ => by_key,
        })),
        Some(Merged::Conflict(keys)) => Ok(Err(keys)),
        // A side that is not TOML merges by lines, or not at all.
        None => by_lines
            .map(Ok)
            .ok_or_else(|| "a side is not TOML, and lines conflict".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sides_change_is_taken_and_a_removal_against_a_change_refused() {
        assert_eq!(
            merge_versions("a.yaml", Some("x"), Some("x"), Some("y"))
                .unwrap()
                .as_deref(),
            Some("y")
        );
        assert_eq!(
            merge_versions("a.yaml", Some("x"), Some("y"), None).unwrap_err(),
            "`a.yaml` is removed on one side and changed on the other"
        );
        assert_eq!(
            merge_versions("a.yaml", None, None, Some("new"))
                .unwrap()
                .as_deref(),
            Some("new")
        );
        assert_eq!(
            merge_versions("a.yaml", Some("x"), None, Some("x")).unwrap(),
            None
        );
    }

    #[test]
    fn lines_next_to_each_other_in_a_spec_merge_by_key() {
        let base = "[services.a]\nversion = \"1\"\n";
        let ours =
            "[services.a]\nversion = \"1\"\ndeploy.dev = { blue = \"2\", live = \"blue\" }\n";
        let theirs =
            "[services.a]\nversion = \"1\"\ndeploy.staging = { blue = \"3\", live = \"blue\" }\n";
        let merged = merge_versions("spec/a.toml", Some(base), Some(ours), Some(theirs))
            .unwrap()
            .unwrap();
        assert!(
            merged.contains("deploy.dev = { blue = \"2\", live = \"blue\" }"),
            "{merged}"
        );
        assert!(
            merged.contains("deploy.staging = { blue = \"3\", live = \"blue\" }"),
            "{merged}"
        );
        let other = theirs
            .replace("deploy.staging", "deploy.dev")
            .replace('3', "4");
        let error =
            merge_versions("spec/a.toml", Some(base), Some(ours), Some(&other)).unwrap_err();
        assert!(error.contains("services.a.deploy.dev.blue"), "{error}");
    }
}
