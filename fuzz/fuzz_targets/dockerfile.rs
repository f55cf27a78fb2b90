//! `upgrade-base --dockerfiles` on any Dockerfile: no panic, the line count kept, only lines
//! holding a version of the image changed, and every FROM of it either unchanged or at the new
//! version (the promises of `tests/suite/dockerfiles/upgrade_properties`). The first byte picks a digest or none.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/suite/dockerfiles/upgrade_properties/mod.rs"]
mod upgrade_properties;

const DIGEST: &str = "sha256:4b64fb1051fb44ee8f4009e876da4bcf28867088150c5c0f6cb7d853da9463d2";

fuzz_target!(|data: &[u8]| {
    let Some((choice, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let digest = (choice % 2 == 0).then_some(DIGEST);
    upgrade_properties::check_upgrade(text, "platform/python", "3.13", digest);
});
