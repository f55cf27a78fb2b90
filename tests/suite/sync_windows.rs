//! The sync windows `release`, `promote` and `advance` are judged against, as Argo CD judges
//! them: an open deny window closes an environment, and so does being outside every allow
//! window it has; `manual_sync` on a window lets a manually synced environment through. A
//! refusal names the window, shows its line in the spec and says when things change.

use crate::common;

use std::fs;

use common::Workspace;

const DIGEST_A: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// Thursday 24 December 2026, 10:00 UTC: inside the bundled spec's peak season freeze and
/// inside its Monday-to-Thursday allow window.
const FREEZE: &str = "2026-12-24T10:00:00Z";
/// Saturday 6 June 2026, 03:00 UTC: outside the `init` spec's weekday allow window.
const SATURDAY_NIGHT: &str = "2026-06-06T03:00:00Z";

fn spec_text(ws: &Workspace) -> String {
    fs::read_to_string(ws.path("spec/enterprise.toml")).unwrap()
}

/// The bundled spec, whose freeze holds manual syncs back too.
fn hard_freeze() -> Workspace {
    Workspace::with_spec("spec/enterprise.toml")
}

/// The bundled spec with a freeze that lets manual syncs through.
fn soft_freeze() -> Workspace {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    ws.edit_spec(
        r#"duration = "336h" }"#,
        r#"duration = "336h", manual_sync = true }"#,
    );
    ws
}

