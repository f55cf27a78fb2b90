//! The spec reference, rendered from the JSON Schema the spec types' doc comments give
//! (`schemas/enterprise.schema.json`): one section per table of the spec, in the order the
//! schema declares them, each key with its type, whether it is required, its default, an
//! example and its description.

use serde_json::{Map, Value};

const WIDTH: usize = 100;

const HEADER: &str = "\
# Spec reference

<!-- Rendered from schemas/enterprise.schema.json by tests/suite/docs.rs; do not edit by hand:
     `FLEETC_BLESS=1 cargo test --test suite docs` rewrites it. -->

Every key of `enterprise.toml`, table by table. The descriptions are the doc comments of the
spec's types, the text editors show through the schema (`fleetc schema`, committed as
`schemas/enterprise.schema.json`); this page is rendered from that schema, and a test fails
while the two differ (`the_spec_reference_is_rendered_from_the_schema`), so they cannot drift.
How the tables fit together, and how a service inherits its settings, is told in
[The spec](../spec.md).

In key paths, `<env>` is an environment's name, `<cluster>` a cluster's, `<team>` a team's,
`<image>` a base image's, `<version>` a version's and `<name>` any other name (a service's,
say); `[]` is an array of tables (`[[exceptions]]`). A *table of strings* (of integers, of
tables) maps names of your choosing to values of that kind.
";

/// A table of the spec: where it is (`services.<name>.deploy.<env>`; empty at the top level)
/// and its schema.
pub(super) struct Table<'a> {
    pub path: String,
    pub schema: &'a Value,
}

pub(super) struct Schema<'a> {
    root: &'a Value,
    defs: &'a Map<String, Value>,
}

impl<'a> Schema<'a> {
    pub(super) fn new(root: &'a Value) -> Self {
        let defs = root["$defs"].as_object().expect("the schema has $defs");
        Self { root, defs }
    }

    /// `p` with its `$ref`s followed.
    fn deref(&self, mut p: &'a Value) -> &'a Value {
        while let Some(reference) = p.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/$defs/");
            p = &self.defs[name];
        }
        p
    }

