//! Specs for the unit tests of the edits.

use crate::Source;
use crate::compile::parse_spec;
use crate::spec::{Date, Spec};

/// The enterprise, environments `dev` and `prod`, team `t` and base image `py` (versions `1`
/// and `2`), then `rest`.
pub(crate) fn text_with(rest: &str) -> String {
    format!(
        "[enterprise]\nname = \"e\"\nregistry = \"r.example\"\ngitops_repo = \"https://g.example/r.git\"\nplatform_team = \"@e/platform\"\n\n\
         [environments.dev]\ncluster = \"https://dev.example\"\ndomain = \"dev.example\"\n\n\
         [environments.prod]\ncluster = \"https://prod.example\"\ndomain = \"prod.example\"\n\n\
         [teams.t]\nowners = [\"@e/t\"]\n\n\
         [base_images.py]\nimage = \"py\"\nversions.\"1\" = {{ status = \"approved\" }}\nversions.\"2\" = {{ status = \"approved\" }}\n\n{rest}"
    )
}

/// An estate whose `prod` runs in clusters `canary` (wave 0), `eu` and `us` (wave 1), with
/// service `users` at 1.0 everywhere unless `rest` deploys it otherwise.
pub(crate) fn clustered(rest: &str) -> Spec {
    toml::from_str(&format!(
        r#"
[enterprise]
name = "acme"
registry = "r.example"
gitops_repo = "https://git.example/acme/gitops.git"
platform_team = "@acme/p"
[environments.prod]
domain = "acme.example"
[environments.prod.clusters.canary]
server = "https://c.example"
[environments.prod.clusters.eu]
server = "https://eu.example"
wave = 1
[environments.prod.clusters.us]
server = "https://us.example"
wave = 1
[services.users]
team = "t"
base = "b:1"
version = "1.0"
{rest}
"#
    ))
    .expect("the clustered test spec parses")
}

pub(crate) fn parsed(text: &str) -> Spec {
    parse_spec(&Source::new("enterprise.toml", text)).expect("the test spec parses")
}

/// The bundled spec, as text.
pub(crate) fn bundled() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/enterprise.toml"),
    )
    .expect("the bundled spec is readable")
}

pub(crate) fn today() -> Date {
    Date::parse("2026-11-01").expect("a date")
}
