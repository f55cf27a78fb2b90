//! `depends_on` across environments: a call to a service that does not run where the caller
//! runs is a warning, located at the entry.

use crate::common;

use common::Workspace;

#[test]
fn a_dependency_missing_from_one_of_the_callers_environments_is_a_located_warning() {
    let ws = Workspace::with_spec("tests/fixtures/dependency-missing-in-environment.toml");
    let (code, _, stderr) = ws.run(&["validate", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: `users` depends on `orders`, which does not run in `prod`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> spec/enterprise.toml:31:15"),
        "{stderr}"
    );
}
