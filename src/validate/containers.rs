//! The container's command and arguments, and the variables it reads from its pod: what
//! Kubernetes would refuse, or would run as nothing.

use super::context::Context;
use super::secrets::variable_name_problem;
use crate::source::diagnostic::Diagnostic;
use crate::spec::PodField;

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (name, service) in &spec.services {
        for (key, given) in [("command", &service.command), ("args", &service.args)] {
            if given.as_ref().is_some_and(Vec::is_empty) {
                cx.report(
                    Diagnostic::error(format!("`{key}` of `{name}` is empty"))
                        .at(cx.spans.value(&["services", name, key]))
                        .label("runs nothing")
                        .help(format!(
                            "leave `{key}` out to run the image's own, or list the words: `{key} = [\"/app/server\", \"--serve\"]`"
                        )),
                );
            }
        }
        for (variable, path) in &service.pod_env {
            let at = ["services", name.as_str(), "pod_env", variable.as_str()];
            if let Some(problem) = variable_name_problem(variable) {
                cx.report(
                    Diagnostic::error(format!(
                        "variable name `{}` of `{name}` is not one Kubernetes accepts: {problem}",
                        variable.escape_debug()
                    ))
                    .at(cx.spans.key(&at))
                    .label("invalid name")
                    .help("for example `POD_IP`: letters, digits, `_`, `-` and `.`"),
                );
            }
            if let Err(valid) = PodField::parse(path) {
                cx.report(
                    Diagnostic::error(format!(
                        "`{}` is no field a pod gives its container (`pod_env.{variable}` of `{name}`)",
                        path.escape_debug()
                    ))
                    .at(cx.spans.value(&at))
                    .label("unknown field")
                    .help(valid),
                );
            }
            let elsewhere = defined_elsewhere(spec, service, variable);
            if let Some(elsewhere) = elsewhere {
                cx.report(
                    Diagnostic::error(format!(
                        "`{variable}` of `{name}` is read from the pod and also set in `{elsewhere}`; a container has one value per variable"
                    ))
                    .at(cx.spans.key(&at))
                    .label("defined twice")
                    .help(format!("keep one: remove it from `pod_env` or from `{elsewhere}`")),
                );
            }
        }
    }
}

/// Where else the spec gives the service's container `variable`, if anywhere.
fn defined_elsewhere(
    spec: &crate::spec::Spec,
    service: &crate::spec::Service,
    variable: &str,
) -> Option<&'static str> {
    if service.secrets.contains_key(variable)
        || service.overrides.values().any(|o| {
            o.secrets.contains_key(variable)
                || o.clusters
                    .values()
                    .any(|c| c.secrets.contains_key(variable))
        })
    {
        return Some("secrets");
    }
    let in_env = spec.defaults.env.contains_key(variable)
        || service.env.contains_key(variable)
        || service.overrides.values().any(|o| {
            o.env.contains_key(variable)
                || o.clusters.values().any(|c| c.env.contains_key(variable))
        });
    in_env.then_some("env")
}
