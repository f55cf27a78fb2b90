//! Three-way merge of a spec file by key: a key one side changed and the other did not takes
//! the change; a key both sides changed alike is taken once; a key both changed differently
//! is a conflict. The result is `ours` as written, with `theirs`' changes made in it, so every
//! comment and blank line of ours survives, and what theirs adds comes with its own comments.

use toml_edit::{DocumentMut, Item, Table, Value};

/// The merged text, or the keys both sides changed differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Merged {
    Clean(String),
    Conflict(Vec<String>),
}

/// Merges `ours` and `theirs`, both changed from `base`; `None` when one of them is not TOML.
pub(crate) fn merge(base: &str, ours: &str, theirs: &str) -> Option<Merged> {
    let base: DocumentMut = base.parse().ok()?;
    let mut merged: DocumentMut = ours.parse().ok()?;
    let theirs: DocumentMut = theirs.parse().ok()?;
    let mut conflicts = Vec::new();
    let next = last_position(merged.as_table()) + 1;
    let mut placer = Placer { next };
    merge_table(
        Some(base.as_table()),
        merged.as_table_mut(),
        Some(theirs.as_table()),
        &mut Vec::new(),
        &mut conflicts,
        &mut placer,
    );
    Some(if conflicts.is_empty() {
        Merged::Clean(merged.to_string())
    } else {
        Merged::Conflict(conflicts)
    })
}

/// Positions for the tables theirs adds: after every table of ours, in theirs' order.
struct Placer {
    next: isize,
}

impl Placer {
    fn place(&mut self, item: &mut Item) {
        match item {
            Item::Table(table) => self.place_table(table),
            Item::ArrayOfTables(tables) => {
                for table in tables.iter_mut() {
                    self.place_table(table);
                }
            }
            _ => {}
        }
    }

    fn place_table(&mut self, table: &mut Table) {
        if table.position().is_some() {
            table.set_position(Some(self.next));
            self.next += 1;
        }
        for (_, item) in table.iter_mut() {
            self.place(item);
        }
    }
}

fn merge_table(
    base: Option<&Table>,
    ours: &mut Table,
    theirs: Option<&Table>,
    path: &mut Vec<String>,
    conflicts: &mut Vec<String>,
    placer: &mut Placer,
) {
    let mut keys: Vec<String> = ours.iter().map(|(k, _)| k.to_owned()).collect();
    for table in [base, theirs].into_iter().flatten() {
        for (key, _) in table {
            if !keys.iter().any(|k| k == key) {
                keys.push(key.to_owned());
            }
        }
    }
    for key in keys {
        let b = base.and_then(|t| t.get(&key));
        let o = ours.get(&key);
        let t = theirs.and_then(|t| t.get(&key));
        if same(o, t) || same(b, t) {
            continue;
        }
        path.push(key.clone());
        if same(b, o) {
            match t {
                Some(item) => {
                    let mut item = item.clone();
                    if o.is_none() {
                        placer.place(&mut item);
                    }
                    ours.insert(&key, item);
                }
                None => {
                    ours.remove(&key);
                }
            }
        } else if let (Some(o), Some(t)) = (o.and_then(as_table), t.and_then(as_table)) {
            let b = b.and_then(as_table);
            let mut merged = o.clone();
            merge_table(b.as_ref(), &mut merged, Some(&t), path, conflicts, placer);
            write_back(ours, &key, merged);
        } else {
            conflicts.push(path.join("."));
        }
        path.pop();
    }
}

/// A table, standard or inline, as a standard one to merge into.
fn as_table(item: &Item) -> Option<Table> {
    match item {
        Item::Table(table) => Some(table.clone()),
        Item::Value(Value::InlineTable(inline)) => Some(inline.clone().into_table()),
        _ => None,
    }
}

/// Puts the merged table back in the form ours wrote it in.
fn write_back(ours: &mut Table, key: &str, merged: Table) {
    match ours.get_mut(key) {
        Some(Item::Value(Value::InlineTable(inline))) => {
            let decor = inline.decor().clone();
            let mut written = merged.into_inline_table();
            *written.decor_mut() = decor;
            *inline = written;
        }
        Some(slot) => *slot = Item::Table(merged),
        None => {}
    }
}

/// Whether two items hold the same data, however they are written.
fn same(a: Option<&Item>, b: Option<&Item>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => plain(a) == plain(b),
        _ => false,
    }
}

/// The data of an item, without its formatting.
fn plain(item: &Item) -> serde_json::Value {
    match item {
        Item::None => serde_json::Value::Null,
        Item::Value(value) => plain_value(value),
        Item::Table(table) => serde_json::Value::Object(
            table
                .iter()
                .map(|(k, v)| (k.to_owned(), plain(v)))
                .collect(),
        ),
        Item::ArrayOfTables(tables) => serde_json::Value::Array(
            tables
                .iter()
                .map(|t| plain(&Item::Table(t.clone())))
                .collect(),
        ),
    }
}

