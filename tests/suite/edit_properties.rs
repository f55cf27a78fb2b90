//! Rules the spec-editing commands keep on every generated spec: an edit touches only what it
//! names, and release → promote → rollback gives traffic back to the colour that had it.

use crate::common;

use std::fmt::Write;

use fleetc::Date;
use fleetc::parse_spec;
use fleetc::{ReleaseAction, apply_release_action, upgrade_base};
use fleetc::{Source, compile};
use proptest::prelude::*;

const ENVS: [&str; 3] = ["dev", "staging", "prod"];

/// What one environment of a generated service runs.
#[derive(Debug, Clone)]
enum Running {
    /// No `deploy` entry: the service's `version` on blue.
    Default,
    /// One colour.
    One { live_green: bool, patch: u8 },
    /// Both colours, one of them live: a release in flight.
    Both { live_green: bool, patch: u8 },
}

#[derive(Debug, Clone)]
struct GenService {
    base_version: u8,
    inline_deploy: bool,
    running: Vec<Running>,
}

fn running() -> impl Strategy<Value = Running> {
    prop_oneof![
        Just(Running::Default),
        (any::<bool>(), 0u8..9).prop_map(|(live_green, patch)| Running::One { live_green, patch }),
        (any::<bool>(), 0u8..9).prop_map(|(live_green, patch)| Running::Both { live_green, patch }),
    ]
}

fn service() -> impl Strategy<Value = GenService> {
    (
        0u8..3,
        any::<bool>(),
        prop::collection::vec(running(), ENVS.len()),
    )
        .prop_map(|(base_version, inline_deploy, running)| GenService {
            base_version,
            inline_deploy,
            running,
        })
}

fn deploy_value(running: &Running) -> Option<String> {
    let (live_green, patch, both) = match running {
        Running::Default => return None,
        Running::One { live_green, patch } => (*live_green, *patch, false),
        Running::Both { live_green, patch } => (*live_green, *patch, true),
    };
    let live_version = format!("1.0.{patch}");
    let other_version = format!("1.1.{patch}");
    let (blue, green) = if live_green {
        (both.then_some(other_version), Some(live_version))
    } else {
        (Some(live_version), both.then_some(other_version))
    };
    let mut parts = Vec::new();
    if let Some(blue) = blue {
        parts.push(format!("blue = \"{blue}\""));
    }
    if let Some(green) = green {
        parts.push(format!("green = \"{green}\""));
    }
    let live = if live_green { "green" } else { "blue" };
    parts.push(format!("live = \"{live}\""));
    Some(parts.join(", "))
}

/// A spec in the layouts people write: deploy entries inline or as tables of their own,
/// with comments between them.
fn spec_text(services: &[GenService]) -> String {
    let mut text = common::spec_preamble(&ENVS);
    text.push_str(
        "[teams.t]\nowners = [\"@gen/t\"]\n\n[base_images.node]\nimage = \"base/node\"\n",
    );
    text.push_str(
        "versions.\"20.1.0\" = {}\nversions.\"20.2.0\" = {}\nversions.\"20.3.0\" = {}\n\n",
    );
    for (i, service) in services.iter().enumerate() {
        let _ = write!(
            text,
            "# service {i}\n[services.svc{i}]\nteam = \"t\"\nbase = \"node:20.{}.0\"\nversion = \"1.0.0\"\nroute = \"/svc{i}\"\n",
            service.base_version + 1
        );
        let entries: Vec<(&str, String)> = ENVS
            .iter()
            .zip(&service.running)
            .filter_map(|(env, running)| deploy_value(running).map(|value| (*env, value)))
            .collect();
        if service.inline_deploy {
            for (env, value) in &entries {
                let _ = writeln!(text, "deploy.{env} = {{ {value} }}  # state of {env}");
            }
            text.push('\n');
        } else {
            text.push('\n');
            for (env, value) in &entries {
                let _ = writeln!(
                    text,
                    "[services.svc{i}.deploy.{env}]\n{}\n",
                    value.replace(", ", "\n")
                );
            }
        }
    }
    text
}

fn today() -> Date {
    Date::parse("2026-11-22").unwrap()
}

