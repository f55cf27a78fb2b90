use std::fmt;

use toml_edit::{InlineTable, Item, TableLike, Value};

use crate::edit::toml::document::document;
use crate::edit::toml::toml_path::{insert_before, remove, set_str, table_at};
use crate::edit::{EditError, Edited, declared};
use crate::formats::version::{is_commit, is_semver};
use crate::spec::{ModulePin, Spec};

/// A module version: a release tag, and the commit it points to when pinned by commit.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pin {
    tag: String,
    commit: Option<String>,
}

impl Pin {
    fn parse(text: &str) -> Self {
        match text.split_once('@') {
            Some((tag, commit)) => Self {
                tag: tag.to_owned(),
                commit: Some(commit.to_owned()),
            },
            None => Self {
                tag: text.to_owned(),
                commit: None,
            },
        }
    }

    /// As an environment's pin is written: `tag` or `tag@commit`.
    fn written(&self) -> String {
        match &self.commit {
            Some(commit) => format!("{}@{commit}", self.tag),
            None => self.tag.clone(),
        }
    }
}

impl fmt::Display for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.commit {
            Some(commit) => write!(f, "{}@{}", self.tag, &commit[..commit.len().min(7)]),
            None => f.write_str(&self.tag),
        }
    }
}

/// The default pin of a module, and the environments that pin their own.
fn pins(pin: &ModulePin) -> (Pin, Vec<(&str, Pin)>) {
    match pin {
        ModulePin::Tag(tag) => (Pin::parse(tag), Vec::new()),
        ModulePin::Detailed(fields) => (
            Pin {
                tag: fields.get("version").cloned().unwrap_or_default(),
                commit: fields.get("commit").cloned(),
            },
            fields
                .iter()
                .filter(|(key, _)| !matches!(key.as_str(), "version" | "commit"))
                .map(|(env, pin)| (env.as_str(), Pin::parse(pin)))
                .collect(),
        ),
    }
}

/// Pins Terraform module `module` to `pin` (`TAG` or `TAG@COMMIT`): in `env` only (written
/// `<env> = "TAG@COMMIT"`, or removed when it equals the default), or as the default every
/// environment without its own pin follows. A module pinned by commit stays pinned by
/// commit: a tag alone can be moved to other code.
pub fn pin_module(
    spec: &Spec,
    text: &str,
    module: &str,
    env: Option<&str>,
    pin: &str,
) -> Result<Edited, EditError> {
    let Some(terraform) = &spec.terraform else {
        return Err(
            EditError::invalid("the spec has no `[terraform]`, so it pins no modules").help(
                "declare `[terraform]` with the module `source` and `[terraform.modules]` first",
            ),
        );
    };
    let Some(written) = terraform.modules.get(module) else {
        let declared: Vec<&str> = terraform.modules.keys().map(String::as_str).collect();
        return Err(
            EditError::invalid(format!("module `{module}` is not declared"))
                .help(format!("declared modules: {}", declared.join(", ")))
                .at(&["terraform", "modules"]),
        );
    };
    if let Some(env) = env {
        declared::environment(spec, env)?;
    }
    let new = Pin::parse(pin);
    if !is_semver(&new.tag) {
        return Err(
            EditError::invalid(format!("`{}` is not a module version", new.tag)).help(
                "a release tag, vMAJOR.MINOR.PATCH, and its commit: `v1.4.0@<7 to 40 hex digits>`",
            ),
        );
    }
    if let Some(commit) = &new.commit
        && !is_commit(commit)
    {
        return Err(
            EditError::invalid(format!("`{commit}` is not a git commit hash"))
                .help("7 to 40 hex digits: the commit the tag points to"),
        );
    }
    let (default, own) = pins(written);
    let own_pin = env.and_then(|env| own.iter().find(|(e, _)| *e == env).map(|(_, p)| p));
    let current = own_pin.unwrap_or(&default);
    // Where the pin being replaced is written, for messages.
    let mut at = vec!["terraform", "modules", module];
    match (written, env, own_pin) {
        (ModulePin::Tag(_), ..) => {}
        (_, Some(env), Some(_)) => at.push(env),
        _ if default.commit.is_some() => at.push("commit"),
        _ => at.push("version"),
    }
    if new.commit.is_none() && (default.commit.is_some() || current.commit.is_some()) {
        let flag = env.map(|env| format!(" --env {env}")).unwrap_or_default();
        return Err(EditError::refused(format!(
            "`{module}` is pinned by commit, and {} names none: a tag alone can be moved to other code",
            new.tag
        ))
        .help(format!(
            "give the commit the tag points to: `fleetc pin-module {module}{flag} {}@COMMIT` (`git ls-remote <source> refs/tags/{}`)",
            new.tag, new.tag
        ))
        .at(&at));
    }
    if *current == new {
        let place = env.map(|env| format!(" in `{env}`")).unwrap_or_default();
        return Err(
            EditError::refused(format!("`{module}` is already pinned to {new}{place}")).at(&[
                "terraform",
                "modules",
                module,
            ]),
        );
    }

    let mut doc = document(text)?;
    let modules = table_at(&mut doc, &["terraform", "modules"])
        .ok_or_else(|| EditError::not_a_table(&["terraform", "modules"]))?;
    let summary = if let Some(env) = env {
        let detailed = detailed(modules, module, &default)?;
        if new == default {
            remove(detailed, env);
            format!("module `{module}` in `{env}`: {current} → {new} (the default again)")
        } else {
            set_str(detailed, env, &new.written());
            format!("module `{module}` in `{env}`: {current} → {new}")
        }
    } else {
        set_default(modules, module, &new, &own)?;
        default_summary(spec, module, &default, &new, &own)
    };
    Ok(Edited {
        text: doc.to_string(),
        summary,
    })
}

