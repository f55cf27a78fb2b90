use serde_json::Value as Schema;

/// Reading the spec's JSON Schema the way the document checks need it: following `$ref`s and
/// finding the branch of an `anyOf`/`oneOf` that describes a table or an array.
#[derive(Clone, Copy)]
pub(crate) struct SchemaWalk<'s> {
    pub root: &'s Schema,
}

impl<'s> SchemaWalk<'s> {
    pub(crate) fn resolve(self, schema: &'s Schema) -> &'s Schema {
        let mut schema = schema;
        while let Some(reference) = schema.get("$ref").and_then(Schema::as_str) {
            let Some(pointer) = reference.strip_prefix('#') else {
                break;
            };
            match self.root.pointer(pointer) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    /// The branches of `anyOf`/`oneOf` (the schema itself when it has none), resolved.
    pub(crate) fn branches(self, schema: &'s Schema) -> Vec<&'s Schema> {
        let schema = self.resolve(schema);
        let nested: Vec<&Schema> = ["anyOf", "oneOf"]
            .iter()
            .filter_map(|k| schema.get(*k).and_then(Schema::as_array))
            .flatten()
            .collect();
        if nested.is_empty() {
            vec![schema]
        } else {
            nested.into_iter().flat_map(|b| self.branches(b)).collect()
        }
    }

    /// The branch of a schema that describes a table.
    pub(crate) fn table_schema(self, schema: &'s Schema) -> Option<&'s Schema> {
        self.branches(schema).into_iter().find(|branch| {
            branch.get("properties").is_some() || branch.get("additionalProperties").is_some()
        })
    }

    /// The schema of the items of the branch that describes an array.
    pub(crate) fn array_items(self, schema: &'s Schema) -> Option<&'s Schema> {
        self.branches(schema)
            .into_iter()
            .find_map(|branch| branch.get("items"))
    }

    /// The schema of the value at `key` of a table described by `table`, if the table has one.
    pub(crate) fn property(self, table: &'s Schema, key: &str) -> Option<&'s Schema> {
        let table = self.resolve(table);
        table
            .get("properties")
            .and_then(|p| p.get(key))
            .or_else(|| table.get("additionalProperties").filter(|a| a.is_object()))
    }
}
