use serde_json::Value as Schema;
use toml::de::{DeTable, DeValue};

use super::capabilities::{Capability, capability};
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
    let valid = format!("valid keys here: {}", allowed.join(", "));
    let (message, help) = match capability(name).filter(|_| describes_a_workload(parent)) {
        Some(Capability::Elsewhere { fact, keys }) => (
            format!("unknown key `{name}` {place}: {fact}"),
            keys.to_owned(),
        ),
        Some(Capability::Missing { fact }) => {
            (format!("unknown key `{name}` {place}: {fact}"), valid)
        }
        None => {
            let mut message = format!("unknown key `{name}` {place}");
            if let Some(suggestion) = did_you_mean(name, allowed.iter().copied()) {
                message.push_str(&format!(", did you mean `{suggestion}`?"));
            }
            (message, valid)
        }
    };
    Diagnostic::error(message)
        .at(Some(span))
        .label("unknown key")
        .help(help)
}

/// Whether the table at `path` describes how a service runs: a service, `[defaults]`, or an
/// override of either. Elsewhere a workload's key is just unknown.
fn describes_a_workload(path: &[String]) -> bool {
    match path {
        [defaults] => defaults == "defaults",
        [services, _, rest @ ..] if services == "services" => match rest {
            [] => true,
            // A service's pod settings: `privileged` there is a capability to point at.
            [security] => security == "security",
            [overrides, _] => overrides == "overrides",
            [overrides, _, clusters, _] => overrides == "overrides" && clusters == "clusters",
            _ => false,
        },
        [environments, _, clusters, _, overrides] => {
            environments == "environments" && clusters == "clusters" && overrides == "overrides"
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{describes_a_workload, unknown_key};

    fn path(text: &str) -> Vec<String> {
        text.split('.').map(str::to_owned).collect()
    }

    #[test]
    fn a_capability_is_named_where_a_workload_is_described() {
        for table in [
            "defaults",
            "services.cart",
            "services.cart.overrides.prod",
            "services.cart.overrides.prod.clusters.eu",
            "environments.prod.clusters.eu.overrides",
        ] {
            assert!(describes_a_workload(&path(table)), "{table}");
        }
        for table in ["enterprise", "services.cart.metrics", "environments.prod"] {
            assert!(!describes_a_workload(&path(table)), "{table}");
        }
    }

    #[test]
    fn a_missing_capability_suggests_no_near_miss() {
        let allowed = ["team", "secrets", "env"];
        let found = unknown_key(
            "privileged",
            &path("services.cart.privileged"),
            &allowed,
            0..8,
        );
        assert!(!found.message.contains("did you mean"), "{}", found.message);
        assert!(
            found
                .message
                .contains("never writes a privileged container"),
            "{}",
            found.message
        );
        let found = unknown_key(
            "nodeSelector",
            &path("enterprise.nodeSelector"),
            &allowed,
            0..8,
        );
        assert!(!found.message.contains("scheduled"), "{}", found.message);
    }
}
