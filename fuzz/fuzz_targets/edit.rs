//! The spec-editing commands on any spec that parses (the release commands, `advance`,
//! `upgrade-base` and the governance edits): each edit returns new text or an error, and new
//! text is always TOML that fleetc parses and compiles without panicking.
#![no_main]

use fleetc::Source;
use fleetc::{compile, parse_spec};
use std::collections::BTreeMap;

use fleetc::{
    Approval, ExceptionRequest, ReleaseAction, ReleaseTarget, apply_advance, apply_release_action,
    approve_base, block_base, grant_exception, move_to_wave, pin_module, plan_advance, upgrade_base,
};
use fleetc::Date;
use libfuzzer_sys::fuzz_target;

const VERSIONS: [&str; 4] = ["1.0.0", "2.4.1", "v3", "1.0.0-rc.1"];
const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const PINS: [&str; 3] = ["v1.2.3", "v2.0.0@0123456789abcdef0123456789abcdef01234567", "main"];

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
    let image = pick(spec.base_images.keys().collect(), *version);
    let versions: Vec<&String> = spec
        .base_images
        .get(&image)
        .map(|catalog| catalog.versions.keys().collect())
        .unwrap_or_default();
    let base_version = pick(versions, version >> 4);
    let any_version = VERSIONS[usize::from(*version) % VERSIONS.len()];
    let edited = match action % 11 {
        4 => upgrade_base(&spec, text, &image, &base_version),
        5 => block_base(&spec, text, &image, &base_version, "CVE-0", today),
        6 => {
            let approval = Approval {
                digest: DIGEST,
                replace_digest: version & 1 != 0,
                unblock: version & 2 != 0,
            };
            let new_version = if version & 4 == 0 { base_version.as_str() } else { any_version };
            approve_base(&spec, text, &image, new_version, &approval)
        }
        7 => {
            let base = format!("{image}:{base_version}");
            let request = ExceptionRequest {
                service: &service,
                base: &base,
                expires: Date::parse("2026-12-31").expect("a valid date"),
                ticket: "SEC-1",
                reason: None,
            };
            grant_exception(&spec, text, &request, today)
        }
        8 => move_to_wave(&spec, text, &service, PINS[usize::from(*version) % 2]),
        9 => {
            let modules: Vec<&String> = spec
                .terraform
                .as_ref()
                .map(|t| t.modules.keys().collect())
                .unwrap_or_default();
            let module = pick(modules, *version);
            let env = (version & 0x80 != 0).then_some(env.as_str());
            pin_module(&spec, text, &module, env, PINS[usize::from(*version) % PINS.len()])
        }
        10 => plan_advance(&spec, &env, &ReleaseTarget::Environment, &[], &BTreeMap::new())
            .and_then(|advance| apply_advance(&spec, text, &advance)),
        n => {
            let action = match n {
                0 => ReleaseAction::Release {
                    version: any_version.to_owned(),
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
