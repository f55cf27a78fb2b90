use serde_json::Value;

use super::kustomization::Target;

/// Applies one patch file to the documents its target selects: a list is a JSON 6902 patch,
/// a map a strategic merge patch (named items of a list merged by name). A patch without a
/// target must find the object it names, as in kubectl; one with a target may select
/// nothing, unless `strict` asks that each patch apply somewhere.
pub(super) fn apply(
    documents: &mut Vec<Value>,
    patches: Vec<Value>,
    target: Option<&Target>,
    strict: bool,
) -> Result<(), String> {
    if let Some(target) = target {
        check(target)?;
    }
    for patch in patches {
        let selected: Vec<usize> = (0..documents.len())
            .filter(|i| match target {
                Some(target) => selects(target, &documents[*i]),
                None => same_object(&patch, &documents[*i]),
            })
            .collect();
        if selected.is_empty() && (strict || target.is_none()) {
            return Err("the patch selects no resource".into());
        }
        if patch.get("$patch").and_then(Value::as_str) == Some("delete") {
            let mut index = 0;
            documents.retain(|_| {
                index += 1;
                !selected.contains(&(index - 1))
            });
            continue;
        }
        for i in selected {
            apply_one(&mut documents[i], &patch)?;
        }
    }
    Ok(())
}

fn apply_one(document: &mut Value, patch: &Value) -> Result<(), String> {
    match patch {
        Value::Array(_) => {
            let operations: json_patch::Patch = serde_json::from_value(patch.clone())
                .map_err(|e| format!("not a JSON 6902 patch: {e}"))?;
            json_patch::patch(document, &operations).map_err(|e| e.to_string())
        }
        // The object keeps its current name when the patch names it by an old one.
        Value::Object(_) => {
            let known = super::strategic::knows_schema(document);
            super::strategic::merge(document, &unnamed(patch), known);
            Ok(())
        }
        _ => Err("a patch is a list of operations or a map".into()),
    }
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
        apply(&mut documents, vec![patch], Some(&target), true).unwrap();
        assert_eq!(documents[0]["metadata"]["name"], "a-blue");
        assert_eq!(documents[1]["spec"]["paused"], true);
    }
}