fn edit(text: &str, service: &str, env: &str, action: &ReleaseAction) -> String {
    let spec = parse_spec(&Source::new("enterprise.toml", text)).unwrap();
    match apply_release_action(&spec, text, service, env, action) {
        Ok(edited) => edited.text,
        Err(error) => panic!("{action:?} of {service} in {env} failed: {error}\n{text}"),
    }
}

/// The spec as data, with the keys at `remove` (dotted paths) taken out, and tables left
/// empty by that removed as well (an edit may create `deploy` to hold its entry).
fn without(text: &str, remove: &[Vec<&str>]) -> toml::Table {
    fn take(table: &mut toml::Table, path: &[&str]) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        if rest.is_empty() {
            table.remove(*first);
            return;
        }
        if let Some(inner) = table.get_mut(*first).and_then(toml::Value::as_table_mut) {
            take(inner, rest);
            if inner.is_empty() {
                table.remove(*first);
            }
        }
    }
    let mut table: toml::Table = text.parse().unwrap();
    for path in remove {
        take(&mut table, path);
    }
    table
}

/// Lines in one text and not the other, either way.
fn changed_lines(before: &str, after: &str) -> Vec<String> {
    let diff = similar::TextDiff::from_lines(before, after);
    diff.iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| c.value().to_owned())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn release_promote_rollback_gives_traffic_back(
        services in prop::collection::vec(service(), 1..6),
        pick in any::<prop::sample::Index>(),
        env_pick in 0usize..ENVS.len(),
        version in "[1-3]\\.[0-9]\\.[0-9]",
    ) {
        let text = spec_text(&services);
        let original = compile(&Source::new("enterprise.toml", text.clone()), today())
            .unwrap_or_else(|d| panic!("{d:#?}\n{text}"));
        let service = format!("svc{}", pick.index(services.len()));
        let env = ENVS[env_pick];
        let live_before = original.spec.services[&service].deploy.get(env).map(|d| d.live);

        let spec = parse_spec(&Source::new("enterprise.toml", text.clone())).unwrap();
        let release = ReleaseAction::Release { version: version.clone(), skip_order: true };
        let Ok(released) = apply_release_action(&spec, &text, &service, env, &release) else {
            // Refused only because that version is already live there.
            prop_assert!(spec.services[&service].deploy.get(env).is_some_and(|d| d.version(d.live) == Some(version.as_str()))
                || (spec.services[&service].deploy.get(env).is_none() && version == "1.0.0"));
            return Ok(());
        };
        let released = released.text;
        let promoted = edit(&released, &service, env, &ReleaseAction::Promote);
        let rolled_back = edit(&promoted, &service, env, &ReleaseAction::Rollback);

        let after = compile(&Source::new("enterprise.toml", rolled_back.clone()), today())
            .unwrap_or_else(|d| panic!("{d:#?}\n{rolled_back}"));
        let state = &after.spec.services[&service].deploy[env];
        prop_assert_eq!(Some(state.live), live_before.or(Some(fleetc::Colour::Blue)));
        prop_assert_eq!(state.version(state.live.other()), Some(version.as_str()), "the release stays on the idle colour");
        // Traffic goes where it went before: the live Service is the same file.
        let selector = format!("apps/{service}/overlays/{env}/service-patch.yaml");
        prop_assert_eq!(original.tree.get(&selector), after.tree.get(&selector));
        // Nothing but that one deploy entry moved, through all three edits.
        let entry = vec!["services", service.as_str(), "deploy", env];
        prop_assert_eq!(without(&text, std::slice::from_ref(&entry)), without(&rolled_back, &[entry]));
        for line in changed_lines(&text, &rolled_back) {
            prop_assert!(
                line.starts_with(&format!("deploy.{env} ")) || line.starts_with("blue") || line.starts_with("green")
                    || line.starts_with("live") || line.starts_with("previous") || line.starts_with(&format!("[services.{service}.deploy.{env}]"))
                    || line.trim().is_empty(),
                "unexpected line changed: {line:?}\n--- before\n{text}\n--- after\n{rolled_back}"
            );
        }
    }

    #[test]
    fn every_edit_touches_only_its_deploy_entry(
        services in prop::collection::vec(service(), 1..6),
        pick in any::<prop::sample::Index>(),
        env_pick in 0usize..ENVS.len(),
        action in 0u8..4,
    ) {
        let text = spec_text(&services);
        let spec = parse_spec(&Source::new("enterprise.toml", text.clone())).unwrap();
        let service = format!("svc{}", pick.index(services.len()));
        let env = ENVS[env_pick];
        let action = match action {
            0 => ReleaseAction::Release { version: "9.9.9".to_owned(), skip_order: true },
            1 => ReleaseAction::Promote,
            2 => ReleaseAction::Rollback,
            _ => ReleaseAction::Retire,
        };
        let Ok(edited) = apply_release_action(&spec, &text, &service, env, &action) else {
            return Ok(());
        };
        prop_assert!(parse_spec(&Source::new("enterprise.toml", edited.text.clone())).is_ok(), "{}", edited.text);
        let entry = vec!["services", service.as_str(), "deploy", env];
        prop_assert_eq!(without(&text, std::slice::from_ref(&entry)), without(&edited.text, &[entry]));
        // Every comment is still there.
        let comments = |t: &str| t.lines().filter(|l| l.contains('#')).map(|l| l[l.find('#').unwrap()..].to_owned()).collect::<Vec<_>>();
        prop_assert_eq!(comments(&text), comments(&edited.text));
    }

    #[test]
    fn upgrade_base_moves_only_older_services(
        services in prop::collection::vec(service(), 1..8),
        target in 0u8..3,
    ) {
        let text = spec_text(&services);
        let spec = parse_spec(&Source::new("enterprise.toml", text.clone())).unwrap();
        let version = format!("20.{}.0", target + 1);
        let edited = upgrade_base(&spec, &text, "node", &version).unwrap();
        let moved: Vec<String> = services
            .iter()
            .enumerate()
            .filter(|(_, s)| s.base_version < target)
            .map(|(i, _)| format!("svc{i}"))
            .collect();
        let after = parse_spec(&Source::new("enterprise.toml", edited.text.clone())).unwrap();
        for (name, service) in &after.services {
            let was = &spec.services[name].base;
            if moved.contains(name) {
                prop_assert_eq!(service.base.clone(), Some(format!("node:{version}")));
            } else {
                prop_assert_eq!(&service.base, was);
            }
        }
        // What runs keeps the base it was built on; only the next build's base moves.
        for (name, service) in &after.services {
            let before = &spec.services[name];
            for tag in before.running_tags(ENVS) {
                prop_assert_eq!(service.base_of(&tag), before.base_of(&tag), "{} {}", name, tag);
            }
        }
        let keys: Vec<Vec<&str>> = moved
            .iter()
            .flat_map(|name| [vec!["services", name.as_str(), "base"], vec!["services", name.as_str(), "built_on"]])
            .collect();
        prop_assert_eq!(without(&text, &keys), without(&edited.text, &keys));
        prop_assert_eq!(changed_lines(&text, &edited.text).len(), 3 * moved.len(), "base changes, one `built_on` line added");
    }
}

