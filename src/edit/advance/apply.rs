//! An advance written into the spec: every move in one edit, through the same code path as
//! the release commands.

use toml_edit::DocumentMut;

use super::plan::Advance;
use crate::edit::release::{Aimed, ReleaseAction, edit_states, release_in};
use crate::edit::toml::document::document;
use crate::edit::toml::toml_path::set_str;
use crate::edit::{EditError, Edited};
use crate::spec::{Service, Spec, Strategy, version_tag as tag};

/// Writes every move into the spec in one edit.
pub fn apply_advance(spec: &Spec, text: &str, advance: &Advance) -> Result<Edited, EditError> {
    let mut doc = document(text)?;
    let mut lines = vec![format!(
        "advance `{}` → {}: {} service{} move{}",
        advance.from,
        advance.destination(),
        advance.moves.len(),
        if advance.moves.len() == 1 { "" } else { "s" },
        if advance.moves.len() == 1 { "s" } else { "" },
    )];
    for step in &advance.moves {
        let service = (&spec.services[&step.service], step.service.as_str());
        let into = (advance.to.as_str(), &step.into);
        let said = if service.0.strategy == Strategy::BlueGreen {
            // The verdict has checked both orders: the environments' and the waves'.
            let action = ReleaseAction::Release {
                version: step.version.clone(),
                skip_order: true,
            };
            release_in(spec, &mut doc, service, into, &action)?
        } else {
            roll_out(spec, &mut doc, service, into, &step.version)?
        };
        // A move into several clusters says a line for each.
        lines.extend(said.lines().map(|line| format!("  {line}")));
    }
    lines.extend(stays_summary(advance));
    Ok(Edited {
        text: doc.to_string(),
        summary: lines.join("\n"),
    })
}

/// A Rollout's live version changes in each state aimed at; Argo Rollouts shifts the traffic.
fn roll_out(
    spec: &Spec,
    doc: &mut DocumentMut,
    (service, service_name): (&Service, &str),
    (env, aimed): (&str, &Aimed),
    version: &str,
) -> Result<String, EditError> {
    edit_states(
        doc,
        (service, service_name),
        (env, &spec.environments[env]),
        aimed,
        |entry, state, at| {
            set_str(entry, state.live.as_str(), version);
            if entry.get("live").is_none() {
                set_str(entry, "live", state.live.as_str());
            }
            Ok(format!(
                "{}: the Rollout moves to {} ({})",
                at.text,
                tag(version),
                service.strategy.as_str()
            ))
        },
    )
}

/// The services that stay, one line each where there is a reason to look, and those already
/// live in one line: an advance of a large estate stays short.
pub(crate) fn stays_summary(advance: &Advance) -> Vec<String> {
    const NAMED: usize = 5;
    let (stays, to) = (&advance.stays, advance.destination());
    let mut lines: Vec<String> = stays
        .iter()
        .filter(|s| !s.settled)
        .map(|s| format!("  `{}` stays: {}", s.service, s.reason))
        .collect();
    let settled: Vec<&str> = stays
        .iter()
        .filter(|s| s.settled)
        .map(|s| s.service.as_str())
        .collect();
    match settled.len() {
        0 => {}
        n if n <= NAMED => lines.push(format!("  already live in {to}: {}", settled.join(", "))),
        n => lines.push(format!(
            "  already live in {to}: {} and {} more",
            settled[..NAMED].join(", "),
            n - NAMED
        )),
    }
    lines
}
