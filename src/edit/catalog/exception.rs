use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use super::base_users::user;
use crate::edit::toml::document::document;
use crate::edit::toml::toml_array;
use crate::edit::toml::toml_path::{append, set_str};
use crate::edit::{EditError, Edited, declared};
use crate::spec::{Date, ImageStatus, Spec};

/// An exception as the command line asks for it.
#[derive(Debug, Clone, Copy)]
pub struct ExceptionRequest<'a> {
    pub service: &'a str,
    /// `name:version` of the catalog.
    pub base: &'a str,
    /// The last day it holds.
    pub expires: Date,
    pub ticket: &'a str,
    pub reason: Option<&'a str>,
}

/// Lets `service` keep a base image version the catalog no longer allows until `expires`: a
/// new `[[exceptions]]` entry, or the existing one for the same service and base updated.
/// Only a service built on that version gets one, and only for a version that needs one.
pub fn grant_exception(
    spec: &Spec,
    text: &str,
    request: &ExceptionRequest<'_>,
    today: Date,
) -> Result<Edited, EditError> {
    let ExceptionRequest {
        service,
        base,
        expires,
        ticket,
        reason,
    } = *request;
    declared::service(spec, service)?;
    let (name, version, entry) = declared::base_reference(spec, base)?;
    let ticket = ticket.trim();
    if ticket.is_empty() {
        return Err(EditError::invalid("an exception needs a ticket")
            .help("name the ticket that tracks the fix, for example --ticket SEC-42"));
    }
    if expires < today {
        return Err(EditError::invalid(format!(
            "--expires {expires} is before today ({today}): the exception would never hold"
        ))
        .help("give the last day it should hold, today or later"));
    }
    if entry.status == ImageStatus::Approved {
        return Err(EditError::refused(format!(
            "`{base}` is approved: `{service}` needs no exception to use it"
        ))
        .at(&["base_images", name, "versions", version]));
    }
    let Some(user) = user(spec, service, base, today) else {
        let next = spec.services[service].base.as_deref().unwrap_or("no base");
        return Err(EditError::refused(format!(
            "`{service}` is not built on `{base}`: its next build uses `{next}`, and no version it runs was built on `{base}`"
        ))
        .help(format!(
            "an exception covers a service on the base it names; `fleetc impact {base}` lists them"
        ))
        .at(&["services", service, "base"]));
    };
    let mut doc = document(text)?;
    let existing = spec
        .exceptions
        .iter()
        .position(|e| e.service == service && e.base == base);
    let summary = if let Some(index) = existing {
        let old = &spec.exceptions[index];
        let unchanged = old.expires == expires
            && old.ticket == ticket
            && reason.is_none_or(|r| old.reason.as_deref() == Some(r));
        if unchanged {
            return Err(EditError::refused(format!(
                "exception {ticket} already lets `{service}` keep `{base}` until {expires}"
            ))
            .at(&["exceptions", &index.to_string()]));
        }
        let table = exception_at(&mut doc, index).ok_or_else(|| {
            EditError::invalid(format!("`exceptions` entry {} is not a table", index + 1))
        })?;
        if old.expires != expires {
            set_date(table, "expires", expires);
        }
        if old.ticket != ticket {
            set_str(table, "ticket", ticket);
        }
        if let Some(reason) = reason {
            set_str(table, "reason", reason);
        }
        let was = if old.expires == expires {
            String::new()
        } else {
            format!(" (was {})", old.expires)
        };
        format!("exception {ticket} now lets `{service}` keep `{base}` until {expires}{was}")
    } else {
        add(
            &mut doc,
            &Fields {
                service,
                base,
                expires,
                ticket,
                reason,
            },
        );
        format!("exception {ticket} lets `{service}` keep `{base}` until {expires}")
    };
    Ok(Edited {
        text: doc.to_string(),
        summary: format!(
            "{summary}\n  {user}: {} (a warning instead of an error until then)",
            entry.status.as_str()
        ),
    })
}

/// The keys of an exception, in the order the spec's documentation writes them.
struct Fields<'a> {
    service: &'a str,
    base: &'a str,
    expires: Date,
    ticket: &'a str,
    reason: Option<&'a str>,
}

impl Fields<'_> {
    fn write(&self, table: &mut dyn TableLike) {
        set_str(table, "service", self.service);
        set_str(table, "base", self.base);
        set_date(table, "expires", self.expires);
        set_str(table, "ticket", self.ticket);
        if let Some(reason) = self.reason {
            set_str(table, "reason", reason);
        }
    }
}

/// Writes a day as the file already does for that key: a TOML date, or a string.
fn set_date(table: &mut dyn TableLike, key: &str, date: Date) {
    if table
        .get(key)
        .and_then(Item::as_value)
        .is_some_and(Value::is_str)
    {
        set_str(table, key, &date.to_string());
        return;
    }
    let datetime: toml_edit::Datetime = date
        .to_string()
        .parse()
        .expect("a calendar day is a TOML date");
    let mut value = Value::from(datetime);
    match table.get_mut(key) {
        Some(item) => {
            if let Some(old) = item.as_value() {
                *value.decor_mut() = old.decor().clone();
            }
            *item = Item::Value(value);
        }
        None => append(table, key, Item::Value(value)),
    }
}

/// The `index`-th exception, written as `[[exceptions]]` or in `exceptions = [{ … }]`.
fn exception_at(doc: &mut DocumentMut, index: usize) -> Option<&mut dyn TableLike> {
    match doc.get_mut("exceptions")? {
        Item::ArrayOfTables(tables) => tables
            .get_mut(index)
            .map(|table| table as &mut dyn TableLike),
        Item::Value(Value::Array(array)) => array
            .get_mut(index)?
            .as_inline_table_mut()
            .map(|table| table as &mut dyn TableLike),
        _ => None,
    }
}

