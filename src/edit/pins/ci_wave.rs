use toml_edit::{Array, ArrayOfTables, InlineTable, Item, Table, TableLike, Value};

use crate::edit::toml::document::document;
use crate::edit::toml::toml_array;
use crate::edit::toml::toml_path::{append, table_at};
use crate::edit::{EditError, Edited, declared};
use crate::formats::version::is_semver;
use crate::spec::{Ci, Spec};

/// Moves `service` to the CI template `version`: out of its current wave (a wave left empty
/// goes), into the wave of that version (created when there is none), or into no wave when
/// `version` is the default one.
pub fn move_to_wave(
    spec: &Spec,
    text: &str,
    service: &str,
    version: &str,
) -> Result<Edited, EditError> {
    let Some(ci) = &spec.ci else {
        return Err(
            EditError::invalid("the spec has no `[ci]`, so it has no CI template waves")
                .help("declare `[ci]` with the `template` and its default `version` first"),
        );
    };
    declared::service(spec, service)?;
    if !is_semver(version) {
        return Err(
            EditError::invalid(format!("`{version}` is not a template version")).help(format!(
                "a release tag, vMAJOR.MINOR.PATCH; in use: {}",
                versions_in_use(ci)
            )),
        );
    }
    let current = ci
        .waves
        .iter()
        .position(|w| w.services.iter().any(|s| s == service));
    let current_version = current.map_or(ci.version.as_str(), |w| ci.waves[w].version.as_str());
    if current_version == version {
        let index = current.map(|w| w.to_string());
        let at = match &index {
            Some(w) => vec!["ci", "waves", w.as_str()],
            None => vec!["ci", "version"],
        };
        return Err(
            EditError::refused(format!("`{service}` already uses CI template {version}")).at(&at),
        );
    }
    let target = (version != ci.version)
        .then(|| ci.waves.iter().position(|w| w.version == version))
        .map(|found| (found, found.map(|w| ci.waves[w].services.join(", "))));

    let mut doc = document(text)?;
    let ci_table = table_at(&mut doc, &["ci"]).ok_or_else(|| EditError::not_a_table(&["ci"]))?;
    let mut waves = Waves::of(ci_table)?;
    let mut lines = Vec::new();
    let mut emptied = None;
    if let Some(w) = current {
        let services = waves.services(w)?;
        let index = services
            .iter()
            .position(|s| s.as_str() == Some(service))
            .ok_or_else(|| EditError::invalid("the wave lists the service in another form"))?;
        toml_array::remove(services, index);
        if services.is_empty() {
            waves.remove(w);
            emptied = Some(w);
            lines.push(format!(
                "the wave of {current_version} has no service left and is removed"
            ));
        }
    }
    let joined = match target {
        None => format!("{version}, the default version"),
        Some((Some(w), others)) => {
            let w = if emptied.is_some_and(|e| e < w) {
                w - 1
            } else {
                w
            };
            toml_array::push(waves.services(w)?, Value::from(service));
            format!("{version} (joining {})", others.unwrap_or_default())
        }
        Some((None, _)) => {
            waves.add(version, service);
            format!("{version} (a new wave)")
        }
    };
    waves.finish(ci_table);
    lines.insert(
        0,
        format!("`{service}` moves from CI template {current_version} to {joined}"),
    );
    Ok(Edited {
        text: doc.to_string(),
        summary: lines.join("\n"),
    })
}

fn versions_in_use(ci: &Ci) -> String {
    let mut used = vec![format!("{} (default)", ci.version)];
    used.extend(
        ci.waves
            .iter()
            .map(|w| format!("{} ({})", w.version, w.services.join(", "))),
    );
    used.join(", ")
}

/// `ci.waves`, as the file writes it: `waves = [{ … }]`, `[[ci.waves]]`, or not yet.
enum Waves {
    Inline(Array),
    Tables(ArrayOfTables),
    Absent,
}

impl Waves {
    /// Takes the waves out of `ci`; [`Self::finish`] puts them back.
    fn of(ci: &mut dyn TableLike) -> Result<Self, EditError> {
        let Some(item) = ci.get_mut("waves") else {
            return Ok(Self::Absent);
        };
        match item {
            Item::Value(Value::Array(array)) => Ok(Self::Inline(std::mem::take(array))),
            Item::ArrayOfTables(tables) => Ok(Self::Tables(std::mem::take(tables))),
            _ => Err(EditError::invalid("`ci.waves` is not a list of waves")),
        }
    }

    fn wave(&mut self, index: usize) -> Option<&mut dyn TableLike> {
        match self {
            Self::Inline(array) => array
                .get_mut(index)?
                .as_inline_table_mut()
                .map(|t| t as &mut dyn TableLike),
            Self::Tables(tables) => tables.get_mut(index).map(|t| t as &mut dyn TableLike),
            Self::Absent => None,
        }
    }

    fn services(&mut self, index: usize) -> Result<&mut Array, EditError> {
        self.wave(index)
            .and_then(|wave| wave.get_mut("services"))
            .and_then(Item::as_array_mut)
            .ok_or_else(|| {
                EditError::invalid(format!("wave {} has no list of services", index + 1))
            })
    }

    fn remove(&mut self, index: usize) {
        match self {
            Self::Inline(array) => {
                toml_array::remove(array, index);
            }
            Self::Tables(tables) => {
                tables.remove(index);
            }
            Self::Absent => {}
        }
    }

