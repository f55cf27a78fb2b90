use super::Context;
use crate::diagnostic::Diagnostic;
use crate::spec::ImageStatus;

/// A service built on a blocked base image version is a compile error at its `base` line.
pub fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (name, service) in &spec.services {
        let Some((image, version)) = service.base.split_once(':') else {
            continue;
        };
        let Some(catalog) = spec.base_images.get(image) else {
            continue;
        };
        let Some(entry) = catalog.versions.get(version) else {
            continue;
        };
        if entry.status != ImageStatus::Blocked {
            continue;
        }
        let reason = entry.reason.as_deref().unwrap_or("no reason given");
        let newest = catalog
            .versions
            .iter()
            .rev()
            .find(|(_, v)| v.status == ImageStatus::Approved)
            .map(|(v, _)| v.as_str());
        let help = match newest {
            Some(newest) => {
                format!("move `{name}` to `{image}:{newest}`, the newest approved version")
            }
            None => format!("base image `{image}` has no approved version; ask the platform team"),
        };
        cx.report(
            Diagnostic::error(format!(
                "base image `{image}:{version}` is blocked: {reason}"
            ))
            .at(cx.spans.value(&["services", name, "base"]))
            .label("blocked base image")
            .help(help),
        );
    }
}
