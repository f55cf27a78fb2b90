//! The preview a reviewer reads on a pull request: summary table first, one collapsible
//! section per Application, a Mermaid diagram of the traffic that moves, split into parts
//! that each fit in one GitHub comment.

use std::fmt::Write;

use super::{AppChange, AppImpact, Impact};

/// Separates the parts of a preview too long for one comment; post each part on its own.
pub const PART_SEPARATOR: &str = "<!-- fleetc: next comment -->";

const RESERVED: usize = 300;

pub(crate) fn markdown_comment(impact: &Impact, base: &str, limit: usize) -> Vec<String> {
    let mut head = impact.to_markdown().replacen(
        "### fleetc plan",
        &format!("### fleetc diff against `{base}`"),
        1,
    );
    if let Some(diagram) = traffic_diagram(impact) {
        head.push('\n');
        head.push_str(&diagram);
    }
    // Room for the part header, the continuation note and the separator.
    let budget = limit.saturating_sub(RESERVED);
    let sections: Vec<String> = impact
        .applications()
        .map(|app| section(app, budget))
        .collect();
    let mut parts = vec![head];
    for section in sections {
        let current = parts.last_mut().expect("at least the head");
        if current.len() + section.len() < budget {
            current.push('\n');
            current.push_str(&section);
        } else {
            parts.push(section);
        }
    }
    let total = parts.len();
    if total > 1 {
        for (i, part) in parts.iter_mut().enumerate() {
            if i > 0 {
                part.insert_str(
                    0,
                    &format!(
                        "### fleetc diff against `{base}` (part {} of {total})\n\n",
                        i + 1
                    ),
                );
            } else {
                part.push_str(&format!(
                    "\n_Continued in {} more comment{}._\n",
                    total - 1,
                    if total == 2 { "" } else { "s" }
                ));
            }
        }
    }
    parts
}

/// A collapsible section with the rendered diff; one that cannot fit in a comment on its own
/// says so in one line instead of being cut.
fn section(app: &AppImpact, limit: usize) -> String {
    let changes: Vec<String> = app.changes.iter().map(AppChange::describe).collect();
    let summary = format!(
        "<details><summary><code>{}</code>: {}</summary>\n\n",
        app.name(),
        changes.join(", ")
    );
    let body = format!("```diff\n{}```\n</details>\n", app.diff);
    if summary.len() + body.len() > limit {
        let lines = app.diff.lines().count();
        return format!(
            "{summary}The rendered diff has {lines} lines, more than one comment holds; run `fleetc diff` locally to read it.\n</details>\n"
        );
    }
    format!("{summary}{body}")
}

/// Who now receives live and preview traffic, for the Applications whose routing changes.
fn traffic_diagram(impact: &Impact) -> Option<String> {
    let mut lines = Vec::new();
    for app in impact.applications() {
        let Some(service) = &app.service else {
            continue;
        };
        // Each cluster of an environment has its own hosts: its own nodes, named
        // `<env>/<cluster>`.
        let (place, place_id) = match &app.cluster {
            Some(cluster) => (
                format!("{}/{cluster}", app.environment),
                format!("{}_{cluster}", app.environment).replace('-', "_"),
            ),
            None => (app.environment.clone(), app.environment.clone()),
        };
        for change in &app.changes {
            let node = format!("{service}_{place_id}").replace('-', "_");
            match change {
                AppChange::ColourSwitch { from, to } => lines.push(format!(
                    "  {place_id}_live[\"{place} live traffic\"] -->|was {from}| {node}[\"{service}: {to} live\"]"
                )),
                AppChange::Colour { workload, running: true } => lines.push(format!(
                    "  {place_id}_preview[\"{place} preview host\"] -.-> {node}_new[\"{workload} (idle)\"]"
                )),
                AppChange::Colour { workload, running: false } => lines.push(format!(
                    "  {node}_gone[\"{workload} retired\"]"
                )),
                _ => {}
            }
        }
    }
    if lines.is_empty() {
        return None;
    }
    let mut out = String::from("```mermaid\nflowchart LR\n");
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
    out.push_str("```\n");
    Some(out)
}
