//! The files a service lists beside the spec: for environments it runs in, and each once for
//! the places that meet (a file listed twice would be copied over itself, or applied twice).
//! What is in them is read and checked after validation, when they are loaded.

use super::context::Context;
use crate::formats::spec_file_path::contained;
use crate::source::diagnostic::Diagnostic;
use crate::spec::{Listed, Listing};

pub(super) fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (name, service) in &spec.services {
        let listed = service.listed_files(name);
        for (index, entry) in listed.iter().enumerate() {
            let span = entry_span(cx, entry);
            if let Some(env) = entry.env
                && spec.environments.contains_key(env)
                && !service.deployed_to(env)
            {
                cx.report(
                    Diagnostic::error(format!(
                        "`{name}` lists `{}` for `{env}`, but is not deployed there",
                        entry.file
                    ))
                    .at(span.clone())
                    .label("not deployed here")
                    .help(format!(
                        "add `{env}` to `services.{name}.environments`, or remove this entry"
                    )),
                );
                continue;
            }
            // A configuration file is text held in a ConfigMap, never copied: one file may
            // serve several paths and places.
            if entry.listing == Listing::Config {
                continue;
            }
            let earlier = listed[..index].iter().find(|other| {
                if other.listing == Listing::Config {
                    return false;
                }
                let same = match (contained(other.file), contained(entry.file)) {
                    (Ok(a), Ok(b)) => a == b,
                    _ => false,
                };
                // Listed once as objects and once as a patch, it would be copied over itself.
                same && meet(other, entry)
            });
            if let Some(earlier) = earlier {
                cx.report(
                    Diagnostic::error(format!(
                        "`{}` is listed twice for one place, here and at `{}`",
                        entry.file,
                        earlier.key.join(".")
                    ))
                    .at(span)
                    .label("listed again")
                    .help("list it once: an environment takes the service's files, and a cluster its environment's"),
                );
            }
        }
    }
}

fn entry_span(cx: &Context<'_>, entry: &Listed<'_>) -> Option<std::ops::Range<usize>> {
    let key = entry.key_parts();
    let with_file = [&key[..], &["file"]].concat();
    cx.spans.value(&with_file).or_else(|| cx.spans.value(&key))
}

/// Whether two entries' places share an overlay (or the base).
fn meet(a: &Listed<'_>, b: &Listed<'_>) -> bool {
    let either_none = |x: Option<&str>, y: Option<&str>| x.is_none() || y.is_none() || x == y;
    either_none(a.env, b.env) && (a.env != b.env || either_none(a.cluster, b.cluster))
}

#[cfg(test)]
mod tests {
    use super::meet;
    use crate::spec::{Listed, Listing};

    fn at(env: Option<&'static str>, cluster: Option<&'static str>) -> Listed<'static> {
        Listed {
            key: Vec::new(),
            listing: Listing::Manifest,
            file: "a.yaml",
            target: None,
            mount: None,
            env,
            cluster,
        }
    }

    #[test]
    fn places_meet_where_one_holds_the_other() {
        let service = at(None, None);
        let prod = at(Some("prod"), None);
        let prod_us = at(Some("prod"), Some("us"));
        assert!(meet(&service, &prod_us));
        assert!(meet(&prod, &prod_us));
        assert!(meet(&prod_us, &prod_us));
        assert!(!meet(&prod, &at(Some("dev"), None)));
        assert!(!meet(&prod_us, &at(Some("prod"), Some("eu"))));
    }
}
