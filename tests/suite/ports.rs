//! Ports of every protocol: what a service listens on decides its Service, its probes, what
//! its NetworkPolicy opens, what its route reaches, and a change to any of them shows in plan.

use std::fs;

use crate::common::Workspace;

const SPEC: &str = "golden/protocols/enterprise.toml";

fn generated(ws: &Workspace, path: &str) -> String {
    fs::read_to_string(ws.path(&format!("generated/{path}"))).unwrap()
}

#[test]
fn a_grpc_port_is_probed_by_grpc_and_exposed_with_its_protocol() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    let deployment = generated(&ws, "apps/cart/colours/blue/deployment.yaml");
    assert!(
        deployment.contains("grpc:\n            port: 7070"),
        "{deployment}"
    );
    assert!(!deployment.contains("httpGet"), "{deployment}");
    let service = generated(&ws, "apps/cart/base/service.yaml");
    assert!(
        service.contains("- name: grpc\n    port: 7070\n    targetPort: grpc\n    protocol: TCP\n    appProtocol: grpc"),
        "{service}"
    );
}

#[test]
fn a_tcp_store_is_probed_by_a_connection_and_udp_is_never_probed() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    let redis = generated(&ws, "apps/redis/colours/blue/deployment.yaml");
    assert!(
        redis.contains("tcpSocket:\n            port: redis"),
        "{redis}"
    );
    let statsd = generated(&ws, "apps/statsd/colours/blue/deployment.yaml");
    assert!(
        statsd.contains("tcpSocket:\n            port: admin"),
        "{statsd}"
    );
    assert!(statsd.contains("protocol: UDP"), "{statsd}");
    let service = generated(&ws, "apps/statsd/base/service.yaml");
    assert!(service.contains("port: 8125"), "{service}");
}

#[test]
fn a_route_reaches_the_port_it_names_and_only_that_port_is_opened_to_the_ingress() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    let ingress = generated(&ws, "envs/prod/ingress.yaml");
    assert!(
        ingress.contains("name: api\n            port:\n              name: web"),
        "{ingress}"
    );
    let policy = generated(&ws, "apps/api/base/networkpolicy.yaml");
    let from_ingress = policy
        .split("- from:")
        .find(|rule| rule.contains("ingress-nginx"))
        .unwrap();
    assert!(from_ingress.contains("port: web"), "{policy}");
    assert!(!from_ingress.contains("port: grpc"), "{policy}");
    let from_callers = policy
        .split("- from:")
        .find(|rule| rule.contains("matchExpressions"))
        .unwrap();
    assert!(
        from_callers.contains("port: web") && from_callers.contains("port: grpc"),
        "{policy}"
    );
}

#[test]
fn a_route_to_a_grpc_port_is_on_the_environments_grpc_ingress_and_its_preview() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    let grpc = generated(&ws, "envs/dev/ingress-grpc.yaml");
    assert!(
        grpc.contains("nginx.ingress.kubernetes.io/backend-protocol: GRPC"),
        "{grpc}"
    );
    assert!(
        grpc.contains("- path: /hipstershop.CartService\n        pathType: Prefix\n        backend:\n          service:\n            name: cart\n            port:\n              name: grpc"),
        "{grpc}"
    );
    let http = generated(&ws, "envs/dev/ingress.yaml");
    assert!(!http.contains("name: cart\n"), "{http}");
    assert!(!http.contains("backend-protocol"), "{http}");
    // The controller reaches the gRPC port, and only it.
    let policy = generated(&ws, "apps/cart/base/networkpolicy.yaml");
    assert!(
        policy.contains("kubernetes.io/metadata.name: ingress-nginx\n    ports:\n    - port: grpc"),
        "{policy}"
    );
    let line = grpc
        .lines()
        .position(|l| l.contains("CartService"))
        .unwrap()
        + 1;
    let (code, stdout, stderr) = ws.run(&[
        "why",
        &format!("generated/envs/dev/ingress-grpc.yaml:{line}"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("services.cart.route"), "{stdout}");
    // A release in flight previews its idle colour on the preview host, over gRPC too.
    let (code, _, stderr) = ws.run(&["release", "cart", "2.2.0", "--env", "dev"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ws.run(&["build"]).0, 0);
    let preview = generated(&ws, "envs/dev/ingress-grpc-preview.yaml");
    assert!(preview.contains("name: shop-grpc-preview"), "{preview}");
    assert!(preview.contains("backend-protocol: GRPC"), "{preview}");
    assert!(preview.contains("name: cart-preview"), "{preview}");
}

#[test]
fn a_port_change_shows_in_plan_as_ports_and_probes_and_why_names_the_port() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    ws.edit_spec(
        "ports.grpc = { port = 3550, protocol = \"grpc\" }",
        "ports.grpc = { port = 3551, protocol = \"grpc\" }",
    );
    let (code, stdout, stderr) = ws.run(&["plan", "--color", "never"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("catalog-prod  probes, ports"), "{stdout}");
    assert_eq!(ws.run(&["build"]).0, 0);
    let service = generated(&ws, "apps/catalog/base/service.yaml");
    let line = service
        .lines()
        .position(|l| l.contains("port: 3551"))
        .unwrap()
        + 1;
    let (code, stdout, stderr) = ws.run(&[
        "why",
        &format!("generated/apps/catalog/base/service.yaml:{line}"),
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("this line comes from `services.catalog.ports.grpc`"),
        "{stdout}"
    );
}

#[test]
fn a_probe_table_checks_what_it_names_with_its_timings_and_false_turns_one_off() {
    let ws = Workspace::with_spec(SPEC);
    assert_eq!(ws.run(&["build"]).0, 0);
    let cart = generated(&ws, "apps/cart/colours/blue/deployment.yaml");
    let readiness = cart.split("readinessProbe:").nth(1).unwrap();
    assert!(
        readiness.contains("service: hipstershop.CartService\n          initialDelaySeconds: 5"),
        "{cart}"
    );
    let redis = generated(&ws, "apps/redis/colours/blue/deployment.yaml");
    let liveness = redis.split("livenessProbe:").nth(1).unwrap();
    assert!(
        liveness.contains("- redis-cli\n            - ping"),
        "{redis}"
    );
    assert!(liveness.contains("periodSeconds: 15"), "{redis}");
    assert!(liveness.contains("timeoutSeconds: 5"), "{redis}");
    let statsd = generated(&ws, "apps/statsd/colours/blue/deployment.yaml");
    assert!(!statsd.contains("readinessProbe"), "{statsd}");
    assert!(statsd.contains("livenessProbe"), "{statsd}");
    let line = cart
        .lines()
        .position(|l| l.contains("service: hipstershop.CartService"))
        .unwrap()
        + 1;
    let (code, stdout, stderr) = ws.run(&[
        "why",
        &format!("generated/apps/cart/colours/blue/deployment.yaml:{line}"),
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("this line comes from `services.cart.probes.readiness`"),
        "{stdout}"
    );
}
