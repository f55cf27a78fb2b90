//! Whether Argo CD syncs an environment at a moment, by the rules of its `CanSync`: an open
//! deny window closes the environment, and so does being outside every allow window when it
//! has some (a deny window wins over an allow window open at the same time). `manual_sync` on
//! every window that closes it lets a manual sync through, and an environment with
//! `sync = "manual"` is synced by hand; an automated sync is never let through.

use jiff::Timestamp;

use super::sync_window::{Clock, WindowPeriod, window_name};
use crate::spec::{Environment, SyncMode, SyncWindow, WindowKind};

/// Why an environment takes no sync at the moment judged.
#[derive(Debug, Clone)]
pub(crate) enum Closed<'a> {
    /// A deny window is open.
    Frozen(WindowPeriod<'a>),
    /// No allow window is open; this one opens first.
    OutsideAllow(WindowPeriod<'a>),
    /// No allow window is open, nor opens again; this is the first.
    NeverAllowed {
        number: usize,
        window: &'a SyncWindow,
    },
}

impl Closed<'_> {
    /// The window that keeps the environment closed, counting from 1.
    pub(crate) fn number(&self) -> usize {
        match self {
            Self::Frozen(period) | Self::OutsideAllow(period) => period.number,
            Self::NeverAllowed { number, .. } => *number,
        }
    }

    /// `` `prod` is frozen: deny window 2 (…) is open from … until … ``.
    pub(crate) fn message(&self, env: &str) -> String {
        match self {
            Self::Frozen(period) => format!(
                "`{env}` is frozen: {} is open {}",
                period.name(),
                period.span()
            ),
            Self::OutsideAllow(period) => format!(
                "`{env}` is outside its allow windows: {} opens next, {}",
                period.name(),
                period.span()
            ),
            Self::NeverAllowed { number, window } => format!(
                "`{env}` is outside its allow windows, and none of them opens again: {} is the first",
                window_name(*number, window)
            ),
        }
    }

    pub(crate) fn help(&self) -> &'static str {
        match self {
            Self::Frozen(_) => {
                "wait until it closes, judge another moment with --now, or pass --ignore-window"
            }
            Self::OutsideAllow(_) => {
                "wait until it opens, judge another moment with --now, or pass --ignore-window"
            }
            Self::NeverAllowed { .. } => {
                "give the environment an allow window that opens, or pass --ignore-window"
            }
        }
    }
}

