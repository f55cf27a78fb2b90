use serde_json::Value;

use super::kustomization::Target;

/// Applies one patch file to the documents its target selects: a list is a JSON 6902 patch,
/// a map a strategic merge patch (named items of a list merged by name).
pub(super) fn apply(
    documents: &mut [Value],
    patches: Vec<Value>,
    target: Option<&Target>,
) -> Result<(), String> {
    if let Some(target) = target {
        check(target)?;
    }
    for patch in patches {
        let mut matched = 0;
        for document in documents.iter_mut() {
            let selected = match target {
                Some(target) => selects(target, document),
                None => same_object(&patch, document),
            };
            if !selected {
                continue;
            }
            matched += 1;
            match &patch {
                Value::Array(_) => {
                    let operations: json_patch::Patch = serde_json::from_value(patch.clone())
                        .map_err(|e| format!("not a JSON 6902 patch: {e}"))?;
                    json_patch::patch(document, &operations).map_err(|e| e.to_string())?;
                }
                // The object keeps its current name when the patch names it by an old one.
                Value::Object(_) => super::strategic::merge(document, &unnamed(&patch)),
                _ => return Err("a patch is a list of operations or a map".into()),
            }
        }
        if matched == 0 {
            return Err("the patch selects no resource".into());
        }
    }
    Ok(())
}

/// A merge patch applied through a target takes the identity of each object it selects, as
/// Kustomize applies it: its own kind and name, if it writes them, rename nothing.
fn unnamed(patch: &Value) -> Value {
    let mut patch = patch.clone();
    if let Value::Object(fields) = &mut patch {
        fields.remove("apiVersion");
        fields.remove("kind");
        if let Some(Value::Object(metadata)) = fields.get_mut("metadata") {
            metadata.remove("name");
            metadata.remove("namespace");
            if metadata.is_empty() {
                fields.remove("metadata");
            }
        }
    }
    patch
}

/// kustomize reads a target's names as regular expressions: plain names mean the same
/// either way, patterns are refused rather than read as plain names.
fn check(target: &Target) -> Result<(), String> {
    let fields = [
        &target.group,
        &target.version,
        &target.kind,
        &target.name,
        &target.namespace,
    ];
    match fields.into_iter().flatten().find(|f| {
        f.contains([
            '*', '+', '?', '[', ']', '(', ')', '{', '}', '|', '^', '$', '\\',
        ])
    }) {
        Some(pattern) => Err(format!("the target pattern `{pattern}` is not supported")),
        None => Ok(()),
    }
}

fn selects(target: &Target, document: &Value) -> bool {
    let (group, version) = match document["apiVersion"]
        .as_str()
        .unwrap_or("")
        .split_once('/')
    {
        Some((group, version)) => (group, version),
        None => ("", document["apiVersion"].as_str().unwrap_or("")),
    };
    let field =
        |wanted: &Option<String>, actual: &str| wanted.as_deref().is_none_or(|w| w == actual);
    field(&target.group, group)
        && field(&target.version, version)
        && field(&target.kind, document["kind"].as_str().unwrap_or(""))
        && target
            .name
            .as_deref()
            .is_none_or(|name| super::names::known_as(document, name))
        && field(
            &target.namespace,
            document["metadata"]["namespace"].as_str().unwrap_or(""),
        )
        && super::selector::matches(
            target.label_selector.as_deref(),
            &document["metadata"]["labels"],
        )
        && super::selector::matches(
            target.annotation_selector.as_deref(),
            &document["metadata"]["annotations"],
        )
}

/// A merge patch without a target names its object itself.
fn same_object(patch: &Value, document: &Value) -> bool {
    patch["kind"] == document["kind"]
        && patch["metadata"]["name"]
            .as_str()
            .is_some_and(|name| super::names::known_as(document, name))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Target, apply};

    #[test]
    fn a_merge_patch_through_a_target_renames_nothing_and_selects_every_object_of_the_kind() {
        let deployment = |name: &str| json!({ "kind": "Deployment", "metadata": { "name": name } });
        let mut documents = vec![deployment("a-blue"), deployment("a-green")];
        let patch = json!({ "kind": "Deployment", "metadata": { "name": "x" }, "spec": { "paused": true } });
        let target = Target {
            kind: Some("Deployment".into()),
            ..Target::default()
        };
        apply(&mut documents, vec![patch], Some(&target)).unwrap();
        assert_eq!(documents[0]["metadata"]["name"], "a-blue");
        assert_eq!(documents[1]["spec"]["paused"], true);
    }
}