    /// Every table of the spec, depth first from the top level.
    pub(super) fn tables(&self) -> Vec<Table<'a>> {
        let mut found = Vec::new();
        self.collect("", self.root, &mut found);
        found
    }

    fn collect(&self, path: &str, table: &'a Value, found: &mut Vec<Table<'a>>) {
        found.push(Table {
            path: path.to_owned(),
            schema: table,
        });
        for (key, p) in properties(table) {
            if let Some((suffix, below)) = self.table_below(p, key) {
                self.collect(&format!("{}{suffix}", join(path, key)), below, found);
            }
        }
    }

    /// The table a key's value is or holds, and the path from the key to it: `""` for a
    /// table, `.<env>` for a table of tables, `[]` for an array of tables.
    fn table_below(&self, p: &'a Value, key: &str) -> Option<(String, &'a Value)> {
        let p = self.deref(p);
        for choice in alternatives(p) {
            if let Some(found) = self.table_below(choice, key) {
                return Some(found);
            }
        }
        if !properties(p).is_empty() {
            return Some((String::new(), p));
        }
        if has_type(p, "object")
            && let Some(values) = p.get("additionalProperties").filter(|v| v.is_object())
        {
            let (suffix, below) = self.table_below(values, key)?;
            return Some((format!(".{}{suffix}", placeholder(key)), below));
        }
        if has_type(p, "array") {
            let (suffix, below) = self.table_below(&p["items"], key)?;
            return Some((format!("[]{suffix}"), below));
        }
        None
    }

    /// What a value of `p` is, in words: `string`, `` `auto` or `manual` ``, `integer, or table
    /// of integers`, ….
    fn kind(&self, p: &Value) -> String {
        let p = self.deref(p);
        if let Some(values) = values(p) {
            return or_list(&values);
        }
        let choices = alternatives(p);
        if !choices.is_empty() {
            let kinds: Vec<String> = choices
                .into_iter()
                .filter(|choice| choice.get("type").and_then(Value::as_str) != Some("null"))
                .map(|choice| self.kind(choice))
                .collect();
            return kinds.join(", or ");
        }
        if has_type(p, "object") {
            return match p.get("additionalProperties").filter(|v| v.is_object()) {
                Some(values) if properties(p).is_empty() => {
                    format!("table of {}", plural(&self.kind(values)))
                }
                _ => "table".to_owned(),
            };
        }
        if has_type(p, "array") {
            return format!("array of {}", plural(&self.kind(&p["items"])));
        }
        let scalar = ["string", "integer", "number", "boolean"]
            .into_iter()
            .find(|t| has_type(p, t))
            .unwrap_or("value");
        if scalar == "string" && p.get("format").and_then(Value::as_str) == Some("date") {
            return "date `YYYY-MM-DD`".to_owned();
        }
        scalar.to_owned()
    }

    /// What a key says about itself, or else what its type says.
    fn description(&self, p: &Value) -> Option<String> {
        let own = p.get("description").and_then(Value::as_str);
        let from_type = || {
            std::iter::once(p)
                .chain(alternatives(p))
                .map(|choice| self.deref(choice))
                .find_map(|t| t.get("description").and_then(Value::as_str))
        };
        own.or_else(from_type).map(one_line)
    }

    /// The allowed values of `p` that say what they mean, with what they mean.
    fn value_docs(&self, p: &Value) -> Vec<(String, String)> {
        let p = self.deref(p);
        let mut docs = Vec::new();
        if let (Some(value), Some(doc)) = (p.get("const"), p.get("description")) {
            docs.push((bare(value), one_line(doc.as_str().unwrap_or_default())));
        }
        for choice in alternatives(p) {
            docs.extend(self.value_docs(choice));
        }
        docs
    }

    pub(super) fn render(&self) -> String {
        let mut out = String::from(HEADER);
        for table in self.tables() {
            out.push('\n');
            self.render_table(&table, &mut out);
        }
        out
    }

    fn render_table(&self, table: &Table<'_>, out: &mut String) {
        if table.path.is_empty() {
            out.push_str("## Top level\n\n");
        } else {
            out.push_str(&format!("## `{}`\n\n", table.path));
        }
        if let Some(description) = table.schema.get("description").and_then(Value::as_str) {
            for paragraph in description.split("\n\n") {
                out.push_str(&wrap(&one_line(paragraph), ""));
                out.push('\n');
            }
        }
        if let Some(example) = first_example(table.schema) {
            out.push('\n');
            out.push_str(&wrap(&format!("Example: `{example}`."), ""));
            out.push('\n');
        }
        out.push('\n');
        let required = required(table.schema);
        for (key, p) in properties(table.schema) {
            self.render_key(&table.path, key, p, required.contains(&key.as_str()), out);
        }
    }

    fn render_key(&self, path: &str, key: &str, p: &Value, required: bool, out: &mut String) {
        let mut about = vec![self.kind(p)];
        if required {
            about.push("required".to_owned());
        }
        if let Some(default) = p.get("default").filter(|d| shown(d)) {
            about.push(format!("default `{}`", toml(default)));
        }
        let mut item = format!("- **`{key}`** ({}):", about.join(", "));
        if let Some(description) = self.description(p) {
            item.push(' ');
            item.push_str(&description);
        }
        if let Some(example) = first_example(p) {
            item.push_str(&format!(" Example: `{example}`."));
        }
        if let Some((suffix, _)) = self.table_below(p, key) {
            let below = format!("{}{suffix}", join(path, key));
            let anchor = super::markdown::slug(&below);
            item.push_str(&format!(" See [`{below}`](#{anchor})."));
        }
        out.push_str(&wrap(&item, "  "));
        out.push('\n');
        for (value, doc) in self.value_docs(p) {
            out.push_str(&wrap(&format!("  - `{value}`: {doc}"), "    "));
            out.push('\n');
        }
    }
}

/// The keys of a table, in the schema's order.
pub(super) fn properties(p: &Value) -> Vec<(&String, &Value)> {
    p.get("properties")
        .and_then(Value::as_object)
        .map(|keys| keys.iter().collect())
        .unwrap_or_default()
}