/// Why `environment` takes no sync at `moment`, or `None` when Argo CD would sync it.
pub(crate) fn closed_at(environment: &Environment, moment: Timestamp) -> Option<Closed<'_>> {
    let manual = environment.sync == SyncMode::Manual;
    let clocks: Vec<Clock<'_>> = environment
        .sync_windows
        .iter()
        .enumerate()
        .filter_map(|(i, window)| Clock::new(i, window))
        .collect();
    let open: Vec<WindowPeriod<'_>> = clocks.iter().filter_map(|c| c.open_at(moment)).collect();
    let mut open_denies = open.iter().filter(|p| p.window.kind == WindowKind::Deny);
    if let Some(first) = open_denies.clone().next() {
        if manual && open_denies.clone().all(|p| p.window.manual_sync) {
            return None;
        }
        // A manual sync is held back by the first that does not allow it.
        let holding = open_denies
            .find(|p| !(manual && p.window.manual_sync))
            .unwrap_or(first);
        return Some(Closed::Frozen(holding.clone()));
    }
    if open.iter().any(|p| p.window.kind == WindowKind::Allow) {
        return None;
    }
    let allows: Vec<&Clock<'_>> = clocks
        .iter()
        .filter(|c| c.window().kind == WindowKind::Allow)
        .collect();
    let first = allows.first()?;
    if manual && allows.iter().all(|c| c.window().manual_sync) {
        return None;
    }
    let soonest = allows
        .iter()
        .filter_map(|c| c.next_after(moment))
        .min_by_key(|p| p.from.timestamp());
    Some(match soonest {
        Some(period) => Closed::OutsideAllow(period),
        None => Closed::NeverAllowed {
            number: first.number(),
            window: first.window(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn environment(sync: &str, windows: &str) -> Environment {
        let text = format!(
            "cluster = \"https://c\"\ndomain = \"d.example\"\nsync = \"{sync}\"\nsync_windows = [{windows}]\n"
        );
        toml::from_str(&text).unwrap()
    }

    fn at(moment: &str) -> Timestamp {
        moment.parse().unwrap()
    }

    /// Weekdays 09:00-17:00 UTC.
    const OFFICE: &str = r#"{ kind = "allow", schedule = "0 9 * * 1-5", duration = "8h" }"#;
    /// Wednesdays 12:00-13:00 UTC.
    const LUNCH: &str = r#"{ kind = "deny", schedule = "0 12 * * 3", duration = "1h" }"#;
    /// Saturday 6 June 2026, 03:00 UTC.
    const SATURDAY_NIGHT: &str = "2026-06-06T03:00:00Z";

    #[test]
    fn without_windows_every_moment_syncs() {
        let env = environment("auto", "");
        assert!(closed_at(&env, at(SATURDAY_NIGHT)).is_none());
    }

    #[test]
    fn outside_every_allow_window_the_environment_is_closed_until_the_next_opens() {
        let env = environment("auto", OFFICE);
        let closed = closed_at(&env, at(SATURDAY_NIGHT)).expect("closed on Saturday");
        assert_eq!(closed.number(), 1);
        assert_eq!(
            closed.message("prod"),
            "`prod` is outside its allow windows: allow window 1 (`0 9 * * 1-5` for 8h) opens next, from 2026-06-08 09:00 UTC until 2026-06-08 17:00 UTC"
        );
        assert!(closed_at(&env, at("2026-06-08T09:00:00Z")).is_none());
        assert!(closed_at(&env, at("2026-06-08T16:59:59Z")).is_none());
        assert!(closed_at(&env, at("2026-06-08T17:00:00Z")).is_some());
    }

    #[test]
    fn of_several_allow_windows_one_open_is_enough_and_the_soonest_is_named() {
        let weekend = r#"{ kind = "allow", schedule = "0 6 * * 0", duration = "1h" }"#;
        let env = environment("auto", &format!("{OFFICE}, {weekend}"));
        let closed = closed_at(&env, at(SATURDAY_NIGHT)).unwrap();
        assert_eq!(closed.number(), 2, "Sunday 06:00 comes before Monday 09:00");
        assert!(closed_at(&env, at("2026-06-07T06:30:00Z")).is_none());
    }

    #[test]
    fn a_deny_window_wins_over_an_open_allow_window() {
        let env = environment("auto", &format!("{OFFICE}, {LUNCH}"));
        // Wednesday 10 June 2026.
        assert!(closed_at(&env, at("2026-06-10T11:59:00Z")).is_none());
        let closed = closed_at(&env, at("2026-06-10T12:30:00Z")).unwrap();
        assert_eq!(closed.number(), 2);
        assert!(
            closed
                .message("prod")
                .starts_with("`prod` is frozen: deny window 2")
        );
    }

    #[test]
    fn manual_sync_lets_a_manually_synced_environment_through_and_nothing_else() {
        let allow =
            r#"{ kind = "allow", schedule = "0 9 * * 1-5", duration = "8h", manual_sync = true }"#;
        let deny =
            r#"{ kind = "deny", schedule = "0 12 * * 3", duration = "1h", manual_sync = true }"#;
        let lunch = "2026-06-10T12:30:00Z";
        for windows in [allow, deny] {
            let moment = if windows == allow {
                SATURDAY_NIGHT
            } else {
                lunch
            };
            assert!(closed_at(&environment("manual", windows), at(moment)).is_none());
            assert!(closed_at(&environment("auto", windows), at(moment)).is_some());
        }
        // Every window that closes the environment must allow manual syncs.
        let env = environment("manual", &format!("{allow}, {OFFICE}"));
        assert_eq!(closed_at(&env, at(SATURDAY_NIGHT)).unwrap().number(), 1);
        let env = environment("manual", &format!("{deny}, {LUNCH}"));
        let closed = closed_at(&env, at(lunch)).expect("the second deny holds it");
        assert_eq!(
            closed.number(),
            2,
            "the window that holds manual syncs back"
        );
    }

    #[test]
    fn an_allow_window_that_never_opens_keeps_the_environment_closed() {
        let env = environment(
            "auto",
            r#"{ kind = "allow", schedule = "0 0 30 2 *", duration = "1h" }"#,
        );
        let closed = closed_at(&env, at(SATURDAY_NIGHT)).unwrap();
        assert!(
            closed.message("prod").contains("none of them opens again"),
            "{}",
            closed.message("prod")
        );
    }
}