fn plain_value(value: &Value) -> serde_json::Value {
    use serde_json::json;
    match value {
        Value::String(s) => json!(s.value()),
        Value::Integer(i) => json!(i.value()),
        Value::Float(f) => json!(f.value().to_string()),
        Value::Boolean(b) => json!(b.value()),
        Value::Datetime(d) => json!(d.value().to_string()),
        Value::Array(array) => serde_json::Value::Array(array.iter().map(plain_value).collect()),
        Value::InlineTable(table) => serde_json::Value::Object(
            table
                .iter()
                .map(|(k, v)| (k.to_owned(), plain_value(v)))
                .collect(),
        ),
    }
}

/// The largest position of a table of the document.
fn last_position(table: &Table) -> isize {
    let mut last = table.position().unwrap_or(0);
    for (_, item) in table {
        match item {
            Item::Table(inner) => last = last.max(last_position(inner)),
            Item::ArrayOfTables(tables) => {
                for inner in tables {
                    last = last.max(last_position(inner));
                }
            }
            _ => {}
        }
    }
    last
}

/// Whether two texts hold the same TOML data.
pub(crate) fn same_data(a: &str, b: &str) -> bool {
    match (a.parse::<DocumentMut>(), b.parse::<DocumentMut>()) {
        (Ok(a), Ok(b)) => plain(a.as_item()) == plain(b.as_item()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "# the estate\n[services.cart]\nteam = \"c\"   # the team\ndeploy.dev = { blue = \"1.0\", live = \"blue\" }\n\n[services.users]\nteam = \"u\"\n";

    fn clean(merged: Option<Merged>) -> String {
        match merged {
            Some(Merged::Clean(text)) => text,
            other => panic!("not clean: {other:?}"),
        }
    }

    #[test]
    fn changes_to_different_keys_of_one_table_both_land_and_comments_stay() {
        let ours = BASE.replace(
            "live = \"blue\" }",
            "live = \"blue\" }\ndeploy.staging = { blue = \"0.9\", live = \"blue\" }",
        );
        let theirs = BASE.replace(
            "{ blue = \"1.0\", live = \"blue\" }",
            "{ blue = \"1.0\", green = \"1.1\", live = \"blue\" }",
        );
        let merged = clean(merge(BASE, &ours, &theirs));
        assert!(merged.contains("# the estate\n"), "{merged}");
        assert!(merged.contains("team = \"c\"   # the team\n"), "{merged}");
        assert!(merged.contains("green = \"1.1\""), "{merged}");
        assert!(
            merged.contains("deploy.staging = { blue = \"0.9\", live = \"blue\" }"),
            "{merged}"
        );
    }

    #[test]
    fn a_key_both_sides_change_differently_is_a_conflict_naming_it() {
        let ours = BASE.replace("blue = \"1.0\"", "blue = \"2.0\"");
        let theirs = BASE.replace("blue = \"1.0\"", "blue = \"3.0\"");
        assert_eq!(
            merge(BASE, &ours, &theirs),
            Some(Merged::Conflict(vec![
                "services.cart.deploy.dev.blue".into()
            ]))
        );
        assert!(
            matches!(merge(BASE, &ours, &ours), Some(Merged::Clean(_))),
            "alike is no conflict"
        );
    }

    #[test]
    fn a_table_theirs_adds_comes_with_its_comments_and_one_theirs_removes_goes() {
        let theirs = format!("{BASE}\n# new\n[services.zoo]\nteam = \"z\"\n")
            .replace("[services.users]\nteam = \"u\"\n", "");
        let ours = BASE.replace("team = \"u\"", "team = \"u2\"");
        assert!(
            matches!(merge(BASE, &ours, &theirs), Some(Merged::Conflict(_))),
            "removed there, changed here"
        );
        let ours = BASE.replace("team = \"c\"", "team = \"c2\"");
        let merged = clean(merge(BASE, &ours, &theirs));
        assert!(
            merged.contains("# new\n[services.zoo]\nteam = \"z\"\n"),
            "{merged}"
        );
        assert!(!merged.contains("[services.users]"), "{merged}");
        assert!(merged.contains("team = \"c2\""), "{merged}");
        assert!(same_data(
            &merged,
            &theirs.replace("team = \"c\"", "team = \"c2\"")
        ));
    }

    #[test]
    fn text_that_is_not_toml_is_left_to_a_merge_of_lines() {
        assert_eq!(merge(BASE, "[broken", BASE), None);
    }
}
