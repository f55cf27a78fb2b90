//! Any text given as a spec: parse → validate → resolve → emit must return a tree or
//! diagnostics, and every diagnostic must render against the text it points into.
#![no_main]

use fleetc::Source;
use fleetc::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Source::new("enterprise.toml", text);
    let today = Date::parse("2026-11-01").expect("a valid date");
    match fleetc::compile(&source, today) {
        Ok(compiled) => {
            for warning in &compiled.warnings {
                warning.render(&source, false);
                warning.github_annotation(&source);
            }
            let again = fleetc::compile(&source, today).expect("a spec that compiled compiles again");
            assert!(compiled.tree == again.tree, "two compiles of one spec differ");
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "a failed compile must say why");
            for diagnostic in &diagnostics {
                diagnostic.render(&source, false);
                diagnostic.github_annotation(&source);
            }
        }
    }
});
