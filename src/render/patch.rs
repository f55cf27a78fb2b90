use serde_json::Value;

use super::kustomization::Target;

/// Applies one patch file to the documents its target selects: a list is a JSON 6902 patch,
/// a map a strategic merge patch (named items of a list merged by name).
pub(super) fn apply(
    documents: &mut [Value],
    patches: Vec<Value>,
    target: Option<&Target>,
) -> Result<(), String> {
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
                Value::Object(_) => super::strategic::merge(document, &patch),
                _ => return Err("a patch is a list of operations or a map".into()),
            }
        }
        if matched == 0 {
            return Err("the patch selects no resource".into());
        }
    }
    Ok(())
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
        && field(
            &target.name,
            document["metadata"]["name"].as_str().unwrap_or(""),
        )
        && field(
            &target.namespace,
            document["metadata"]["namespace"].as_str().unwrap_or(""),
        )
}

/// A merge patch without a target names its object itself.
fn same_object(patch: &Value, document: &Value) -> bool {
    patch["kind"] == document["kind"] && patch["metadata"]["name"] == document["metadata"]["name"]
}
