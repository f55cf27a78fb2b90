//! An example of the valid form of a key, built from the schema: the examples it gives, or
//! else a value of each shape it accepts.

use serde_json::Value as Schema;

use super::toml_key::toml_key;
use crate::parse::schema_walk::SchemaWalk;

/// Nesting beyond which an example stops spelling out tables.
const DEEPEST: usize = 3;

/// "for example `prod = { blue = "1.4.2", live = "blue" }`" for the key at `path`.
pub(super) fn help(walk: SchemaWalk<'_>, schema: &Schema, path: &[String]) -> String {
    let (key, in_array) = match path {
        [.., parent, last] if last.starts_with('[') => (parent.as_str(), true),
        [.., last] => (last.as_str(), false),
        [] => ("", false),
    };
    let forms: Vec<String> = alternatives(walk, schema, 0)
        .into_iter()
        .map(|value| {
            let value = if in_array {
                format!("[{value}]")
            } else {
                value
            };
            format!("`{} = {value}`", toml_key(key))
        })
        .collect();
    format!("for example {}", forms.join(" or "))
}

/// One example per branch of the schema that accepts something.
fn alternatives(walk: SchemaWalk<'_>, schema: &Schema, depth: usize) -> Vec<String> {
    if let Some(given) = given(schema) {
        return vec![given];
    }
    let mut found: Vec<String> = Vec::new();
    for branch in walk.branches(schema) {
        if let Some(value) = one(walk, branch, depth)
            && !found.contains(&value)
        {
            found.push(value);
        }
    }
    found
}

fn given(schema: &Schema) -> Option<String> {
    schema
        .get("examples")
        .and_then(Schema::as_array)
        .and_then(|examples| examples.first())
        .map(inline)
}

fn one(walk: SchemaWalk<'_>, branch: &Schema, depth: usize) -> Option<String> {
    if let Some(given) = given(branch) {
        return Some(given);
    }
    if let Some(value) = branch
        .get("enum")
        .and_then(Schema::as_array)
        .and_then(|values| values.first())
        .or_else(|| branch.get("const"))
    {
        return Some(inline(value));
    }
    let first = |schema: &Schema| {
        alternatives(walk, schema, depth + 1)
            .into_iter()
            .next()
            .unwrap_or_else(|| "\"…\"".to_owned())
    };
    if let Some(properties) = branch.get("properties").and_then(Schema::as_object) {
        if depth >= DEEPEST {
            return Some("{ … }".to_owned());
        }
        let required: Vec<&str> = branch
            .get("required")
            .and_then(Schema::as_array)
            .map(|r| r.iter().filter_map(Schema::as_str).collect())
            .unwrap_or_default();
        let keys: Vec<&String> = properties
            .keys()
            .filter(|k| required.contains(&k.as_str()))
            .collect();
        let keys = if keys.is_empty() {
            properties.keys().take(1).collect()
        } else {
            keys
        };
        let fields: Vec<String> = keys
            .into_iter()
            .map(|k| format!("{} = {}", toml_key(k), first(&properties[k])))
            .collect();
        return Some(format!("{{ {} }}", fields.join(", ")));
    }
    if let Some(values) = branch.get("additionalProperties").filter(|v| v.is_object()) {
        let key = branch
            .pointer("/propertyNames/examples/0")
            .and_then(Schema::as_str)
            .unwrap_or("name");
        return Some(format!("{{ {} = {} }}", toml_key(key), first(values)));
    }
    if let Some(items) = branch.get("items") {
        return Some(format!("[{}]", first(items)));
    }
    let is_date = branch
        .get("format")
        .and_then(Schema::as_str)
        .is_some_and(|f| f.starts_with("date"));
    let types: Vec<&str> = match branch.get("type") {
        Some(Schema::String(name)) => vec![name.as_str()],
        Some(Schema::Array(names)) => names.iter().filter_map(Schema::as_str).collect(),
        _ => Vec::new(),
    };
    types.into_iter().find_map(|name| match name {
        "string" if is_date => Some("2027-01-31".to_owned()),
        "string" => Some("\"…\"".to_owned()),
        "integer" => Some("1".to_owned()),
        "number" => Some("0.5".to_owned()),
        "boolean" => Some("true".to_owned()),
        _ => None,
    })
}

/// A JSON value written as a TOML inline value.
fn inline(value: &Schema) -> String {
    match value {
        Schema::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{} = {}", toml_key(k), inline(v)))
                .collect();
            format!("{{ {} }}", fields.join(", "))
        }
        Schema::Array(items) => {
            let items: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", items.join(", "))
        }
        // A JSON string, number or boolean is written the same way in TOML.
        other => other.to_string(),
    }
}