/// Edits started together on one spec: each either lands or fails, and none that reports
/// success is lost. Without the lock, the last rename wins and drops the others' changes.
#[test]
fn concurrent_edits_all_land() {
    use std::process::{Command, Stdio};
    let binary = assert_cmd::cargo::cargo_bin("fleetc");
    let quiet = GenService {
        base_version: 0,
        inline_deploy: true,
        running: vec![Running::Default; ENVS.len()],
    };
    let mut text = spec_text(&vec![quiet; 3]);
    text.push_str("[terraform]\nsource = \"git::https://g.example/modules.git\"\nmodules = { vpc = \"v1.2.0\" }\n");
    let pin = "v1.9.9@0123456789abcdef0123456789abcdef01234567";
    let edits: [(&[&str], String); 4] = [
        (
            &["release", "svc0", "7.7.1", "--env", "dev", "--skip-order"],
            "\"7.7.1\"".into(),
        ),
        (
            &["release", "svc1", "7.7.2", "--env", "dev", "--skip-order"],
            "\"7.7.2\"".into(),
        ),
        (
            &["pin-module", "vpc", "--env", "dev", pin],
            format!("dev = \"{pin}\""),
        ),
        (
            &[
                "release",
                "svc2",
                "7.7.3",
                "--env",
                "staging",
                "--skip-order",
            ],
            "\"7.7.3\"".into(),
        ),
    ];
    for round in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("enterprise.toml");
        std::fs::write(&spec, &text).unwrap();
        let running: Vec<_> = edits
            .iter()
            .map(|(args, _)| {
                Command::new(&binary)
                    .current_dir(dir.path())
                    .args(["--spec", "enterprise.toml", "--color", "never"])
                    .args(*args)
                    .args(["--now", "2026-06-02T12:00:00Z"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let results: Vec<_> = running
            .into_iter()
            .map(|child| child.wait_with_output().unwrap())
            .collect();
        let edited = std::fs::read_to_string(&spec).unwrap();
        for ((args, change), output) in edits.iter().zip(&results) {
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(0),
                "round {round}: {args:?} failed: {stderr}"
            );
            assert!(
                edited.contains(change.as_str()),
                "round {round}: {args:?} reported success, but {change} is not in the spec:\n{edited}"
            );
        }
        compile(&Source::new("enterprise.toml", edited.clone()), today())
            .unwrap_or_else(|d| panic!("round {round}: the result compiles: {d:#?}"));
    }
}

/// How a generated spec is saved: its line endings, and whether it starts with a byte order mark.
#[derive(Debug, Clone, Copy)]
enum Saved {
    Lf,
    Crlf,
    /// Every other line `\r\n`, as a file edited on two systems ends up.
    Mixed,
}

fn saved_as(text: &str, saved: Saved, bom: bool) -> String {
    let mut out = String::from(if bom { "\u{feff}" } else { "" });
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let crlf = match saved {
            Saved::Lf => false,
            Saved::Crlf => true,
            Saved::Mixed => i % 2 == 1,
        };
        match line.strip_suffix('\n') {
            Some(bare) if crlf => {
                out.push_str(bare);
                out.push_str("\r\n");
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// Runs one edit command on `text` saved in a scratch folder; the exit code and the file after.
fn edited_by_cli(text: &str, args: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("enterprise.toml");
    std::fs::write(&spec, text).unwrap();
    let output = assert_cmd::Command::cargo_bin("fleetc")
        .unwrap()
        .current_dir(dir.path())
        .args(["--spec", "enterprise.toml", "--now", "2026-06-02T12:00:00Z"])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        std::fs::read_to_string(&spec).unwrap(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// An edit of a spec saved with `\r\n` (or a mix, or a byte order mark) changes the same
    /// lines as the edit of the same spec saved with `\n`, and keeps every other byte.
    #[test]
    fn an_edit_keeps_the_file_s_line_endings_and_byte_order_mark(
        services in prop::collection::vec(service(), 1..4),
        pick in any::<prop::sample::Index>(),
        env_pick in 0usize..ENVS.len(),
        action in 0u8..5,
        saved in prop_oneof![Just(Saved::Lf), Just(Saved::Crlf), Just(Saved::Mixed)],
        bom in any::<bool>(),
    ) {
        let text = spec_text(&services);
        let service = format!("svc{}", pick.index(services.len()));
        let env = ENVS[env_pick];
        let args: Vec<&str> = match action {
            0 => vec!["release", &service, "9.9.9", "--env", env, "--skip-order"],
            1 => vec!["promote", &service, "--env", env],
            2 => vec!["rollback", &service, "--env", env],
            3 => vec!["retire", &service, "--env", env],
            _ => vec!["upgrade-base", "node", "20.3.0"],
        };
        let styled = saved_as(&text, saved, bom);
        let (plain_code, plain_after) = edited_by_cli(&text, &args);
        let (code, after) = edited_by_cli(&styled, &args);
        prop_assert_eq!(code, plain_code);
        if code != 0 {
            prop_assert_eq!(&after, &styled, "a refused edit leaves the file as it was");
            return Ok(());
        }
        let bare = |t: &str| t.trim_start_matches('\u{feff}').replace("\r\n", "\n");
        prop_assert_eq!(bare(&after), plain_after.clone(), "the same edit");
        prop_assert_eq!(after.starts_with('\u{feff}'), bom);
        if !matches!(saved, Saved::Mixed) {
            prop_assert_eq!(&after, &saved_as(&plain_after, saved, bom));
        }
        prop_assert_eq!(
            changed_lines(&styled, &after).len(),
            changed_lines(&text, &plain_after).len(),
            "only the lines the edit is about change"
        );
    }
}