/// A new exception after the others, in their style; the first one as `[[exceptions]]` right
/// after the base image catalog it refers to.
fn add(doc: &mut DocumentMut, fields: &Fields<'_>) {
    match doc.get_mut("exceptions") {
        Some(Item::Value(Value::Array(array))) => {
            let mut table = InlineTable::new();
            fields.write(&mut table);
            toml_array::push(array, Value::InlineTable(table));
        }
        Some(Item::ArrayOfTables(tables)) => {
            let mut table = Table::new();
            fields.write(&mut table);
            table.decor_mut().set_prefix("\n");
            // Without a position, a table prints right after the one before it: the last
            // exception.
            tables.push(table);
        }
        _ => {
            let after_catalog =
                doc.get("base_images")
                    .and_then(Item::as_table)
                    .and_then(|catalog| {
                        catalog
                            .iter()
                            .filter_map(|(_, item)| item.as_table()?.position())
                            .max()
                    });
            let mut table = Table::new();
            fields.write(&mut table);
            table.decor_mut().set_prefix("\n");
            table.set_position(after_catalog);
            let mut tables = ArrayOfTables::new();
            tables.push(table);
            doc.insert("exceptions", Item::ArrayOfTables(tables));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::test_spec::{parsed, text_with, today};

    const SERVICES: &str = "[services.a]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0\"\n\n\
                            [services.b]\nteam = \"t\"\nbase = \"py:2\"\nversion = \"1.0\"\n";

    fn blocked(rest: &str) -> String {
        text_with(&format!("{SERVICES}{rest}")).replace(
            "versions.\"1\" = { status = \"approved\" }",
            "versions.\"1\" = { status = \"blocked\", reason = \"CVE-1\" }",
        )
    }

    fn grant(text: &str, service: &str, expires: &str, ticket: &str) -> Result<Edited, EditError> {
        grant_exception(
            &parsed(text),
            text,
            &ExceptionRequest {
                service,
                base: "py:1",
                expires: Date::parse(expires).unwrap(),
                ticket,
                reason: None,
            },
            today(),
        )
    }

    #[test]
    fn the_first_exception_follows_the_catalog() {
        let text = blocked("");
        let edited = grant(&text, "a", "2026-12-15", "SEC-1").unwrap();
        assert_eq!(
            edited.text,
            text.replace(
                "versions.\"2\" = { status = \"approved\" }\n",
                "versions.\"2\" = { status = \"approved\" }\n\n[[exceptions]]\nservice = \"a\"\nbase = \"py:1\"\nexpires = 2026-12-15\nticket = \"SEC-1\"\n"
            )
        );
        assert_eq!(
            edited.summary,
            "exception SEC-1 lets `a` keep `py:1` until 2026-12-15\n  a (next build; runs 1.0): blocked (a warning instead of an error until then)"
        );
    }

    #[test]
    fn the_exception_for_the_same_service_and_base_is_updated_in_its_style() {
        let text = blocked(
            "\n[[exceptions]]  # the vendor is on it\nservice = \"a\"\nbase = \"py:1\"\nexpires = \"2026-12-01\"\nticket = \"SEC-1\"\n",
        );
        let edited = grant(&text, "a", "2027-01-31", "SEC-2").unwrap();
        assert_eq!(
            edited.text,
            text.replace("\"2026-12-01\"", "\"2027-01-31\"")
                .replace("SEC-1", "SEC-2")
        );
        assert!(
            edited.summary.starts_with(
                "exception SEC-2 now lets `a` keep `py:1` until 2027-01-31 (was 2026-12-01)"
            ),
            "{}",
            edited.summary
        );
        let same = grant(&text, "a", "2026-12-01", "SEC-1").unwrap_err();
        assert!(same.refused);
    }

    #[test]
    fn a_further_exception_joins_an_inline_list() {
        let text = format!(
            "exceptions = [{{ service = \"c\", base = \"py:1\", expires = 2026-12-01, ticket = \"T\" }}]\n{}",
            blocked("[services.c]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0\"\n")
        );
        let edited = grant(&text, "a", "2026-12-15", "SEC-1").unwrap();
        assert!(
            edited.text.contains("exceptions = [{ service = \"c\", base = \"py:1\", expires = 2026-12-01, ticket = \"T\" }, { service = \"a\", base = \"py:1\", expires = 2026-12-15, ticket = \"SEC-1\" }]\n"),
            "{}",
            edited.text
        );
    }

    #[test]
    fn only_a_service_on_a_version_that_needs_one_gets_an_exception() {
        let text = blocked("");
        let elsewhere = grant(&text, "b", "2026-12-15", "SEC-1").unwrap_err();
        assert!(elsewhere.refused);
        assert!(
            elsewhere
                .message
                .starts_with("`b` is not built on `py:1`: its next build uses `py:2`"),
            "{}",
            elsewhere.message
        );
        let approved = text_with(SERVICES);
        let needless = grant(&approved, "a", "2026-12-15", "SEC-1").unwrap_err();
        assert!(needless.refused);
        assert_eq!(
            needless.message,
            "`py:1` is approved: `a` needs no exception to use it"
        );
    }

    #[test]
    fn a_past_day_or_an_empty_ticket_is_bad_input() {
        let text = blocked("");
        let past = grant(&text, "a", "2026-10-31", "SEC-1").unwrap_err();
        assert!(!past.refused);
        assert!(past.message.contains("is before today (2026-11-01)"));
        assert!(!grant(&text, "a", "2026-12-15", " ").unwrap_err().refused);
        assert!(!grant(&text, "zz", "2026-12-15", "T").unwrap_err().refused);
    }
}
