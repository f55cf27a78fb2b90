//! The import's report: per service and environment what was read into the spec and what
//! was not, and the objects no service claimed, as text and as JSON. Nothing the spec cannot
//! say leaves without a line here.

use std::fmt::Write;

use serde_json::{Value, json};

use super::compare::Difference;
use super::layout::Layout;
use super::spec_text::Imported;
use super::workload::LeftOver;

pub(crate) struct Report {
    pub layout: Layout,
    pub places: usize,
    pub services: Vec<ServiceReport>,
    /// Objects no service claimed, by environment.
    pub unclaimed: Vec<(String, LeftOver)>,
    pub notes: Vec<String>,
    /// Each object of the repository against what the build renders for it.
    pub differences: Vec<Difference>,
    /// Whether the spec compiled, so that the build's objects were compared.
    pub compared: bool,
}

pub(crate) struct ServiceReport {
    pub name: String,
    pub kind: &'static str,
    pub environments: Vec<String>,
    /// Fields the spec does not say, by environment.
    pub left_over: Vec<(String, LeftOver)>,
}

impl ServiceReport {
    pub(crate) fn of(service: &Imported) -> Self {
        Self {
            name: service.name.to_owned(),
            kind: service.by_env[0].1.kind,
            environments: service
                .by_env
                .iter()
                .map(|(env, _)| (*env).to_owned())
                .collect(),
            left_over: service
                .by_env
                .iter()
                .flat_map(|(env, found)| {
                    found
                        .left_over
                        .iter()
                        .map(|left| ((*env).to_owned(), left.clone()))
                })
                .collect(),
        }
    }
}

impl Report {
    pub(crate) fn new(layout: Layout, places: usize) -> Self {
        Self {
            layout,
            places,
            services: Vec::new(),
            unclaimed: Vec::new(),
            notes: Vec::new(),
            differences: Vec::new(),
            compared: false,
        }
    }

    pub(crate) fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    pub(crate) fn unclaimed(&mut self, env: &str, left: LeftOver) {
        self.unclaimed.push((env.to_owned(), left));
    }

    /// Whether the spec says everything the repository deploys.
    pub(crate) fn is_whole(&self) -> bool {
        self.unclaimed.is_empty()
            && self.services.iter().all(|s| s.left_over.is_empty())
            && self.compared
            && self.differences.iter().all(Difference::reproduces)
    }

    pub(crate) fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "layout: {} ({} places)", self.layout, self.places);
        let _ = writeln!(out, "{} services imported", self.services.len());
        for service in &self.services {
            let _ = writeln!(
                out,
                "\n{} ({}) in {}",
                service.name,
                service.kind,
                service.environments.join(", ")
            );
            if service.left_over.is_empty() {
                let _ = writeln!(out, "  everything read into the spec");
            }
            for (env, left) in &service.left_over {
                let _ = writeln!(
                    out,
                    "  not imported in {env}: {} {}",
                    left.object, left.field
                );
            }
            for difference in self
                .differences
                .iter()
                .filter(|d| d.service == service.name)
            {
                difference_text(&mut out, difference);
            }
        }
        if !self.unclaimed.is_empty() {
            let _ = writeln!(out, "\nobjects no service claims (not imported):");
            for (env, left) in &self.unclaimed {
                let _ = writeln!(out, "  {env}: {}", left.object);
            }
        }
        if !self.notes.is_empty() {
            let _ = writeln!(out, "\nnotes:");
            for note in &self.notes {
                let _ = writeln!(out, "  {note}");
            }
        }
        out
    }

    pub(crate) fn to_json(&self) -> Value {
        let left = |(env, left): &(String, LeftOver)| json!({ "environment": env, "object": left.object, "field": left.field });
        json!({
            "layout": format!("{:?}", self.layout),
            "places": self.places,
            "whole": self.is_whole(),
            "services": self.services.iter().map(|s| json!({
                "name": s.name,
                "kind": s.kind,
                "environments": s.environments,
                "not_imported": s.left_over.iter().map(left).collect::<Vec<_>>(),
                "after_build": self.differences.iter().filter(|d| d.service == s.name).map(|d| json!({
                    "environment": d.env,
                    "object": d.object,
                    "rendered": d.rendered,
                    "reproduced": d.reproduces(),
                    "added": d.added,
                    "changed": d.changed,
                    "dropped": d.dropped,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "unclaimed": self.unclaimed.iter().map(left).collect::<Vec<_>>(),
            "notes": self.notes,
        })
    }
}

/// The fields shown of a kind before the rest are counted.
const SHOWN: usize = 12;

/// How one object compares after the build: what changes and what goes in full, what the
/// build adds counted.
fn difference_text(out: &mut String, difference: &Difference) {
    let Some(rendered) = &difference.rendered else {
        let _ = writeln!(
            out,
            "  after build in {}: {} is not rendered (nothing of its kind): it goes",
            difference.env, difference.object
        );
        return;
    };
    let _ = writeln!(
        out,
        "  after build in {}: {} as {rendered}: {} changed, {} dropped, {} added by fleetc",
        difference.env,
        difference.object,
        difference.changed.len(),
        difference.dropped.len(),
        difference.added.len()
    );
    for (what, fields) in [
        ("changed", &difference.changed),
        ("dropped", &difference.dropped),
    ] {
        for field in fields.iter().take(SHOWN) {
            let _ = writeln!(out, "    {what}: {field}");
        }
        if fields.len() > SHOWN {
            let _ = writeln!(out, "    … and {} more {what}", fields.len() - SHOWN);
        }
    }
}
