use serde_json::Value as Schema;
use toml::de::{DeTable, DeValue};

use crate::parse::schema_walk::SchemaWalk;
use crate::source::diagnostic::{Diagnostic, did_you_mean};

/// Finds every key the JSON Schema of the spec does not allow, walking the parsed document
/// alongside the schema, so all of them are reported at once (serde stops at the first).
pub(crate) fn unknown_keys(root: &DeTable<'_>, schema: &Schema) -> Vec<Diagnostic> {
    let mut walker = Walker {
        schema: SchemaWalk { root: schema },
        found: Vec::new(),
    };
    walker.table(root, schema, &mut Vec::new());
    walker.found
}

struct Walker<'s> {
    schema: SchemaWalk<'s>,
    found: Vec<Diagnostic>,
}

impl<'s> Walker<'s> {
    fn value(&mut self, value: &DeValue<'_>, schema: &'s Schema, path: &mut Vec<String>) {
        match value {
            DeValue::Table(table) => {
                if let Some(schema) = self.schema.table_schema(schema) {
                    self.table(table, schema, path);
                }
            }
            DeValue::Array(items) => {
                if let Some(item_schema) = self.schema.array_items(schema) {
                    for item in items {
                        self.value(item.get_ref(), item_schema, path);
                    }
                }
            }
            _ => {}
        }
    }

    fn table(&mut self, table: &DeTable<'_>, schema: &'s Schema, path: &mut Vec<String>) {
        let schema = self.schema.resolve(schema);
        let properties = schema.get("properties").and_then(Schema::as_object);
        let additional = schema.get("additionalProperties");
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            path.push(name.to_owned());
            if let Some(property) = properties.and_then(|p| p.get(name)) {
                self.value(value.get_ref(), property, path);
            } else {
                match additional {
                    Some(Schema::Bool(false)) => {
                        let allowed: Vec<&str> = properties
                            .map(|p| p.keys().map(String::as_str).collect())
                            .unwrap_or_default();
                        self.found
                            .push(unknown_key(name, path, &allowed, key.span()));
                    }
                    Some(nested @ Schema::Object(_)) => self.value(value.get_ref(), nested, path),
                    _ => {}
                }
            }
            path.pop();
        }
    }
}

fn unknown_key(
    name: &str,
    path: &[String],
    allowed: &[&str],
    span: std::ops::Range<usize>,
) -> Diagnostic {
    let parent = &path[..path.len() - 1];
    let place = if parent.is_empty() {
        "at the top level".to_owned()
    } else {
        format!("in `{}`", parent.join("."))
    };
    let mut message = format!("unknown key `{name}` {place}");
    if let Some(suggestion) = did_you_mean(name, allowed.iter().copied()) {
        message.push_str(&format!(", did you mean `{suggestion}`?"));
    }
    Diagnostic::error(message)
        .at(Some(span))
        .label("unknown key")
        .help(format!("valid keys here: {}", allowed.join(", ")))
}
