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
