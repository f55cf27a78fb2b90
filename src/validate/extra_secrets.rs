//! The service's secrets a sidecar or an init container reads too: each a variable of the
//! service's `secrets` in every place it runs (the Secret holds no other), and not also one of
//! the container's own `env`.

use super::context::Context;
use super::places::{list, places_without_secret};
use crate::source::diagnostic::Diagnostic;
use crate::spec::{ContainerSettings, Service};

pub(super) fn check(
    cx: &mut Context<'_>,
    svc: &str,
    service: &Service,
    container: &ContainerSettings<'_>,
) {
    let spec = cx.spec;
    let owner = format!("{svc}.{}", container.name);
    for (index, variable) in container.secrets.iter().enumerate() {
        let index = index.to_string();
        let at = [
            "services",
            svc,
            container.table,
            container.name,
            "secrets",
            &index,
        ];
        let missing = places_without_secret(spec, service, variable);
        if !missing.is_empty() {
            cx.report(
                Diagnostic::error(format!(
                    "`{owner}` reads secret `{variable}`, which is no secret of `{svc}` in {}",
                    list(&missing)
                ))
                .at(cx.spans.value(&at))
                .label("no such secret")
                .help(format!(
                    "read it from the store for the service first: `secrets = {{ {variable} = \"<entry>#<property>\" }}`; the container then reads it from the service's Secret"
                )),
            );
        } else if container.env.contains_key(variable) {
            cx.report(
                Diagnostic::error(format!(
                    "`{owner}` reads `{variable}` from the service's Secret and sets it in `env` too"
                ))
                .at(cx.spans.value(&at))
                .label("set twice")
                .help("keep one: the secret, or the value in `env`"),
            );
        }
    }
}
