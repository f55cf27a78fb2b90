//! `$(NAME)` in a container's `command` and `args`: Kubernetes expands it to the value of any
//! variable of that container, and leaves it as written when the container has none of that
//! name. The service's container has fleetc's OpenTelemetry variables (when traces are on),
//! `pod_env`, `secrets` and `env` of each place it runs; a sidecar or an init container has
//! its own `env` alone, whose values expand only to variables defined earlier in it. A
//! warning, located at the value: the text may be meant.

use indexmap::IndexMap;

use super::context::Context;
use super::env_references::container_variables;
use super::places::{list, place_name, places_of, push_new};
use crate::formats::env_reference::references;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{ContainerSettings, inherited_at};

/// A reference left as written: the value's key path and the name it refers to, with the
/// places where it is left so (none for a container whose variables are the same everywhere).
type Unexpanded = IndexMap<(Vec<String>, String), Vec<String>>;

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    let traces_on = spec
        .observability
        .as_ref()
        .is_some_and(|o| o.otlp_endpoint.is_some());
    let mut found: Unexpanded = IndexMap::new();
    for (name, service) in &spec.services {
        let at = ["services", name.as_str()];
        let arguments_refer = arguments(&at, service.command.as_ref(), service.args.as_ref())
            .iter()
            .any(|(_, value)| !references(value).is_empty());
        // The variables of each place are gathered only for a service whose arguments refer
        // to one: most have none, and gathering them is most of this check's work.
        let places = if arguments_refer {
            places_of(spec, service)
        } else {
            Vec::new()
        };
        for place in places {
            let settings = inherited_at(&spec.defaults, service, &place);
            let defined = container_variables(traces_on, service, &settings);
            for (key, value) in arguments(&at, service.command.as_ref(), service.args.as_ref()) {
                for reference in references(value) {
                    if !defined.contains(reference) {
                        let places = found
                            .entry((key.clone(), reference.to_owned()))
                            .or_default();
                        push_new(places, &place_name(&place));
                    }
                }
            }
        }
        for extra in service.extra_container_settings() {
            let at = [&at[..], &[extra.table, extra.name]].concat();
            extra_container(&at, &extra, &mut found);
        }
    }
    for ((at, reference), places) in found {
        let at: Vec<&str> = at.iter().map(String::as_str).collect();
        let field = at[at.len() - 2];
        let container = if at.len() > 4 {
            at[at.len() - 3]
        } else {
            at[1]
        };
        let place = if places.is_empty() {
            String::new()
        } else {
            format!(" in {}", list(&places))
        };
        let why = if at[at.len() - 2] == "env" {
            let variable = at[at.len() - 1];
            format!(
                "`$({reference})` in `{variable}` of `{container}` is not expanded: the container defines no `{reference}` before it"
            )
        } else {
            format!(
                "`$({reference})` in `{field}` of `{container}` is not expanded: the container has no variable `{reference}`{place}"
            )
        };
        cx.report(
            Diagnostic::warning(why)
            .at(cx.spans.value(&at))
            .label("left as written")
            .help("Kubernetes expands `$(NAME)` in `command`, `args` and `env` only to a variable of the container (for `env`, one defined earlier); define it, or write `$$(NAME)` for the text itself"),
        );
    }
}

/// Each value of `command` and `args`, with its key path.
fn arguments<'a>(
    at: &[&str],
    command: Option<&'a Vec<String>>,
    args: Option<&'a Vec<String>>,
) -> Vec<(Vec<String>, &'a String)> {
    let mut found = Vec::new();
    for (field, values) in [("command", command), ("args", args)] {
        for (index, value) in values.into_iter().flatten().enumerate() {
            let mut key: Vec<String> = at.iter().map(|s| (*s).to_owned()).collect();
            key.extend([field.to_owned(), index.to_string()]);
            found.push((key, value));
        }
    }
    found
}

/// A sidecar's or an init container's references, to its own variables alone.
fn extra_container(at: &[&str], container: &ContainerSettings<'_>, found: &mut Unexpanded) {
    let env = container.env;
    let secret = |name: &str| container.secrets.iter().any(|s| s == name);
    for (index, (variable, value)) in env.iter().enumerate() {
        for reference in references(value) {
            if !secret(reference) && !env.keys().take(index).any(|earlier| earlier == reference) {
                let mut key: Vec<String> = at.iter().map(|s| (*s).to_owned()).collect();
                key.extend(["env".to_owned(), variable.clone()]);
                found.entry((key, reference.to_owned())).or_default();
            }
        }
    }
    for (key, value) in arguments(at, container.command, container.args) {
        for reference in references(value) {
            if !env.contains_key(reference) && !secret(reference) {
                found
                    .entry((key.clone(), reference.to_owned()))
                    .or_default();
            }
        }
    }
}
