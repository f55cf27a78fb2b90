use std::collections::HashMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// Where each key and value of the spec sits in its file, keyed by key path
/// (`["services", "users", "team"]`; array elements by index), so later stages can point at
/// the exact place a semantic problem comes from.
#[derive(Debug, Default, Clone)]
pub struct SpanIndex {
    entries: HashMap<Vec<String>, Spans>,
}

#[derive(Debug, Clone)]
struct Spans {
    key: Range<usize>,
    value: Range<usize>,
}

impl SpanIndex {
    pub fn build(root: &DeTable<'_>) -> Self {
        let mut index = Self::default();
        let mut path = Vec::new();
        index.walk_table(root, &mut path);
        index
    }

    fn walk_table(&mut self, table: &DeTable<'_>, path: &mut Vec<String>) {
        for (key, value) in table {
            path.push(key.get_ref().to_string());
            self.entries.insert(
                path.clone(),
                Spans {
                    key: key.span(),
                    value: value.span(),
                },
            );
            self.walk_value(value.get_ref(), path);
            path.pop();
        }
    }

    fn walk_value(&mut self, value: &DeValue<'_>, path: &mut Vec<String>) {
        match value {
            DeValue::Table(table) => self.walk_table(table, path),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(i.to_string());
                    self.entries.insert(
                        path.clone(),
                        Spans {
                            key: item.span(),
                            value: item.span(),
                        },
                    );
                    self.walk_value(item.get_ref(), path);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// Span of the value at `path`, or of the nearest enclosing key that is present
    /// (a missing key is reported where it should have been written).
    pub fn value(&self, path: &[&str]) -> Option<Range<usize>> {
        self.find(path, |spans| spans.value.clone())
    }

    /// Whether the spec writes the key at `path` itself.
    pub fn contains(&self, path: &[&str]) -> bool {
        let key: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
        self.entries.contains_key(&key)
    }

    /// Span of the key at `path` (or of the nearest enclosing key that is present).
    pub fn key(&self, path: &[&str]) -> Option<Range<usize>> {
        self.find(path, |spans| spans.key.clone())
    }

    fn find(&self, path: &[&str], pick: impl Fn(&Spans) -> Range<usize>) -> Option<Range<usize>> {
        (1..=path.len()).rev().find_map(|len| {
            let key: Vec<String> = path[..len].iter().map(|s| (*s).to_owned()).collect();
            self.entries.get(&key).map(|spans| {
                if len == path.len() {
                    pick(spans)
                } else {
                    spans.key.clone()
                }
            })
        })
    }
}
