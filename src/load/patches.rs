//! What a patch file may be: strategic merge patches (maps), each naming an object by `kind`
//! and `metadata.name` (the one it patches, unless its entry's target selects others), or one
//! JSON 6902 patch (a list of operations), whose entry names its objects, as Kustomize reads a
//! file of its `patches`.

use serde_json::Value;

pub(super) fn check(
    file: &str,
    documents: &[Value],
    targeted: bool,
) -> Result<(), (String, String)> {
    let [first, ..] = documents else {
        return Err((
            format!("`{file}` holds no patch"),
            "write a strategic merge patch (a map) or JSON 6902 operations (a list)".into(),
        ));
    };
    if first.is_array() {
        if documents.len() > 1 {
            return Err((
                format!("`{file}` holds more than one JSON 6902 patch"),
                "write one list of operations per file".into(),
            ));
        }
        if !targeted {
            return Err((
                format!("`{file}` is a JSON 6902 patch, which names no object"),
                format!(
                    "list it as `{{ file = \"{file}\", target = {{ kind = \"Deployment\", name = \"…\" }} }}`"
                ),
            ));
        }
        return serde_json::from_value::<json_patch::Patch>(first.clone())
            .map(drop)
            .map_err(|e| {
                (
                    format!("`{file}` is not a JSON 6902 patch: {e}"),
                    "write operations like `- { op: add, path: /spec/template/metadata/annotations, value: {...} }`".into(),
                )
            });
    }
    for (index, document) in documents.iter().enumerate() {
        if !document.is_object() {
            return Err((
                format!(
                    "document {} of `{file}` is neither a map nor a list of operations",
                    index + 1
                ),
                "write a strategic merge patch (a map) or JSON 6902 operations (a list)".into(),
            ));
        }
        // Kustomize reads a strategic merge patch as an object, named even where a target
        // selects what it patches.
        let names = |pointer: &str| document.pointer(pointer).and_then(Value::as_str).is_some();
        if !(names("/kind") && names("/metadata/name")) {
            let help = if targeted {
                "write `kind` and `metadata.name` (the target's objects keep their own names)"
            } else {
                "write the kind and name of the object it patches"
            };
            return Err((
                format!(
                    "document {} of `{file}` names no object: a strategic merge patch needs `kind` and `metadata.name`",
                    index + 1
                ),
                help.into(),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::check;

    #[test]
    fn a_json_6902_patch_needs_a_target_and_valid_operations() {
        let ops = json!([{ "op": "add", "path": "/spec/x", "value": 1 }]);
        assert!(check("p.yaml", std::slice::from_ref(&ops), true).is_ok());
        assert!(check("p.yaml", std::slice::from_ref(&ops), false).is_err());
        let bad = json!([{ "op": "frobnicate", "path": "/spec/x" }]);
        assert!(check("p.yaml", &[bad], true).is_err());
    }

    #[test]
    fn a_strategic_merge_patch_names_an_object_even_with_a_target() {
        let named =
            json!({ "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "a" } });
        assert!(check("p.yaml", &[named], false).is_ok());
        let anonymous = json!({ "spec": { "replicas": 2 } });
        assert!(check("p.yaml", std::slice::from_ref(&anonymous), false).is_err());
        assert!(
            check("p.yaml", &[anonymous], true).is_err(),
            "as Kustomize reads it"
        );
        assert!(check("p.yaml", &[], true).is_err());
    }
}
