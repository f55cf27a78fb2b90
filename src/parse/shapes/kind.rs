use serde_json::Value as Schema;
use toml::de::DeValue;

use crate::parse::schema_walk::SchemaWalk;

/// The shapes a TOML value comes in, as the spec's messages name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Table,
    Array,
    String,
    Integer,
    Float,
    Boolean,
    Date,
}

impl Kind {
    pub(super) fn of(value: &DeValue<'_>) -> Self {
        match value {
            DeValue::Table(_) => Self::Table,
            DeValue::Array(_) => Self::Array,
            DeValue::String(_) => Self::String,
            DeValue::Integer(_) => Self::Integer,
            DeValue::Float(_) => Self::Float,
            DeValue::Boolean(_) => Self::Boolean,
            DeValue::Datetime(_) => Self::Date,
        }
    }

    pub(super) fn with_article(self) -> &'static str {
        match self {
            Self::Table => "a table",
            Self::Array => "an array",
            Self::String => "a string",
            Self::Integer => "an integer",
            Self::Float => "a number",
            Self::Boolean => "`true` or `false`",
            Self::Date => "a date",
        }
    }
}

/// "a table", "a string or a table": the kinds, with an integer folded into a number.
pub(super) fn describe(kinds: &[Kind]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for kind in kinds {
        if *kind == Kind::Integer && kinds.contains(&Kind::Float) {
            continue;
        }
        // A date is accepted where a date string is, and named once.
        if *kind == Kind::Date && kinds.contains(&Kind::String) {
            continue;
        }
        let name = kind.with_article();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(" or ")
}

/// The kinds the schema accepts, or `None` when it accepts anything.
pub(super) fn allowed(walk: SchemaWalk<'_>, schema: &Schema) -> Option<Vec<Kind>> {
    let mut kinds = Vec::new();
    for branch in walk.branches(schema) {
        kinds.extend(branch_kinds(branch)?);
    }
    Some(kinds)
}

fn branch_kinds(branch: &Schema) -> Option<Vec<Kind>> {
    let types: Vec<&str> = match branch.get("type") {
        Some(Schema::String(name)) => vec![name.as_str()],
        Some(Schema::Array(names)) => names.iter().filter_map(Schema::as_str).collect(),
        _ if branch.get("properties").is_some() || branch.get("additionalProperties").is_some() => {
            vec!["object"]
        }
        _ if branch.get("items").is_some() => vec!["array"],
        _ if branch.get("enum").is_some() || branch.get("const").is_some() => vec!["string"],
        _ => return None,
    };
    let is_date = branch
        .get("format")
        .and_then(Schema::as_str)
        .is_some_and(|f| f.starts_with("date"));
    let mut kinds = Vec::new();
    for name in types {
        match name {
            "object" => kinds.push(Kind::Table),
            "array" => kinds.push(Kind::Array),
            "string" if is_date => kinds.extend([Kind::String, Kind::Date]),
            "string" => kinds.push(Kind::String),
            "integer" => kinds.push(Kind::Integer),
            "number" => kinds.extend([Kind::Integer, Kind::Float]),
            "boolean" => kinds.push(Kind::Boolean),
            _ => {}
        }
    }
    Some(kinds)
}

/// Whether the schema describes a day (`format: date`).
pub(super) fn is_date(walk: SchemaWalk<'_>, schema: &Schema) -> bool {
    walk.branches(schema)
        .iter()
        .any(|branch| branch.get("format").and_then(Schema::as_str) == Some("date"))
}

/// The values a string must be one of, when the schema lists them (beside values of other
/// types it may take instead).
pub(super) fn choices(walk: SchemaWalk<'_>, schema: &Schema) -> Option<Vec<String>> {
    let mut found = Vec::new();
    for branch in walk.branches(schema) {
        // A branch of another type takes no string: `spread` is a choice or `false`.
        if branch
            .get("type")
            .and_then(Schema::as_str)
            .is_some_and(|kind| kind != "string")
        {
            continue;
        }
        if let Some(values) = branch.get("enum").and_then(Schema::as_array) {
            found.extend(values.iter().filter_map(Schema::as_str).map(str::to_owned));
        } else if let Some(value) = branch.get("const").and_then(Schema::as_str) {
            found.push(value.to_owned());
        } else {
            return None;
        }
    }
    (!found.is_empty()).then_some(found)
}
