//! Every value of the document has the shape the schema gives its key: a table where a table
//! belongs, a string where a string belongs, one of the choices where there are choices, and
//! every required key is there. serde's derived structs read an array where a table belongs by
//! position, and its errors name Rust types; this check runs first, on every key, and says
//! what is wrong in the spec's words with an example of the valid form.

use std::ops::Range;

use serde_json::Value as Schema;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::parse::schema_walk::SchemaWalk;
use crate::source::diagnostic::{Diagnostic, did_you_mean};

mod date;
mod example;
mod kind;
mod toml_key;

use kind::Kind;
use toml_key::toml_key;

/// A value of the wrong shape, with the key path it was found at.
pub(crate) struct ShapeProblem {
    pub path: Vec<String>,
    pub diagnostic: Diagnostic,
}

pub(crate) fn shape_problems(root: &DeTable<'_>, schema: &Schema) -> Vec<ShapeProblem> {
    let mut walker = Walker {
        walk: SchemaWalk { root: schema },
        found: Vec::new(),
    };
    walker.table(root, 0..0, schema, &mut Vec::new());
    walker.found
}

struct Walker<'s> {
    walk: SchemaWalk<'s>,
    found: Vec<ShapeProblem>,
}

impl<'s> Walker<'s> {
    fn report(&mut self, path: &[String], diagnostic: Diagnostic) {
        self.found.push(ShapeProblem {
            path: path.to_vec(),
            diagnostic,
        });
    }

    fn value(&mut self, value: &Spanned<DeValue<'_>>, schema: &'s Schema, path: &mut Vec<String>) {
        let found = Kind::of(value.get_ref());
        if let Some(expected) = kind::allowed(self.walk, schema)
            && !expected.contains(&found)
        {
            let diagnostic = Diagnostic::error(format!(
                "`{}` must be {}, found {}",
                display_path(path),
                kind::describe(&expected),
                found.with_article()
            ))
            .at(Some(value.span()))
            .label(format!("expected {}", kind::describe(&expected)))
            .help(example::help(self.walk, schema, path));
            self.report(path, diagnostic);
            return;
        }
        if kind::is_date(self.walk, schema)
            && let Some(found) = date::not_a_day(value.get_ref())
        {
            let key = path.last().map_or("date", String::as_str);
            let diagnostic = Diagnostic::error(format!(
                "`{}` must be a day, `2026-12-15` or `\"2026-12-15\"`, found {found}",
                display_path(path)
            ))
            .at(Some(value.span()))
            .label("not a day")
            .help(format!(
                "write the day alone, as a TOML date or a string: `{key} = 2026-12-15` or `{key} = \"2026-12-15\"`"
            ));
            self.report(path, diagnostic);
            return;
        }
        match value.get_ref() {
            DeValue::Table(table) => {
                if let Some(table_schema) = self.walk.table_schema(schema) {
                    let header = value.span();
                    self.table(table, header, table_schema, path);
                }
            }
            DeValue::Array(items) => {
                if let Some(item_schema) = self.walk.array_items(schema) {
                    for (i, item) in items.iter().enumerate() {
                        path.push(format!("[{i}]"));
                        self.value(item, item_schema, path);
                        path.pop();
                    }
                }
            }
            DeValue::String(text) => self.choice(text, value.span(), schema, path),
            DeValue::Integer(integer) => {
                let digits = integer.as_str().replace('_', "");
                if i64::from_str_radix(&digits, integer.radix()).is_err() {
                    let diagnostic = Diagnostic::error(format!(
                        "`{}` is too large a number",
                        display_path(path)
                    ))
                    .at(Some(value.span()))
                    .label("out of range")
                    .help(format!(
                        "integers go from {} to {}",
                        i64::MIN,
                        i64::MAX
                    ));
                    self.report(path, diagnostic);
                }
            }
            _ => {}
        }
    }

    fn choice(&mut self, text: &str, span: Range<usize>, schema: &'s Schema, path: &[String]) {
        let Some(choices) = kind::choices(self.walk, schema) else {
            return;
        };
        if choices.iter().any(|c| c == text) {
            return;
        }
        let listed: Vec<String> = choices.iter().map(|c| format!("`{c}`")).collect();
        let mut diagnostic = Diagnostic::error(format!(
            "`{}` must be one of {}, found `{}`",
            display_path(path),
            listed.join(", "),
            text.escape_debug()
        ))
        .at(Some(span))
        .label("not a valid choice");
        if let Some(suggestion) = did_you_mean(text, choices.iter().map(String::as_str)) {
            diagnostic = diagnostic.help(format!("did you mean `{suggestion}`?"));
        }
        self.report(path, diagnostic);
    }

    fn table(
        &mut self,
        table: &DeTable<'_>,
        header: Range<usize>,
        schema: &'s Schema,
        path: &mut Vec<String>,
    ) {
        let schema = self.walk.resolve(schema);
        let required = schema
            .get("required")
            .and_then(Schema::as_array)
            .into_iter()
            .flatten()
            .filter_map(Schema::as_str);
        for key in required {
            if !table.contains_key(key) {
                let diagnostic = missing(self.walk, schema, key, header.clone(), path);
                self.report(path, diagnostic);
            }
        }
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            if let Some(property) = self.walk.property(schema, name) {
                path.push(name.to_owned());
                self.value(value, property, path);
                path.pop();
            }
        }
    }
}

fn missing(
    walk: SchemaWalk<'_>,
    schema: &Schema,
    key: &str,
    header: Range<usize>,
    path: &[String],
) -> Diagnostic {
    if path.is_empty() {
        return Diagnostic::error(format!("missing table `[{key}]`"))
            .at(Some(header))
            .help(format!("every spec declares `[{key}]`"));
    }
    let mut at = path.to_vec();
    at.push(key.to_owned());
    let help = schema
        .get("properties")
        .and_then(|p| p.get(key))
        .map_or_else(String::new, |property| example::help(walk, property, &at));
    Diagnostic::error(format!(
        "missing required key `{key}` in `{}`",
        display_path(path)
    ))
    .at(Some(header))
    .label("required key missing in this table")
    .help(help)
}

/// `services.users.deploy.prod`, `environments.prod.sync_windows[0]`,
/// `base_images.python.versions."3.12"`: a key path as it would be written in TOML.
pub(crate) fn display_path(path: &[String]) -> String {
    let mut out = String::new();
    for part in path {
        if part.starts_with('[') {
            out.push_str(part);
            continue;
        }
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(&toml_key(part));
    }
    out
}
