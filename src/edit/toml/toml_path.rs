use toml_edit::{Decor, DocumentMut, InlineTable, Item, Key, Table, TableLike, Value};

/// The table at a key path from the root (`["base_images", "python", "versions"]`), however
/// the file writes each level: a `[header]`, dotted keys or an inline table.
pub(crate) fn table_at<'a>(
    doc: &'a mut DocumentMut,
    path: &[&str],
) -> Option<&'a mut dyn TableLike> {
    let mut table: &mut dyn TableLike = doc.as_table_mut();
    for key in path {
        table = table.get_mut(key)?.as_table_like_mut()?;
    }
    Some(table)
}

/// The table of a service, however the file writes it.
pub(crate) fn service_table<'a>(
    doc: &'a mut DocumentMut,
    service: &str,
) -> Option<&'a mut dyn TableLike> {
    doc.get_mut("services")?
        .as_table_like_mut()?
        .get_mut(service)?
        .as_table_like_mut()
}

/// `services.<svc>.deploy.<env>`, created when absent in the style of the file: as a
/// `[services.<svc>.deploy.<env>]` table right after its siblings when they are written that
/// way, otherwise as `deploy.<env> = { … }` beside the service's other keys.
pub(crate) fn deploy_entry<'a>(service: &'a mut dyn TableLike, env: &str) -> &'a mut dyn TableLike {
    if service.get("deploy").is_none() {
        let mut deploy = Table::new();
        deploy.set_dotted(true);
        service.insert("deploy", Item::Table(deploy));
    }
    let deploy = service
        .get_mut("deploy")
        .and_then(Item::as_table_like_mut)
        .expect("deploy is a table");
    if deploy.get(env).is_none() {
        let last_table = deploy
            .iter()
            .filter_map(|(_, item)| item.as_table()?.position())
            .max();
        let entry = match last_table {
            Some(position) => {
                let mut table = Table::new();
                // Tables print in position order; an equal position puts this one right
                // after its sibling, since it was inserted after it.
                table.set_position(Some(position));
                table.decor_mut().set_prefix("\n");
                Item::Table(table)
            }
            None => Item::Value(Value::InlineTable(InlineTable::new())),
        };
        deploy.insert(env, entry);
    }
    deploy
        .get_mut(env)
        .and_then(Item::as_table_like_mut)
        .expect("deploy entry is a table")
}

/// The table under `key` of a service, created as `key = { … }` when absent.
pub(crate) fn inline_entry<'a>(service: &'a mut dyn TableLike, key: &str) -> &'a mut dyn TableLike {
    if service.get(key).is_none() {
        append(
            service,
            key,
            Item::Value(Value::InlineTable(InlineTable::new())),
        );
    }
    service
        .get_mut(key)
        .and_then(Item::as_table_like_mut)
        .expect("the entry is a table")
}

/// Sets a string, keeping the spacing and comments around the old value.
pub(crate) fn set_str(table: &mut dyn TableLike, key: &str, text: &str) {
    let mut value = Value::from(text);
    if let Some(old) = table.get(key).and_then(Item::as_value) {
        *value.decor_mut() = old.decor().clone();
    }
    match table.get_mut(key) {
        Some(item) => *item = Item::Value(value),
        None => append(table, key, Item::Value(value)),
    }
}

/// Removes a key; if it was the last of an inline table, the space before `}` stays.
pub(crate) fn remove(table: &mut dyn TableLike, key: &str) {
    let was_last = table.iter().last().is_some_and(|(k, _)| k == key);
    let Some(removed) = table.remove(key) else {
        return;
    };
    let suffix = removed
        .as_value()
        .and_then(|v| v.decor().suffix()?.as_str().map(str::to_owned))
        .filter(|s| !s.is_empty() && s.chars().all(char::is_whitespace));
    let new_last = table.iter().last().map(|(k, _)| k.to_owned());
    if let (true, Some(suffix), Some(new_last)) = (was_last, suffix, new_last)
        && let Some(value) = table.get_mut(&new_last).and_then(Item::as_value_mut)
    {
        value.decor_mut().set_suffix(suffix);
    }
}

/// Adds a key at the end; the space before the closing `}` of an inline table moves along,
/// so `{ a = 1 }` becomes `{ a = 1, b = 2 }` and not `{ a = 1 , b = 2}`.
pub(crate) fn append(table: &mut dyn TableLike, key: &str, item: Item) {
    append_key(table, &Key::new(key), item);
}

/// [`append`], the key quoted when its siblings are (`versions."3.13"` beside
/// `versions."3.12"`, not `versions.3`), as the file would have written it.
pub(crate) fn append_like_siblings(table: &mut dyn TableLike, key: &str, item: Item) {
    let quoted = table
        .iter()
        .filter_map(|(k, _)| table.key(k))
        .any(|k| k.display_repr().starts_with('"'));
    let mut written = Key::new(key);
    if quoted && !written.display_repr().starts_with('"') {
        let repr = Value::from(key).to_string();
        if let Ok(mut keys) = Key::parse(&repr)
            && keys.len() == 1
        {
            written = keys.remove(0);
        }
    }
    append_key(table, &written, item);
}

fn append_key(table: &mut dyn TableLike, key: &Key, item: Item) {
    let last = table.iter().last().map(|(k, _)| k.to_owned());
    table.entry_format(key).or_insert(item);
    let key = key.get();
    let Some(last) = last else { return };
    let trailing = table
        .get_mut(&last)
        .and_then(Item::as_value_mut)
        .and_then(|value| {
            let suffix = value.decor().suffix()?.as_str()?.to_owned();
            let blank = !suffix.is_empty() && suffix.chars().all(char::is_whitespace);
            blank.then(|| {
                value.decor_mut().set_suffix("");
                suffix
            })
        });
    if let (Some(suffix), Some(value)) = (trailing, table.get_mut(key).and_then(Item::as_value_mut))
    {
        value.decor_mut().set_suffix(suffix);
    }
}

/// Puts `key` before the given keys (colours before `live` and `previous`), keeping each
/// moved key's formatting.
pub(crate) fn insert_before(table: &mut dyn TableLike, key: &str, text: &str, before: &[&str]) {
    if table.get(key).is_some() {
        set_str(table, key, text);
        return;
    }
    let moved: Vec<(String, Decor, Item)> = before
        .iter()
        .filter_map(|k| {
            let decor = table.key(k)?.leaf_decor().clone();
            let item = table.remove(k)?;
            Some(((*k).to_owned(), decor, item))
        })
        .collect();
    set_str(table, key, text);
    for (k, decor, item) in moved {
        append(table, &k, item);
        if let Some(mut inserted) = table.key_mut(&k) {
            *inserted.leaf_decor_mut() = decor;
        }
    }
}