fn required(p: &Value) -> Vec<&str> {
    p.get("required")
        .and_then(Value::as_array)
        .map(|keys| keys.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn alternatives(p: &Value) -> Vec<&Value> {
    ["anyOf", "oneOf"]
        .into_iter()
        .filter_map(|k| p.get(k).and_then(Value::as_array))
        .flatten()
        .collect()
}

fn has_type(p: &Value, wanted: &str) -> bool {
    match p.get("type") {
        Some(Value::String(t)) => t == wanted,
        Some(Value::Array(types)) => types.iter().any(|t| t == wanted),
        _ => false,
    }
}

/// The values `p` allows, where it allows a fixed few (`enum`, or choices of `const`).
fn values(p: &Value) -> Option<Vec<String>> {
    if let Some(values) = p.get("enum").and_then(Value::as_array) {
        return Some(values.iter().map(bare).collect());
    }
    if let Some(value) = p.get("const") {
        return Some(vec![bare(value)]);
    }
    let choices = alternatives(p);
    if choices.is_empty() {
        return None;
    }
    let mut all = Vec::new();
    for choice in choices {
        all.extend(values(choice)?);
    }
    Some(all)
}

fn or_list(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

fn plural(kind: &str) -> String {
    if kind.contains(' ') {
        format!("({kind})")
    } else {
        format!("{kind}s")
    }
}

/// The name a key path gives the keys of a table of tables.
fn placeholder(key: &str) -> &'static str {
    match key {
        "environments" | "overrides" | "deploy" => "<env>",
        "clusters" => "<cluster>",
        "teams" => "<team>",
        "base_images" => "<image>",
        "versions" => "<version>",
        _ => "<name>",
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Whether a default says anything: `null`, `{}` and `[]` are what leaving the key out means.
fn shown(default: &Value) -> bool {
    match default {
        Value::Null => false,
        Value::Object(map) => !map.is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => true,
    }
}

fn first_example(p: &Value) -> Option<String> {
    p.get("examples")
        .and_then(Value::as_array)
        .and_then(|examples| examples.first())
        .map(toml)
}

/// A value as prose quotes it: a string without its quotes.
fn bare(value: &Value) -> String {
    value.as_str().map_or_else(|| toml(value), str::to_owned)
}

/// A JSON value as TOML writes it inline.
pub(super) fn toml(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(_) | Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(toml).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        Value::Object(map) => {
            let pairs: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    let bare = k
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                    let key = if bare {
                        k.clone()
                    } else {
                        Value::from(k.as_str()).to_string()
                    };
                    format!("{key} = {}", toml(v))
                })
                .collect();
            format!("{{ {} }}", pairs.join(", "))
        }
    }
}

/// A doc comment's lines as one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` wrapped at [`WIDTH`] columns, its own leading spaces kept and continuation lines
/// indented by `indent`. A word longer than the line stays whole.
fn wrap(text: &str, indent: &str) -> String {
    let body = text.trim_start();
    let mut line = text[..text.len() - body.len()].to_owned();
    let mut fresh = true;
    let mut out = String::new();
    for word in body.split(' ').filter(|w| !w.is_empty()) {
        if !fresh && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            indent.clone_into(&mut line);
            fresh = true;
        }
        if !fresh {
            line.push(' ');
        }
        line.push_str(word);
        fresh = false;
    }
    out.push_str(&line);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_as_toml_writes_them_inline() {
        let value = serde_json::json!({"blue": "1.4.2", "steps": [{"weight": 20}], "a.b": true});
        assert_eq!(
            toml(&value),
            r#"{ blue = "1.4.2", steps = [{ weight = 20 }], "a.b" = true }"#
        );
    }

    #[test]
    fn long_items_wrap_with_their_indent() {
        let words = "word ".repeat(40);
        let wrapped = wrap(words.trim_end(), "  ");
        assert!(
            wrapped.lines().all(|l| l.chars().count() <= WIDTH),
            "{wrapped}"
        );
        assert!(wrapped.lines().skip(1).all(|l| l.starts_with("  word")));
    }
}
