//! The spec-editing commands on any spec that parses: each edit returns new text or an error,
//! and new text is always TOML that fleetc parses and compiles without panicking.
#![no_main]

use fleetc::Source;
use fleetc::compile::{compile, parse_spec};
use fleetc::edit::{ReleaseAction, apply_release_action, upgrade_base};
use fleetc::spec::Date;
use libfuzzer_sys::fuzz_target;

const VERSIONS: [&str; 4] = ["1.0.0", "2.4.1", "v3", "1.0.0-rc.1"];

fuzz_target!(|data: &[u8]| {
    let [action, service, env, version, rest @ ..] = data else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let source = Source::new("enterprise.toml", text);
    let Ok(spec) = parse_spec(&source) else {
        return;
    };
    let today = Date::parse("2026-11-01").expect("a valid date");
    let compiled = compile(&source, today).is_ok();
    let pick = |names: Vec<&String>, at: u8| -> String {
        if names.is_empty() {
            "missing".to_owned()
        } else {
            names[usize::from(at) % names.len()].clone()
        }
    };
    let service = pick(spec.services.keys().collect(), *service);
    let env = pick(spec.environments.keys().collect(), *env);
    let edited = match action % 5 {
        4 => {
            let image = pick(spec.base_images.keys().collect(), *version);
            let versions: Vec<&String> = spec
                .base_images
                .get(&image)
                .map(|catalog| catalog.versions.keys().collect())
                .unwrap_or_default();
            let version = pick(versions, version >> 4);
            upgrade_base(&spec, text, &image, &version)
        }
        n => {
            let action = match n {
                0 => ReleaseAction::Release {
                    version: VERSIONS[usize::from(*version) % VERSIONS.len()].to_owned(),
                    skip_order: version & 0x80 != 0,
                },
                1 => ReleaseAction::Promote,
                2 => ReleaseAction::Rollback,
                _ => ReleaseAction::Retire,
            };
            apply_release_action(&spec, text, &service, &env, &action)
        }
    };
    let Ok(edited) = edited else {
        return;
    };
    let new_source = Source::new("enterprise.toml", edited.text.as_str());
    let reparsed = parse_spec(&new_source);
    if compiled {
        assert!(
            reparsed.is_ok(),
            "an edit of a valid spec wrote text that does not parse:\n{}",
            edited.text
        );
    }
    let _ = compile(&new_source, today);
});
