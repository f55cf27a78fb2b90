//! A request above its limit: the API server refuses a Pod whose CPU or memory request is
//! greater than its limit. Requests and limits are inherited key by key, so the two sides of
//! the comparison can come from different layers; the check runs on what each environment a
//! service runs in ends up with, fleetc's default request included.

use indexmap::IndexMap;

use super::context::Context;
use super::places::{list, place_name, places_of, push_new};
use crate::formats::quantity::nanos;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{DEFAULT_CPU, DEFAULT_MEMORY};
use crate::spec::{Layer, Place, Resources, Service, inherited_at, origin_at};

/// One of the two comparisons: its name, its keys, and fleetc's request when no layer gives one.
struct Pair {
    what: &'static str,
    request: &'static str,
    limit: &'static str,
    default_request: &'static str,
    request_of: fn(&Resources) -> &Option<String>,
    limit_of: fn(&Resources) -> Option<&String>,
}

const PAIRS: [Pair; 2] = [
    Pair {
        what: "CPU",
        request: "cpu",
        limit: "cpu_limit",
        default_request: DEFAULT_CPU,
        request_of: |r| &r.cpu,
        limit_of: |r| r.cpu_limit.as_ref(),
    },
    Pair {
        what: "memory",
        request: "memory",
        limit: "memory_limit",
        default_request: DEFAULT_MEMORY,
        request_of: |r| &r.memory,
        limit_of: |r| {
            r.memory_limit
                .as_ref()
                .and_then(crate::spec::Limit::quantity)
        },
    },
];

/// One problem: the key it is written at, which pair, the request (and whether fleetc chose
/// it) and the limit.
type Problem = (Vec<String>, usize, String, bool, String);

/// Where one problem is found: the same key can give it to several environments and services.
#[derive(Default)]
struct Found {
    envs: Vec<String>,
    services: Vec<String>,
}

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    let mut problems: IndexMap<Problem, Found> = IndexMap::new();
    for (name, service) in &spec.services {
        for place in places_of(spec, service) {
            let resources = inherited_at(&spec.defaults, service, &place).resources;
            for (index, pair) in PAIRS.iter().enumerate() {
                let Some(limit) = (pair.limit_of)(&resources) else {
                    continue;
                };
                let given = (pair.request_of)(&resources).as_deref();
                let request = given.unwrap_or(pair.default_request);
                let (Some(wanted), Some(allowed)) = (nanos(request), nanos(limit)) else {
                    continue;
                };
                if wanted <= allowed {
                    continue;
                }
                let at = blamed_key(cx, service, name, &place, pair);
                let problem = (
                    at,
                    index,
                    request.to_owned(),
                    given.is_none(),
                    limit.clone(),
                );
                let found = problems.entry(problem).or_default();
                push_new(&mut found.envs, &place_name(&place));
                push_new(&mut found.services, name);
            }
        }
    }
    for ((at, index, request, by_default, limit), found) in problems {
        cx.report(diagnostic(
            cx,
            &at,
            &PAIRS[index],
            &request,
            by_default,
            &limit,
            &found,
        ));
    }
}

fn diagnostic(
    cx: &Context<'_>,
    at: &[String],
    pair: &Pair,
    request: &str,
    by_default: bool,
    limit: &str,
    found: &Found,
) -> Diagnostic {
    let at: Vec<&str> = at.iter().map(String::as_str).collect();
    let shown = if by_default {
        format!(
            "{request} (fleetc's default, as no `{}` is set)",
            pair.request
        )
    } else {
        request.to_owned()
    };
    let inherited_by = if at.first() == Some(&"defaults") {
        format!("inherited by {}; ", list(&found.services))
    } else {
        String::new()
    };
    Diagnostic::error(format!(
        "in {}, the {} request {shown} is above its limit {limit}",
        list(&found.envs),
        pair.what,
    ))
    .at(cx.spans.value(&at))
    .label(if at.last() == Some(&pair.request) {
        "request above its limit"
    } else {
        "limit below its request"
    })
    .help(format!(
        "{inherited_by}Kubernetes refuses a Pod whose request is greater than its limit: set `{}` to at least {request}, or `{}` to at most {limit}",
        pair.limit, pair.request
    ))
}

/// The key to point at: the more specific of the request's and the limit's (the request's
/// when both are in the same layer), the limit's when fleetc chose the request.
fn blamed_key(
    cx: &Context<'_>,
    service: &Service,
    name: &str,
    place: &Place<'_>,
    pair: &Pair,
) -> Vec<String> {
    let defaults = &cx.spec.defaults;
    let request = origin_at(defaults, service, place, |s| {
        (pair.request_of)(&s.resources).is_some()
    });
    let limit = origin_at(defaults, service, place, |s| {
        (pair.limit_of)(&s.resources).is_some()
    });
    let (layer, key) = match (request, limit) {
        (Some(request), Some(limit)) if request >= limit => (request, pair.request),
        (_, Some(limit)) => (limit, pair.limit),
        (Some(request), None) => (request, pair.request),
        (None, None) => (Layer::Defaults, pair.limit),
    };
    let mut path = layer.key_path(name, place);
    path.extend(["resources".to_owned(), key.to_owned()]);
    path
}
