//! Certificates from cert-manager: every Ingress of an environment with an issuer reads the
//! Secret its Certificate writes, for hosts that Certificate covers; an environment without an
//! issuer keeps its Ingress as before and gets no Certificate.

use crate::common;

use std::fs;
use std::path::Path;

use common::Workspace;
use fleetc::parse_documents;
use serde_json::Value;

/// Every YAML document of a tree on disk, with its path relative to the tree.
fn documents(tree: &Path) -> Vec<(String, Value)> {
    walkdir::WalkDir::new(tree)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .flat_map(|e| {
            let relative = e.path().strip_prefix(tree).unwrap().display().to_string();
            let text = fs::read_to_string(e.path()).unwrap();
            parse_documents(&text)
                .unwrap()
                .into_iter()
                .map(move |doc| (relative.clone(), doc))
        })
        .collect()
}

/// The environments of a spec that name or describe an issuer.
fn with_certificates(spec: &Path) -> Vec<String> {
    let spec: toml::Table = toml::from_str(&fs::read_to_string(spec).unwrap()).unwrap();
    spec["environments"]
        .as_table()
        .unwrap()
        .iter()
        .filter(|(_, env)| env.get("certificates").is_some())
        .map(|(name, _)| name.clone())
        .collect()
}

fn check_tree(spec: &Path, tree: &Path) {
    let docs = documents(tree);
    let envs = with_certificates(spec);
    let envs: Vec<&str> = envs.iter().map(String::as_str).collect();
    let result = common::certificates::check(docs.iter().map(|(p, d)| (p.as_str(), d)), &envs);
    if let Err(problem) = result {
        panic!("{}: {problem}", tree.display());
    }
}

#[test]
fn every_ingress_of_the_committed_trees_reads_a_certificate_covering_its_hosts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    check_tree(&root.join("spec/enterprise.toml"), &root.join("generated"));
    for case in ["edge-cases", "minimal"] {
        let dir = root.join("golden").join(case);
        check_tree(&dir.join("enterprise.toml"), &dir.join("expected"));
    }
    // The bundled spec puts every host of every environment on a certificate.
    assert_eq!(
        with_certificates(&root.join("spec/enterprise.toml")),
        ["dev", "staging", "prod"]
    );
}

/// A scratch workspace whose spec is `text`.
fn workspace(text: &str) -> Workspace {
    let ws = Workspace::with_spec("golden/minimal/enterprise.toml");
    fs::write(ws.path("spec/enterprise.toml"), text).unwrap();
    ws
}

const SERVICE: &str = "[teams.core]\nowners = [\"@gen/core\"]\n\n[base_images.py]\nimage = \"py\"\nversions.\"1\" = { status = \"approved\" }\n\n[services.api]\nteam = \"core\"\nbase = \"py:1\"\nversion = \"1.0.0\"\nroute = \"/api\"\ndeploy.prod = { blue = \"1.0.0\", green = \"1.1.0\", live = \"blue\" }\n";

#[test]
fn an_environment_without_an_issuer_keeps_its_ingresses_and_gets_no_certificate() {
    let spec = common::spec_preamble(&["dev", "prod"]) + SERVICE;
    let ws = workspace(&spec);
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    let envs = ws.path("generated/envs");
    assert!(!envs.join("prod/certificate.yaml").exists());
    assert!(!envs.join("prod/cluster-issuer.yaml").exists());
    let read = |file: &str| fs::read_to_string(envs.join(file)).unwrap();
    assert!(read("prod/ingress.yaml").contains("secretName: gen-tls"));
    assert!(read("prod/ingress-preview.yaml").contains("secretName: gen-preview-tls"));
    assert!(!read("prod/policies.yaml").contains("exclude"));
}

#[test]
fn an_acme_issuer_signs_the_live_and_preview_hosts_into_the_secret_both_ingresses_read() {
    let spec = common::spec_preamble(&["dev", "prod"]).replace(
        "domain = \"prod.example\"\n",
        "domain = \"prod.example\"\ncertificates.acme = { server = \"https://acme.example/directory\", email = \"ops@gen.example\" }\n",
    ) + SERVICE;
    let ws = workspace(&spec);
    let (code, _, stderr) = ws.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    let envs = ws.path("generated/envs");
    let read = |file: &str| fs::read_to_string(envs.join(file)).unwrap();
    let certificate = &parse_documents(&read("prod/certificate.yaml")).unwrap()[0];
    assert_eq!(certificate["spec"]["secretName"], "gen-tls");
    assert_eq!(
        certificate["spec"]["dnsNames"],
        serde_json::json!(["prod.example", "preview.prod.example"])
    );
    assert_eq!(certificate["spec"]["issuerRef"]["name"], "gen-prod-acme");
    let issuer = &parse_documents(&read("prod/cluster-issuer.yaml")).unwrap()[0];
    assert_eq!(issuer["metadata"]["name"], "gen-prod-acme");
    // Without a solver, HTTP-01 answers through the estate's ingress class, and the
    // namespace's default deny lets the ingress controller reach the solver pod.
    assert_eq!(
        issuer["spec"]["acme"]["solvers"][0]["http01"]["ingress"]["ingressClassName"],
        "nginx"
    );
    assert!(read("prod/certificate.yaml").contains("allow-acme-http01-solver"));
    for ingress in ["prod/ingress.yaml", "prod/ingress-preview.yaml"] {
        assert!(read(ingress).contains("secretName: gen-tls"), "{ingress}");
    }
    // The written ClusterIssuer is allowed in the environment's project, and in production
    // cert-manager may write the TLS Secret that Argo CD does not.
    let project = fs::read_to_string(ws.path("generated/argocd/projects/prod.yaml")).unwrap();
    assert!(project.contains("kind: ClusterIssuer"));
    assert!(read("prod/policies.yaml").contains("- gen-tls"));
    assert!(!envs.join("dev/certificate.yaml").exists());
    check_tree(&ws.path("spec/enterprise.toml"), &ws.path("generated"));
}