/// The module written as a table (`{ version = … }`), turning `name = "v1.2.0"` into one.
fn detailed<'a>(
    modules: &'a mut dyn TableLike,
    module: &str,
    default: &Pin,
) -> Result<&'a mut dyn TableLike, EditError> {
    let item = modules
        .get_mut(module)
        .ok_or_else(|| EditError::invalid(format!("module `{module}` is not in the spec")))?;
    if let Some(value) = item.as_value()
        && value.is_str()
    {
        let mut table = InlineTable::new();
        table.insert("version", Value::from(default.tag.as_str()));
        let mut replaced = Value::InlineTable(table);
        *replaced.decor_mut() = value.decor().clone();
        *item = Item::Value(replaced);
    }
    item.as_table_like_mut()
        .ok_or_else(|| EditError::invalid(format!("module `{module}` is not a pin")))
}

fn set_default(
    modules: &mut dyn TableLike,
    module: &str,
    new: &Pin,
    own: &[(&str, Pin)],
) -> Result<(), EditError> {
    let is_tag = modules
        .get(module)
        .and_then(Item::as_value)
        .is_some_and(Value::is_str);
    if is_tag && new.commit.is_none() {
        set_str(modules, module, &new.tag);
        return Ok(());
    }
    let table = detailed(modules, module, new)?;
    set_str(table, "version", &new.tag);
    match &new.commit {
        Some(commit) => {
            let envs: Vec<&str> = own.iter().map(|(env, _)| *env).collect();
            insert_before(table, "commit", commit, &envs);
        }
        None => remove(table, "commit"),
    }
    Ok(())
}

