//! Every table-shaped key of the spec accepts only a table. The keys come from the spec's own
//! JSON Schema, so a table added to the spec later is covered without touching this test.

use fleetc::Source;
use fleetc::parse_spec;
use serde_json::Value as Schema;
use toml_edit::{Array, DocumentMut, Item, Value};

const BASE: &str = "spec/enterprise.toml";

/// One place a table belongs: the key path, and whether the table is an item of an array
/// (`sync_windows = [{ … }]`) rather than the value of the key itself.
#[derive(Debug)]
struct TablePlace {
    path: Vec<String>,
    in_array: bool,
}

fn resolve<'s>(root: &'s Schema, schema: &'s Schema) -> &'s Schema {
    match schema.get("$ref").and_then(Schema::as_str) {
        Some(reference) => resolve(root, root.pointer(&reference[1..]).unwrap()),
        None => schema,
    }
}

fn branches<'s>(root: &'s Schema, schema: &'s Schema) -> Vec<&'s Schema> {
    let schema = resolve(root, schema);
    let nested: Vec<&Schema> = ["anyOf", "oneOf"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Schema::as_array))
        .flatten()
        .collect();
    if nested.is_empty() {
        vec![schema]
    } else {
        nested.into_iter().flat_map(|b| branches(root, b)).collect()
    }
}

/// Walks the schema and records every key whose value is a struct (an object with named
/// properties), and every array whose items are structs.
fn table_places(root: &Schema, schema: &Schema, path: &mut Vec<String>, out: &mut Vec<TablePlace>) {
    for branch in branches(root, schema) {
        if let Some(properties) = branch.get("properties").and_then(Schema::as_object) {
            if !path.is_empty() {
                out.push(TablePlace {
                    path: path.clone(),
                    in_array: false,
                });
            }
            for (key, property) in properties {
                path.push(key.clone());
                table_places(root, property, path, out);
                path.pop();
            }
        } else if let Some(values) = branch.get("additionalProperties").filter(|v| v.is_object()) {
            path.push("prod".to_owned());
            table_places(root, values, path, out);
            path.pop();
        } else if let Some(items) = branch.get("items") {
            let mut inner = Vec::new();
            table_places(root, items, path, &mut inner);
            for place in inner {
                if place.path == *path {
                    out.push(TablePlace {
                        path: place.path,
                        in_array: true,
                    });
                }
            }
        }
    }
}

fn array_of_strings() -> Value {
    let mut array = Array::new();
    array.push("3.8.0");
    array.push("green");
    Value::Array(array)
}

/// The base spec with an array written where the table at `place` belongs.
fn with_array_at(base: &str, place: &TablePlace) -> (String, String) {
    let mut doc: DocumentMut = base.parse().unwrap();
    let mut item: &mut Item = doc.as_item_mut();
    for key in &place.path[..place.path.len() - 1] {
        if item.get(key).is_none_or(Item::is_none) {
            item[key.as_str()] = toml_edit::table();
        }
        item = &mut item[key.as_str()];
    }
    let last = place.path.last().unwrap().as_str();
    let value = if place.in_array {
        let mut outer = Array::new();
        outer.push(array_of_strings());
        Value::Array(outer)
    } else {
        array_of_strings()
    };
    let written = value.to_string().trim().to_owned();
    item[last] = toml_edit::value(value);
    (doc.to_string(), written)
}

#[test]
fn an_array_where_a_table_belongs_is_refused_at_every_table_key() {
    let base = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(BASE))
        .unwrap();
    assert!(
        parse_spec(&Source::new(BASE, base.clone())).is_ok(),
        "the base spec parses"
    );
    let schema = fleetc::spec_schema();
    let mut places = Vec::new();
    table_places(&schema, &schema, &mut Vec::new(), &mut places);
    assert!(places.len() >= 20, "found only {places:?}");
    assert!(places.iter().any(|p| p.in_array), "array items are covered");

    for place in &places {
        let (text, written) = with_array_at(&base, place);
        let problems = parse_spec(&Source::new(BASE, text.clone()))
            .err()
            .unwrap_or_else(|| panic!("{place:?}: an array was accepted"));
        let at_the_array = problems.iter().any(|d| {
            // A key that may also be a scalar names every shape it takes, a table among them.
            d.message.contains(" must be ")
                && d.message.contains("a table, found an array")
                && d.span.as_ref().is_some_and(|span| {
                    let shown = &text[span.clone()];
                    written.contains(shown) || shown == written
                })
        });
        assert!(
            at_the_array,
            "{place:?}: no located `must be a table` error; got {:#?}",
            problems.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
    }
}
