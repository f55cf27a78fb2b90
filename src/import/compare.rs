//! What will differ after `fleetc build`: the imported spec compiled, each service's
//! Application rendered in each environment, and each object the repository deployed for the
//! service compared with the one of its kind the build renders, field by field.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::workload::{kind_of, object_name};
use crate::compile::{CompileOptions, TreeMade, compile};
use crate::parallel::on_every_core;
use crate::render::Renderer;
use crate::review::json_diff::differing_paths;
use crate::source::Source;
use crate::source::reader::{Reader, Unreadable};
use crate::spec::Date;
use crate::tree::layout::overlay_dir;

/// How one object of the repository compares with what the build renders for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Difference {
    pub env: String,
    pub service: String,
    /// `Kind/name` of the repository's object.
    pub object: String,
    /// The rendered object it is compared with, when the build renders one of its kind.
    pub rendered: Option<String>,
    /// Fields only the build sets (labels, security defaults, …).
    pub added: Vec<String>,
    /// Fields both set, to different values.
    pub changed: Vec<String>,
    /// Fields only the repository sets: the build drops them.
    pub dropped: Vec<String>,
}

impl Difference {
    /// Whether the build keeps every field of the repository's object as it was.
    pub(crate) fn reproduces(&self) -> bool {
        self.rendered.is_some() && self.changed.is_empty() && self.dropped.is_empty()
    }
}

/// The objects of the repository, by environment and service, the build must reproduce.
pub(crate) struct Deployed<'a> {
    pub env: &'a str,
    pub service: String,
    pub objects: Vec<&'a Value>,
}

/// Compiles `spec` (the text written to `path`) and compares each of `deployed` with what
/// its Application renders; the compile's errors when the spec does not compile.
pub(crate) fn compare(
    path: &Path,
    spec: &str,
    beside: &[(String, String)],
    today: Date,
    deployed: &[Deployed],
) -> Result<Vec<Difference>, String> {
    let files: HashMap<String, Vec<u8>> = beside
        .iter()
        .map(|(path, text)| (path.clone(), text.as_bytes().to_vec()))
        .collect();
    // The files beside the spec are not written yet: they are read from the import.
    let source = Source::new(path, spec).reading_beside(Reader::new(move |relative| {
        files
            .get(relative)
            .cloned()
            .ok_or_else(|| Unreadable::Missing(relative.to_owned()))
    }));
    let compiled = compile(
        &source,
        CompileOptions::from(today).making(TreeMade::KeepingDocuments),
    )
    .map_err(|diagnostics| {
        diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.render(&source, false))
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let per_place = on_every_core(
        deployed,
        50,
        || Renderer::new(&compiled.tree),
        |renderer, place| {
            let dir = overlay_dir(&place.service, place.env, None);
            let built = renderer.render(&dir).unwrap_or_default();
            place
                .objects
                .iter()
                .map(|object| difference(place, object, &built))
                .collect::<Vec<_>>()
        },
    );
    let differences = per_place.into_iter().flatten().collect();
    Ok(differences)
}

/// The rendered object that stands for `object`: of its kind, with its name, or its name
/// and a suffix (a colour of a Deployment).
fn counterpart<'a>(object: &Value, rendered: &'a [Value]) -> Option<&'a Value> {
    let kind = kind_of(object);
    let name = object["metadata"]["name"].as_str().unwrap_or_default();
    let of_kind = || rendered.iter().filter(move |r| kind_of(r) == kind);
    of_kind()
        .find(|r| r["metadata"]["name"] == name)
        .or_else(|| {
            of_kind().find(|r| {
                r["metadata"]["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with(&format!("{name}-")))
            })
        })
}

/// The keys Kubernetes merges lists of objects by, in the order they are looked for.
const MERGE_KEYS: [&str; 4] = ["name", "containerPort", "mountPath", "port"];