/// The spec `fleetc init` writes: one allow window on `prod`, weekdays 09:00-17:00 UTC, and
/// `search` with a release in flight there.
fn init_spec() -> Workspace {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    let (code, _, stderr) = ws.run(&["init", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    ws
}

fn advance_catalog_into_prod(now: &str) -> Vec<String> {
    [
        "advance",
        "--from",
        "staging",
        "catalog",
        "--digest",
        &format!("catalog={DIGEST_A}"),
        "--now",
        now,
    ]
    .map(str::to_owned)
    .to_vec()
}

#[test]
fn a_window_refusal_shows_the_line_of_the_window() {
    let ws = hard_freeze();
    let before = spec_text(&ws);
    let release = [
        "release",
        "storefront",
        &format!("3.8.1@{DIGEST_A}"),
        "--env",
        "prod",
        "--now",
        FREEZE,
    ];
    let promote = ["promote", "users", "--env", "prod", "--now", FREEZE];
    let advance = advance_catalog_into_prod(FREEZE);
    let advance: Vec<&str> = advance.iter().map(String::as_str).collect();
    for command in [&release[..], &promote[..], &advance[..]] {
        let (code, _, stderr) = ws.run(command);
        assert_eq!(code, 1, "{command:?}: {stderr}");
        assert!(stderr.contains("`prod` is frozen"), "{stderr}");
        // The deny window is the second entry of `sync_windows`, on line 36.
        assert!(
            stderr.contains("--> spec/enterprise.toml:36:3"),
            "{command:?}: {stderr}"
        );
        assert!(stderr.contains(r#"{ kind = "deny""#), "{stderr}");
    }
    assert_eq!(spec_text(&ws), before);
}

#[test]
fn releases_and_promotions_into_a_frozen_environment_are_refused_with_the_window_named() {
    let ws = hard_freeze();
    let before = spec_text(&ws);
    let (code, _, stderr) = ws.run(&["promote", "users", "--env", "prod", "--now", FREEZE]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("`prod` is frozen: deny window 2 (`0 0 20 12 *` for 336h) is open from 2026-12-20 00:00 UTC until 2027-01-03 00:00 UTC"),
        "{stderr}"
    );
    assert!(stderr.contains("wait until it closes"), "{stderr}");
    assert!(stderr.contains("--ignore-window"), "{stderr}");
    let advance = advance_catalog_into_prod(FREEZE);
    let advance: Vec<&str> = advance.iter().map(String::as_str).collect();
    let (code, _, stderr) = ws.run(&advance);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("`prod` is frozen"), "{stderr}");
    assert_eq!(spec_text(&ws), before);

    let ignore = [
        "promote",
        "users",
        "--env",
        "prod",
        "--now",
        FREEZE,
        "--ignore-window",
    ];
    let (code, _, stderr) = ws.run(&ignore);
    assert_eq!(code, 0, "{stderr}");
    // Rolling back is how trouble ends: never refused by a window.
    let (code, _, stderr) = ws.run(&["rollback", "users", "--env", "prod", "--now", FREEZE]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn outside_every_allow_window_an_environment_takes_no_release() {
    let ws = init_spec();
    let before = spec_text(&ws);
    let promote = [
        "promote",
        "search",
        "--env",
        "prod",
        "--now",
        SATURDAY_NIGHT,
    ];
    let (code, _, stderr) = ws.run(&promote);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "`prod` is outside its allow windows: allow window 1 (`0 9 * * 1-5` for 8h) opens next, from 2026-06-08 09:00 UTC until 2026-06-08 17:00 UTC"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> spec/enterprise.toml:30:17"),
        "{stderr}"
    );
    assert!(stderr.contains("--ignore-window"), "{stderr}");
    let release = [
        "release",
        "users",
        "1.1.0",
        "--env",
        "prod",
        "--skip-order",
        "--now",
        SATURDAY_NIGHT,
    ];
    let (code, _, stderr) = ws.run(&release);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("outside its allow windows"), "{stderr}");
    assert_eq!(spec_text(&ws), before);

    // Inside the window, or told to ignore it, the promotion goes through.
    let monday = [
        "promote",
        "search",
        "--env",
        "prod",
        "--now",
        "2026-06-08T10:00:00Z",
    ];
    let (code, _, stderr) = ws.run(&monday);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = ws.run(&[
        "rollback",
        "search",
        "--env",
        "prod",
        "--now",
        SATURDAY_NIGHT,
    ]);
    assert_eq!(code, 0, "rollback is never refused: {stderr}");
    let ignore = [
        "promote",
        "search",
        "--env",
        "prod",
        "--now",
        SATURDAY_NIGHT,
        "--ignore-window",
    ];
    let (code, _, stderr) = ws.run(&ignore);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn manual_sync_on_a_window_lets_a_manually_synced_environment_through() {
    // The bundled prod syncs by hand; a freeze that allows manual syncs lets a person sync
    // during it in Argo CD, so the promotion is not refused.
    let ws = soft_freeze();
    let promote = ["promote", "users", "--env", "prod", "--now", FREEZE];
    let (code, _, stderr) = ws.run(&promote);
    assert_eq!(code, 0, "{stderr}");

    // Synced automatically, the same environment waits for the freeze to end.
    let ws = soft_freeze();
    ws.edit_spec(
        "domain = \"shop.northwind.example\"\nsync = \"manual\"",
        "domain = \"shop.northwind.example\"\nsync = \"auto\"",
    );
    let (code, _, stderr) = ws.run(&promote);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("`prod` is frozen: deny window 2"),
        "{stderr}"
    );

    // Outside an allow window that allows manual syncs, likewise.
    let ws = init_spec();
    ws.edit_spec(
        r#"duration = "8h" }"#,
        r#"duration = "8h", manual_sync = true }"#,
    );
    let promote = [
        "promote",
        "search",
        "--env",
        "prod",
        "--now",
        SATURDAY_NIGHT,
    ];
    let (code, _, stderr) = ws.run(&promote);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_freeze_ends_when_its_duration_has_passed_and_the_allow_window_is_open_again() {
    let ws = hard_freeze();
    // Sunday 3 January 2027: the freeze is over but the allow window is Monday to Thursday.
    let sunday = [
        "promote",
        "users",
        "--env",
        "prod",
        "--now",
        "2027-01-03T00:00:00Z",
    ];
    let (code, _, stderr) = ws.run(&sunday);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("allow window 1 (`0 9 * * 1-4` for 7h, Europe/London) opens next, from 2027-01-04 09:00 GMT until 2027-01-04 16:00 GMT"),
        "{stderr}"
    );
    assert!(stderr.contains("--> spec/enterprise.toml:35:3"), "{stderr}");
    let monday = [
        "promote",
        "users",
        "--env",
        "prod",
        "--now",
        "2027-01-04T09:30:00Z",
    ];
    let (code, _, stderr) = ws.run(&monday);
    assert_eq!(code, 0, "{stderr}");
}

/// A deny window that lets manual syncs through, on an environment synced only by hand,
/// blocks nothing: said where `manual_sync` is written.
#[test]
fn a_deny_window_that_blocks_nothing_is_a_located_warning() {
    let ws = soft_freeze();
    let (code, _, stderr) = ws.run(&["validate", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "warning: deny window 2 of `prod` blocks nothing: `prod` is synced by hand \
             (`sync = \"manual\"`), and `manual_sync = true` lets manual syncs through the \
             window"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--> spec/enterprise.toml:36:"), "{stderr}");
    assert!(
        stderr.contains("help: remove `manual_sync` to freeze `prod`, or remove the window"),
        "{stderr}"
    );

    ws.edit_spec(r#"sync = "manual""#, r#"sync = "auto""#);
    let (code, _, stderr) = ws.run(&["validate", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("blocks nothing"), "{stderr}");
}
