use std::collections::BTreeMap;

use jiff::SignedDuration;

use super::edit::Leniency;
use super::run::{EXIT_OK, Outcome, Run};
use crate::compile::parse_spec;
use crate::edit::{Advance, EditError, ReleaseTarget, apply_advance, plan_advance, stays_summary};
use crate::git::{SoakPlace, live_since};
use crate::spec::{Spec, version_tag as tag};

impl Run<'_> {
    pub(super) fn advance(
        &self,
        (from, target): (&str, &ReleaseTarget),
        services: &[String],
        soak: Option<SignedDuration>,
        digests: &BTreeMap<String, String>,
        ignore_window: bool,
        show_diff: bool,
    ) -> Outcome {
        // Nothing to move is an answer, not a failure: a scheduled advance finds it often.
        let source = self.source()?;
        if let Ok(spec) = parse_spec(&source)
            && let Ok(advance) = plan_advance(&spec, from, target, services, digests)
            && advance.moves.is_empty()
        {
            println!("{}", nothing_to_advance(&advance));
            return Ok(EXIT_OK);
        }
        self.edit_spec(Leniency::Release, show_diff, |spec, text| {
            let advance = plan_advance(spec, from, target, services, digests)?;
            if !ignore_window {
                super::sync_windows::refuse_outside_sync_windows(spec, &advance.to, self.now)?;
            }
            if let Some(soak) = soak {
                self.refuse_unsoaked(spec, &advance, target, soak)?;
            }
            apply_advance(spec, text, &advance)
        })
    }

    /// Every version must have been live for `soak` where it proves itself before the aimed
    /// clusters (the earlier environment, or the earlier waves of the next), by the commit
    /// time of the commit that made it live there.
    fn refuse_unsoaked(
        &self,
        spec: &Spec,
        advance: &Advance,
        target: &ReleaseTarget,
        soak: SignedDuration,
    ) -> Result<(), EditError> {
        let wanted: Vec<(String, String)> = advance
            .moves
            .iter()
            .map(|m| (m.service.clone(), tag(&m.version).to_owned()))
            .collect();
        let (env, clusters) = advance.soaks_in();
        let place = SoakPlace { env, clusters };
        let soaked_in = advance.soaked_in();
        let since = live_since(self.spec, &place, &wanted)
            .map_err(|e| EditError::invalid(format!("cannot read the spec's history: {e}")))?;
        let mut young = Vec::new();
        let mut ready = Vec::new();
        let mut shallow = false;
        for (service, version) in &wanted {
            match &since[service] {
                None => young.push((
                    service.as_str(),
                    format!("`{service}` {version}: not live in {soaked_in} in any commit yet"),
                )),
                Some(live) => {
                    let age = self.now.duration_since(live.time);
                    if age < soak && live.history_cut {
                        shallow = true;
                        young.push((service.as_str(), format!(
                            "`{service}` {version}: live in {soaked_in} at least since commit {} ({} ago), the oldest commit this shallow clone has; the history that says since when is missing",
                            live.commit,
                            friendly(age),
                        )));
                    } else if age < soak {
                        young.push((service.as_str(), format!(
                            "`{service}` {version}: live in {soaked_in} for {} (since commit {}), less than {}",
                            friendly(age),
                            live.commit,
                            friendly(soak)
                        )));
                    } else {
                        ready.push(service.as_str());
                    }
                }
            }
        }
        if young.is_empty() {
            return Ok(());
        }
        let help = if shallow {
            "fetch the whole history and run again: `git fetch --unshallow`, or in GitHub \
             Actions `fetch-depth: 0` on actions/checkout"
                .to_owned()
        } else if ready.is_empty() {
            "wait, or advance without --soak".to_owned()
        } else {
            format!(
                "the soaked ones alone: `fleetc advance --from {} {}{} --soak {}`",
                advance.from,
                ready.join(" "),
                match target {
                    ReleaseTarget::Environment => String::new(),
                    ReleaseTarget::Wave(wave) => format!(" --wave {wave}"),
                    ReleaseTarget::Cluster(cluster) => format!(" --cluster {cluster}"),
                },
                friendly(soak)
            )
        };
        let headline = if shallow {
            "cannot tell how long these have soaked"
        } else {
            "not soaked long enough"
        };
        let first_young = young.first().map_or("", |(service, _)| *service);
        let young: Vec<&str> = young.iter().map(|(_, line)| line.as_str()).collect();
        Err(EditError::refused(format!(
            "{headline} in {soaked_in}:\n  {}",
            young.join("\n  ")
        ))
        .help(help)
        .at(&crate::edit::state_at(spec, first_young, env)))
    }
}

fn nothing_to_advance(advance: &Advance) -> String {
    let mut lines = vec![format!(
        "nothing to advance from `{}` to {}",
        advance.from,
        advance.destination()
    )];
    lines.extend(stays_summary(advance));
    lines.join("\n")
}

/// `26h 5m`, rounded down to the minute.
fn friendly(duration: SignedDuration) -> String {
    let minutes = duration.as_secs() / 60;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}
