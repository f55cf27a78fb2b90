//! A version a release action takes off an environment, or off one of its clusters, may run
//! nowhere any more; what it was built on (`built_on`) then goes with it.

use toml_edit::{DocumentMut, TableLike};

use crate::edit::toml::toml_path::{remove, service_table};
use crate::spec::{Service, Spec, version_tag as tag};

/// After a release action has edited `doc`: forgets the base of every version the service ran
/// before (in `spec`) and runs nowhere now, whichever release states the action was aimed at.
pub(super) fn forget_stopped_bases(
    spec: &Spec,
    doc: &mut DocumentMut,
    (service, service_name): (&Service, &str),
) {
    let environments = || spec.environments.keys().map(String::as_str);
    let before = service.running_tags(environments());
    let Some(after) = service_after(doc, service_name) else {
        return;
    };
    let running = after.running_tags(environments());
    let stopped: Vec<&String> = before.iter().filter(|t| !running.contains(t)).collect();
    if stopped.is_empty() {
        return;
    }
    if let Some(table) = service_table(doc, service_name) {
        for version in stopped {
            forget_base(table, version);
        }
    }
}

/// The service as the edited document declares it.
fn service_after(doc: &DocumentMut, service_name: &str) -> Option<Service> {
    let item = doc.get("services")?.as_table_like()?.get(service_name)?;
    let mut alone = DocumentMut::new();
    alone.insert("service", item.clone());
    let mut read: std::collections::HashMap<String, Service> =
        toml::from_str(&alone.to_string()).ok()?;
    read.remove("service")
}

/// Drops what a version that runs nowhere any more was built on; an emptied `built_on` goes.
fn forget_base(service: &mut dyn TableLike, version: &str) {
    let Some(built_on) = service
        .get_mut("built_on")
        .and_then(|i| i.as_table_like_mut())
    else {
        return;
    };
    remove(built_on, tag(version));
    if built_on.is_empty() {
        service.remove("built_on");
    }
}
