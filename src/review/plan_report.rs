//! What `plan` reports, in every format from one value: the impact of the change, and the
//! workloads still running on an older base than their service's next build.

use std::fmt::Write;

use super::Impact;
use crate::model::RebuildPending;

pub(crate) struct PlanReport {
    pub impact: Impact,
    pub rebuild_pending: Vec<RebuildPending>,
}

impl PlanReport {
    pub(crate) fn to_text(&self) -> String {
        let mut out = self.impact.to_text();
        if !self.rebuild_pending.is_empty() {
            let _ = writeln!(out, "\nRebuild pending ({}):", self.rebuild_pending.len());
            for workload in &self.rebuild_pending {
                let _ = writeln!(out, "  {workload}");
            }
        }
        out
    }

    pub(crate) fn to_markdown(&self) -> String {
        let mut out = self.impact.to_markdown();
        if !self.rebuild_pending.is_empty() {
            let _ = writeln!(
                out,
                "\n#### Rebuild pending ({})\n\nThese keep their old base until a new version is released.\n",
                self.rebuild_pending.len()
            );
            out.push_str(
                "| Service | Environment | Version | Built on | Next build |\n| --- | --- | --- | --- | --- |\n",
            );
            for w in &self.rebuild_pending {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | `{}` | `{}` |",
                    w.service, w.environment, w.version, w.built_on, w.next_build
                );
            }
        }
        out
    }

    pub(crate) fn to_json(&self) -> serde_json::Value {
        let mut report = self.impact.to_json();
        report["rebuild_pending"] = serde_json::json!(self.rebuild_pending);
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> PlanReport {
        PlanReport {
            impact: Impact::default(),
            rebuild_pending: vec![RebuildPending {
                service: "users".into(),
                environment: "prod".into(),
                version: "1.4.2".into(),
                built_on: "python:1.1".into(),
                next_build: "python:1.2".into(),
            }],
        }
    }

    #[test]
    fn markdown_shows_the_rebuilds_pending_as_text_and_json_do() {
        let report = report();
        assert!(report.to_text().contains(
            "Rebuild pending (1):\n  users in prod runs 1.4.2 built on python:1.1 (next build: python:1.2)"
        ));
        assert!(report.to_markdown().contains(
            "#### Rebuild pending (1)\n\nThese keep their old base until a new version is released.\n\n| Service | Environment | Version | Built on | Next build |\n| --- | --- | --- | --- | --- |\n| `users` | prod | 1.4.2 | `python:1.1` | `python:1.2` |\n"
        ));
        assert_eq!(
            report.to_json()["rebuild_pending"][0]["next_build"],
            "python:1.2"
        );
    }
}
