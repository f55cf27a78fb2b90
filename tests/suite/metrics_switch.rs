//! `metrics = { enabled = false }` on a service: what else its table says is read by nothing,
//! and said so, located at the key.

use crate::common;

use common::Workspace;

#[test]
fn a_port_beside_metrics_turned_off_is_a_located_warning() {
    let ws = Workspace::with_spec("spec/enterprise.toml");
    ws.edit_spec(
        "metrics = { port = 9000 }  # served on the service's own port",
        "metrics = { enabled = false, port = 9000 }",
    );
    let (code, _, stderr) = ws.run(&["validate", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "warning: `auth` serves no metrics, so its metrics `port` is read by nothing"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--> spec/enterprise.toml:147:"), "{stderr}");
    assert!(!stderr.contains("`path` is read by nothing"), "{stderr}");

    ws.edit_spec(
        "metrics = { enabled = false, port = 9000 }",
        "metrics = { enabled = false }",
    );
    let (code, _, stderr) = ws.run(&["validate", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("read by nothing"), "{stderr}");
}
