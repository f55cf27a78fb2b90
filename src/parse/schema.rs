use crate::spec::Spec;

/// The JSON Schema of `enterprise.toml`, as editors read it through `#:schema`.
pub fn spec_schema() -> serde_json::Value {
    schemars::schema_for!(Spec).to_value()
}

/// The schema as committed in `schemas/enterprise.schema.json`.
pub(crate) fn spec_schema_text() -> String {
    let mut text =
        serde_json::to_string_pretty(&spec_schema()).expect("a JSON value always serializes");
    text.push('\n');
    text
}

/// The JSON Schema of a file the spec includes: the spec's tables, none required, and no
/// `include` of its own.
pub(crate) fn included_schema() -> serde_json::Value {
    let mut schema = spec_schema();
    schema["title"] = serde_json::json!("fleetc enterprise spec: a file the root spec includes");
    if let Some(object) = schema.as_object_mut() {
        object.remove("required");
    }
    if let Some(properties) = schema["properties"].as_object_mut() {
        properties.remove(crate::source::includes::INCLUDE);
    }
    schema
}

/// The schema of included files as committed in `schemas/enterprise-part.schema.json`.
pub(crate) fn included_schema_text() -> String {
    let mut text =
        serde_json::to_string_pretty(&included_schema()).expect("a JSON value always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_included_file_has_the_specs_tables_none_required_and_no_include() {
        let spec = spec_schema();
        let part = included_schema();
        assert!(spec["required"].is_array());
        assert!(part.get("required").is_none());
        assert!(spec["properties"].get("include").is_some());
        assert!(part["properties"].get("include").is_none());
        assert_eq!(
            part["properties"]["services"],
            spec["properties"]["services"]
        );
        assert_eq!(part["additionalProperties"], serde_json::json!(false));
    }
}
