use std::cmp::Ordering;

use crate::edit::toml::document::document;
use crate::edit::toml::toml_path::{inline_entry, service_table, set_str};
use crate::edit::{EditError, Edited, declared};
use crate::formats::version_order::compare_versions;
use crate::spec::{ImageStatus, Spec};

/// Moves every service on an older version of base image `name` to `version`, which must be
/// approved: the next build of each uses `version`, while the versions it runs keep the base
/// they were built on (`built_on`). Services on the same or a newer version are left alone.
pub fn upgrade_base(
    spec: &Spec,
    text: &str,
    name: &str,
    version: &str,
) -> Result<Edited, EditError> {
    let catalog = declared::base_image(spec, name)?;
    let approved: Vec<&str> = catalog
        .versions
        .iter()
        .filter(|(_, v)| v.status == ImageStatus::Approved)
        .map(|(v, _)| v.as_str())
        .collect();
    match catalog.versions.get(version) {
        Some(entry) if entry.status == ImageStatus::Approved => {}
        found => {
            let status = found.map_or("not declared", |e| e.status.as_str());
            return Err(EditError::invalid(format!(
                "`{name}:{version}` is {status}; services can only be moved to an approved version"
            ))
            .help(format!(
                "approved versions of `{name}`: {}",
                approved.join(", ")
            ))
            .at(&["base_images", name, "versions", version]));
        }
    }
    let mut doc = document(text)?;
    let mut moved = Vec::new();
    let mut pending = Vec::new();
    for (service, entry) in &spec.services {
        let Some(base) = entry.base.as_deref() else {
            continue;
        };
        let Some((image, current)) = base.split_once(':') else {
            continue;
        };
        if image != name || compare_versions(current, version) != Ordering::Less {
            continue;
        }
        let table = service_table(&mut doc, service)
            .ok_or_else(|| EditError::not_a_table(&["services", service]))?;
        // What runs was built on the old base, and stays so until a new version is released.
        let unrecorded: Vec<String> = entry
            .running_tags(spec.environments.keys().map(String::as_str))
            .into_iter()
            .filter(|tag| !entry.built_on.contains_key(tag))
            .collect();
        if !unrecorded.is_empty() {
            let built_on = inline_entry(table, "built_on");
            for tag in &unrecorded {
                set_str(built_on, tag, base);
            }
        }
        set_str(table, "base", &format!("{name}:{version}"));
        moved.push(format!("{service} ({current})"));
        if !unrecorded.is_empty() {
            pending.push(format!("{service} {}", unrecorded.join(", ")));
        }
    }
    let mut summary = if moved.is_empty() {
        format!("no service is on a version of `{name}` older than {version}")
    } else {
        format!(
            "{} services move to `{name}:{version}`: {}",
            moved.len(),
            moved.join(", ")
        )
    };
    if !pending.is_empty() {
        summary.push_str(&format!(
            "\nrebuild pending: the versions running now keep their old base (recorded in `built_on`) until a new version is released: {}",
            pending.join("; ")
        ));
    }
    Ok(Edited {
        text: doc.to_string(),
        summary,
    })
}