    fn add(&mut self, version: &str, service: &str) {
        let mut services = Array::new();
        services.push(service);
        match self {
            Self::Tables(tables) => {
                let mut wave = Table::new();
                wave.insert("version", toml_edit::value(version));
                wave.insert("services", toml_edit::value(services));
                wave.decor_mut().set_prefix("\n");
                tables.push(wave);
            }
            Self::Inline(array) => toml_array::push(array, new_wave(version, services)),
            Self::Absent => {
                let mut array = Array::new();
                array.push(new_wave(version, services));
                *self = Self::Inline(array);
            }
        }
    }

    /// Puts the waves back into `ci`; a list left empty goes, unless a comment sits on it.
    fn finish(self, ci: &mut dyn TableLike) {
        let commented = ci.key("waves").is_some_and(|key| {
            key.leaf_decor()
                .prefix()
                .and_then(|p| p.as_str())
                .is_some_and(|p| p.contains('#'))
        });
        let item = match self {
            Self::Inline(array) if array.is_empty() && !commented => None,
            Self::Tables(tables) if tables.is_empty() => None,
            Self::Inline(array) => Some(Item::Value(Value::Array(array))),
            Self::Tables(tables) => Some(Item::ArrayOfTables(tables)),
            Self::Absent => return,
        };
        match (item, ci.get_mut("waves")) {
            (Some(item), Some(slot)) => *slot = item,
            (Some(item), None) => append(ci, "waves", item),
            (None, _) => {
                ci.remove("waves");
            }
        }
    }
}

fn new_wave(version: &str, services: Array) -> Value {
    let mut wave = InlineTable::new();
    wave.insert("version", Value::from(version));
    wave.insert("services", Value::Array(services));
    Value::InlineTable(wave)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::test_spec::{parsed, text_with};

    fn spec_text(waves: &str) -> String {
        text_with(&format!(
            "[ci]\ntemplate = \"o/t/.github/workflows/s.yml\"\nversion = \"v2.0.0\"\n{waves}\n\
             [services.a]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0\"\n\n\
             [services.b]\nteam = \"t\"\nbase = \"py:1\"\nversion = \"1.0\"\n"
        ))
    }

    fn moved(text: &str, service: &str, version: &str) -> Result<Edited, EditError> {
        move_to_wave(&parsed(text), text, service, version)
    }

    #[test]
    fn a_service_leaves_its_wave_for_a_new_one() {
        let text = spec_text(
            "waves = [{ version = \"v3.0.0\", services = [\"a\", \"b\"] }]  # canaries\n",
        );
        let edited = moved(&text, "a", "v3.1.0").unwrap();
        assert!(
            edited.text.contains("waves = [{ version = \"v3.0.0\", services = [\"b\"] }, { version = \"v3.1.0\", services = [\"a\"] }]  # canaries\n"),
            "{}",
            edited.text
        );
        assert_eq!(
            edited.summary,
            "`a` moves from CI template v3.0.0 to v3.1.0 (a new wave)"
        );
    }

    #[test]
    fn an_emptied_wave_goes_and_so_does_an_empty_list() {
        let text = spec_text("waves = [{ version = \"v3.0.0\", services = [\"a\"] }]\n");
        let edited = moved(&text, "a", "v2.0.0").unwrap();
        assert_eq!(
            edited.text,
            text.replace(
                "waves = [{ version = \"v3.0.0\", services = [\"a\"] }]\n",
                ""
            )
        );
        assert_eq!(
            edited.summary,
            "`a` moves from CI template v3.0.0 to v2.0.0, the default version\nthe wave of v3.0.0 has no service left and is removed"
        );
    }

    #[test]
    fn a_service_joins_the_wave_of_its_version() {
        let text = spec_text("waves = [{ version = \"v1.9.0\", services = [\"b\"] }, { version = \"v3.0.0\", services = [\"b2\"] }]\n")
            .replace("[\"b2\"]", "[]");
        let edited = moved(&text, "b", "v3.0.0").unwrap();
        assert!(
            edited
                .text
                .contains("waves = [{ version = \"v3.0.0\", services = [\"b\"] }]\n"),
            "{}",
            edited.text
        );
    }

    #[test]
    fn the_first_wave_is_written_inline_and_tables_stay_tables() {
        let text = spec_text("");
        let edited = moved(&text, "a", "v3.0.0").unwrap();
        assert!(
            edited.text.contains(
                "version = \"v2.0.0\"\nwaves = [{ version = \"v3.0.0\", services = [\"a\"] }]\n"
            ),
            "{}",
            edited.text
        );
        let tables = spec_text("\n[[ci.waves]]\nversion = \"v3.0.0\"\nservices = [\"b\"]\n");
        let edited = moved(&tables, "a", "v3.0.0").unwrap();
        assert!(
            edited
                .text
                .contains("[[ci.waves]]\nversion = \"v3.0.0\"\nservices = [\"b\", \"a\"]\n"),
            "{}",
            edited.text
        );
    }

    #[test]
    fn no_move_is_a_refusal_and_a_bad_version_bad_input() {
        let text = spec_text("waves = [{ version = \"v3.0.0\", services = [\"a\"] }]\n");
        assert!(moved(&text, "a", "v3.0.0").unwrap_err().refused);
        assert!(moved(&text, "b", "v2.0.0").unwrap_err().refused);
        let bad = moved(&text, "a", "latest").unwrap_err();
        assert!(!bad.refused);
        assert_eq!(
            bad.help.as_deref(),
            Some("a release tag, vMAJOR.MINOR.PATCH; in use: v2.0.0 (default), v3.0.0 (a)")
        );
        assert!(!moved(&text, "nobody", "v3.0.0").unwrap_err().refused);
    }
}
