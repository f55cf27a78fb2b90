//! `upgrade-base --dockerfiles` on any Dockerfile: only FROM lines of the image change, and
//! every other line comes back byte for byte.
#![no_main]

use fleetc::dockerfile::upgrade_from_lines;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (rewritten, changes) =
        upgrade_from_lines(text, "registry.example.com/base/node", "22.4.0", None);
    if changes.is_empty() {
        assert_eq!(rewritten, text, "no change reported, yet the text changed");
    }
    assert_eq!(
        rewritten.split('\n').count(),
        text.split('\n').count(),
        "a rewrite added or removed lines"
    );
});