/// `value` with each list of objects that all carry one merge key (containers, variables,
/// ports, volumes) turned into a table by that key (`[MODE]`), so that two lists in another
/// order, or with one more entry, compare entry by entry.
fn keyed(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), keyed(v))).collect())
        }
        Value::Array(items) => {
            let key = MERGE_KEYS.iter().find(|key| {
                let mut seen = std::collections::BTreeSet::new();
                !items.is_empty()
                    && items.iter().all(|item| {
                        item.get(**key)
                            .filter(|k| k.is_string() || k.is_number())
                            .is_some_and(|k| seen.insert(k.to_string()))
                    })
            });
            match key {
                Some(key) => Value::Object(
                    items
                        .iter()
                        .map(|item| {
                            let id = item[*key]
                                .as_str()
                                .map_or_else(|| item[*key].to_string(), str::to_owned);
                            (format!("[{id}]"), keyed(item))
                        })
                        .collect(),
                ),
                None => Value::Array(items.iter().map(keyed).collect()),
            }
        }
        other => other.clone(),
    }
}

fn difference(place: &Deployed, object: &Value, rendered: &[Value]) -> Difference {
    let mut found = Difference {
        env: place.env.to_owned(),
        service: place.service.clone(),
        object: object_name(object),
        rendered: None,
        added: Vec::new(),
        changed: Vec::new(),
        dropped: Vec::new(),
    };
    let Some(counterpart) = counterpart(object, rendered) else {
        return found;
    };
    found.rendered = Some(object_name(counterpart));
    let (object, counterpart) = (&keyed(object), &keyed(counterpart));
    for path in differing_paths(object, counterpart) {
        let pointer = format!(
            "/{}",
            path.iter()
                .map(|p| p.replace('~', "~0").replace('/', "~1"))
                .collect::<Vec<_>>()
                .join("/")
        );
        let shown = path.join(".").replace(".[", "[");
        match (object.pointer(&pointer), counterpart.pointer(&pointer)) {
            (None, Some(_)) => found.added.push(shown),
            (Some(_), None) => found.dropped.push(shown),
            _ => found.changed.push(shown),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_told_apart_as_added_changed_and_dropped() {
        let object = json!({ "kind": "Deployment", "metadata": { "name": "cart", "labels": { "team": "a" } },
                             "spec": { "replicas": 2, "paused": false } });
        let rendered = [
            json!({ "kind": "Deployment", "metadata": { "name": "cart-blue", "labels": { "app": "cart" } },
                                "spec": { "replicas": 3, "paused": false } }),
        ];
        let place = Deployed {
            env: "dev",
            service: "cart".into(),
            objects: vec![&object],
        };
        let found = difference(&place, &object, &rendered);
        assert_eq!(found.rendered.as_deref(), Some("Deployment/cart-blue"));
        assert_eq!(found.added, ["metadata.labels.app"]);
        assert_eq!(found.changed, ["metadata.name", "spec.replicas"]);
        assert_eq!(found.dropped, ["metadata.labels.team"]);
        assert!(!found.reproduces());
    }

    #[test]
    fn lists_of_objects_compare_entry_by_entry_by_their_merge_key() {
        let object = json!({ "kind": "Deployment", "metadata": { "name": "cart" },
            "env": [{ "name": "A", "value": "1" }, { "name": "B", "value": "2" }] });
        let rendered = [
            json!({ "kind": "Deployment", "metadata": { "name": "cart" },
            "env": [{ "name": "OTEL", "value": "x" }, { "name": "B", "value": "3" }, { "name": "A", "value": "1" }] }),
        ];
        let place = Deployed {
            env: "dev",
            service: "cart".into(),
            objects: vec![&object],
        };
        let found = difference(&place, &object, &rendered);
        assert_eq!(found.added, ["env[OTEL].name", "env[OTEL].value"]);
        assert_eq!(found.changed, ["env[B].value"]);
        assert!(found.dropped.is_empty());
    }

    #[test]
    fn an_object_the_build_renders_nothing_of_its_kind_for_is_not_reproduced() {
        let object = json!({ "kind": "PodDisruptionBudget", "metadata": { "name": "cart" } });
        let place = Deployed {
            env: "dev",
            service: "cart".into(),
            objects: vec![&object],
        };
        assert!(!difference(&place, &object, &[]).reproduces());
    }
}