fn default_summary(spec: &Spec, module: &str, old: &Pin, new: &Pin, own: &[(&str, Pin)]) -> String {
    let following: Vec<&str> = spec
        .environments
        .keys()
        .map(String::as_str)
        .filter(|env| !own.iter().any(|(e, _)| e == env))
        .collect();
    let mut summary = format!(
        "module `{module}`: {old} → {new} in {}",
        if following.is_empty() {
            "no environment".to_owned()
        } else {
            following.join(", ")
        }
    );
    for (env, pin) in own {
        if spec.environments.contains_key(*env) {
            summary.push_str(&format!("\n`{env}` keeps its own pin, {pin}"));
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::test_spec::{parsed, text_with};

    const C1: &str = "1111111111111111111111111111111111111111";
    const C2: &str = "2222222222222222222222222222222222222222";

    fn spec_text(modules: &str) -> String {
        text_with(&format!(
            "[terraform]\nsource = \"git::https://g.example/m.git\"\n\n[terraform.modules]\n{modules}"
        ))
    }

    fn pin(text: &str, module: &str, env: Option<&str>, pin: &str) -> Result<Edited, EditError> {
        pin_module(&parsed(text), text, module, env, pin)
    }

    #[test]
    fn a_tag_pin_moves_and_gains_a_commit_as_a_table() {
        let text = spec_text("vpc = \"v1.2.0\"  # network\n");
        let edited = pin(&text, "vpc", None, "v1.3.0").unwrap();
        assert!(
            edited.text.contains("vpc = \"v1.3.0\"  # network\n"),
            "{}",
            edited.text
        );
        assert_eq!(edited.summary, "module `vpc`: v1.2.0 → v1.3.0 in dev, prod");
        let edited = pin(&text, "vpc", None, &format!("v1.3.0@{C1}")).unwrap();
        assert!(
            edited.text.contains(&format!(
                "vpc = {{ version = \"v1.3.0\", commit = \"{C1}\" }}  # network\n"
            )),
            "{}",
            edited.text
        );
    }

    #[test]
    fn an_environment_gets_its_own_pin_and_loses_it_at_the_default() {
        let text = spec_text(&format!(
            "eks = {{ version = \"v1.4.0\", commit = \"{C1}\" }}\n"
        ));
        let edited = pin(&text, "eks", Some("prod"), &format!("v1.3.2@{C2}")).unwrap();
        assert!(
            edited.text.contains(&format!(
                "eks = {{ version = \"v1.4.0\", commit = \"{C1}\", prod = \"v1.3.2@{C2}\" }}\n"
            )),
            "{}",
            edited.text
        );
        assert_eq!(
            edited.summary,
            "module `eks` in `prod`: v1.4.0@1111111 → v1.3.2@2222222"
        );
        let back = pin(&edited.text, "eks", Some("prod"), &format!("v1.4.0@{C1}")).unwrap();
        assert_eq!(back.text, text);
        assert!(
            back.summary.ends_with("(the default again)"),
            "{}",
            back.summary
        );
    }

    #[test]
    fn the_default_moves_while_trailing_environments_keep_their_pins() {
        let text = spec_text(&format!(
            "eks = {{ version = \"v1.4.0\", commit = \"{C1}\", prod = \"v1.3.2@{C1}\" }}\n"
        ));
        let edited = pin(&text, "eks", None, &format!("v1.5.0@{C2}")).unwrap();
        assert!(
            edited.text.contains(&format!(
                "eks = {{ version = \"v1.5.0\", commit = \"{C2}\", prod = \"v1.3.2@{C1}\" }}\n"
            )),
            "{}",
            edited.text
        );
        assert_eq!(
            edited.summary,
            "module `eks`: v1.4.0@1111111 → v1.5.0@2222222 in dev\n`prod` keeps its own pin, v1.3.2@1111111"
        );
    }

    #[test]
    fn a_commit_pin_is_never_weakened_to_a_tag() {
        let text = spec_text(&format!(
            "eks = {{ version = \"v1.4.0\", commit = \"{C1}\" }}\n"
        ));
        for env in [None, Some("prod")] {
            let error = pin(&text, "eks", env, "v1.5.0").unwrap_err();
            assert!(error.refused, "{env:?}");
            assert!(
                error.message.contains("is pinned by commit"),
                "{}",
                error.message
            );
        }
    }

    #[test]
    fn bad_pins_and_names_are_bad_input_and_no_change_a_refusal() {
        let text = spec_text("vpc = \"v1.2.0\"\n");
        for (module, env, given) in [
            ("nat", None, "v1.0.0"),
            ("vpc", Some("qa"), "v1.0.0"),
            ("vpc", None, "1.2"),
            ("vpc", None, "v1.2.1@xyz"),
        ] {
            let error = pin(&text, module, env, given).unwrap_err();
            assert!(
                !error.refused,
                "{module} {env:?} {given}: {}",
                error.message
            );
        }
        assert!(pin(&text, "vpc", None, "v1.2.0").unwrap_err().refused);
        assert!(
            pin(&text, "vpc", Some("dev"), "v1.2.0")
                .unwrap_err()
                .refused
        );
    }
}
