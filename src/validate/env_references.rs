//! `$(NAME)` in a variable's value: Kubernetes expands it only to a variable defined earlier in
//! the container's list, and leaves it as written otherwise. The list is fleetc's
//! OpenTelemetry variables (when traces are on), then the variables read from the pod
//! (`pod_env`) and from `secrets`, then `env` in the order its layers first name each variable
//! (`[defaults]`, a cluster's overrides, the service, its overrides); so a `[defaults]` value
//! naming a service's variable is never expanded. A warning, located at the value: the text
//! may be meant.

use indexmap::{IndexMap, IndexSet};

use super::context::Context;
use super::places::{list, place_name, places_of, push_new};
use crate::formats::env_reference::references;
use crate::formats::otel;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{EnvSettings, Service, inherited_at, origin_at};

/// Why a reference is left as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Unexpanded {
    /// The variable it names comes later in the list (or is the variable itself).
    Later,
    /// No variable of that name is in the list.
    Undefined,
}

/// One reference left as written: the value's key path, the variable, the name referred to.
type Found = (Vec<String>, String, String);

/// Why a reference is left as written, for which services, in which places.
type Reasons = IndexMap<Unexpanded, (Vec<String>, Vec<String>)>;

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    let traces_on = spec
        .observability
        .as_ref()
        .is_some_and(|o| o.otlp_endpoint.is_some());
    let mut found: IndexMap<Found, Reasons> = IndexMap::new();
    for (name, service) in &spec.services {
        for place in places_of(spec, service) {
            let settings = inherited_at(&spec.defaults, service, &place);
            let order = container_variables(traces_on, service, &settings);
            for (variable, value) in &settings.env {
                let position = order.get_index_of(variable.as_str());
                for reference in references(value) {
                    let why = match order.get_index_of(reference) {
                        None => Unexpanded::Undefined,
                        Some(at) if Some(at) >= position => Unexpanded::Later,
                        Some(_) => continue,
                    };
                    let layer = origin_at(&spec.defaults, service, &place, |s| {
                        s.env.contains_key(variable)
                    })
                    .expect("an inherited variable comes from a layer");
                    let mut at = layer.key_path(name, &place);
                    at.extend(["env".to_owned(), variable.clone()]);
                    let key = (at, variable.clone(), reference.to_owned());
                    let (services, places) = found.entry(key).or_default().entry(why).or_default();
                    push_new(services, name);
                    push_new(places, &place_name(&place));
                }
            }
        }
    }
    for ((at, variable, reference), mut reasons) in found {
        reasons.sort_keys();
        let at: Vec<&str> = at.iter().map(String::as_str).collect();
        let why: Vec<String> = reasons
            .iter()
            .map(|(why, (services, places))| {
                let reason = match why {
                    Unexpanded::Later => format!("`{reference}` comes after `{variable}`"),
                    Unexpanded::Undefined => format!("no variable `{reference}` is defined"),
                };
                format!("{reason} (for {} in {})", some_of(services), list(places))
            })
            .collect();
        let help = if reasons.contains_key(&Unexpanded::Later) {
            "Kubernetes expands `$(NAME)` only to a variable defined earlier in the container's list: fleetc's OpenTelemetry variables, then `pod_env` and `secrets`, then `env` in the order `[defaults]`, a cluster's overrides, the service and its overrides first name each variable; define the value where it comes first, or write `$$(NAME)` for the text itself"
        } else {
            "Kubernetes leaves a reference to an undefined variable as written; define it before this one, or write `$$(NAME)` for the text itself"
        };
        cx.report(
            Diagnostic::warning(format!(
                "`$({reference})` in `{variable}` is not expanded: {}",
                why.join("; ")
            ))
            .at(cx.spans.value(&at))
            .label("left as written")
            .help(help),
        );
    }
}

/// The variables of the service's container in the order it lists them: fleetc's
/// OpenTelemetry variables (when traces are on), `pod_env`, `secrets`, then `env`. A value of
/// the spec's for a telemetry variable keeps its place among them.
pub(super) fn container_variables<'a>(
    traces_on: bool,
    service: &'a Service,
    settings: &'a EnvSettings,
) -> IndexSet<&'a str> {
    let mut order: IndexSet<&str> = IndexSet::new();
    if traces_on {
        order.extend(otel::WRITTEN);
    }
    order.extend(service.pod_env.keys().map(String::as_str));
    order.extend(settings.secrets.keys().map(String::as_str));
    order.extend(settings.env.keys().map(String::as_str));
    order
}

/// The services a reason applies to: named, or counted when they are many.
fn some_of(services: &[String]) -> String {
    if services.len() <= 4 {
        list(services)
    } else {
        format!("{} services", services.len())
    }
}
