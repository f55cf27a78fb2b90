//! fleetc's own hydration equals `kubectl kustomize` on every overlay of the bundled specs and
//! golden cases: the same documents in the same sequence.

use std::path::Path;
use std::process::Command;

use fleetc::Date;
use fleetc::apply;
use fleetc::changes;
use fleetc::{Source, compile};
use fleetc::{overlays, parse_documents, render};
use serde_json::Value;

/// `apiVersion kind namespace/name` of each document, in sequence.
fn sequence(documents: &[Value]) -> Vec<String> {
    documents
        .iter()
        .map(|d| {
            let field = |v: &Value| v.as_str().unwrap_or("").to_owned();
            format!(
                "{} {} {}/{}",
                field(&d["apiVersion"]),
                field(&d["kind"]),
                field(&d["metadata"]["namespace"]),
                field(&d["metadata"]["name"]),
            )
        })
        .collect()
}

fn check_spec(spec: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(spec)).unwrap();
    let compiled = compile(&Source::new(spec, text), Date::parse("2026-11-22").unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    apply(dir.path(), &changes(&compiled.tree, dir.path()).unwrap()).unwrap();
    let overlays = overlays(&compiled.tree);
    let chunks: Vec<Vec<String>> = overlays
        .chunks(overlays.len().div_ceil(2).max(1))
        .map(<[String]>::to_vec)
        .collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let (tree, base) = (&compiled.tree, dir.path());
                scope.spawn(move || {
                    for overlay in chunk {
                        let output = Command::new("kubectl")
                            .args(["kustomize"])
                            .arg(base.join(&overlay))
                            .output()
                            .expect("kubectl is on PATH (validate-manifests needs it too)");
                        assert!(output.status.success(), "{overlay}: {}", String::from_utf8_lossy(&output.stderr));
                        let expected = parse_documents(&String::from_utf8(output.stdout).unwrap()).unwrap();
                        let ours = render(tree, &overlay).unwrap_or_else(|e| panic!("{e}"));
                        assert_eq!(
                            sequence(&ours),
                            sequence(&expected),
                            "{spec} {overlay}: the same objects in the same sequence"
                        );
                        for ((key, document), ours) in sequence(&expected).iter().zip(&expected).zip(&ours) {
                            if ours != document {
                                let (a, b) = (
                                    serde_json::to_string_pretty(document).unwrap(),
                                    serde_json::to_string_pretty(ours).unwrap(),
                                );
                                let diff = similar::TextDiff::from_lines(&a, &b);
                                let shown: String = diff.unified_diff().context_radius(2).to_string().chars().take(3000).collect();
                                panic!("{spec} {overlay} {key:?}: kubectl (-) and fleetc (+) differ:\n{shown}");
                            }
                        }
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
    });
    overlays.len()
}

#[test]
fn render_equals_kubectl_kustomize_on_the_10_service_spec() {
    assert_eq!(
        check_spec("spec/enterprise.toml"),
        33,
        "30 service overlays and 3 environments"
    );
}

#[test]
fn render_equals_kubectl_kustomize_on_the_100_service_spec() {
    assert_eq!(check_spec("spec/enterprise-100.toml"), 303);
}

/// Every golden case, whichever are added (the regions case counts its overlays below; the
/// estates to import hold no spec).
#[test]
fn render_equals_kubectl_kustomize_on_every_golden_case() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let mut cases: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|case| case != "regions" && root.join(case).join("enterprise.toml").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 3, "{cases:?}");
    for case in cases {
        assert!(
            check_spec(&format!("golden/{case}/enterprise.toml")) > 0,
            "{case}"
        );
    }
}

#[test]
fn render_equals_kubectl_kustomize_on_every_cluster_of_the_regions_case() {
    assert_eq!(
        check_spec("golden/regions/enterprise.toml"),
        12,
        "2 services × (staging + 3 prod clusters) and the 4 clusters' shared objects"
    );
}

/// kustomize orders kinds it does not list (Rollout, AnalysisTemplate, HPA, NetworkPolicy) by
/// `group_version_kind`, so an Argo Rollout comes before the HPA that scales it.
#[test]
fn rollout_overlays_render_in_kubectl_kustomize_sequence() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = "spec/enterprise.toml";
    let text = std::fs::read_to_string(root.join(spec)).unwrap();
    let compiled = compile(&Source::new(spec, text), Date::parse("2026-11-22").unwrap()).unwrap();
    let rollout_overlays: Vec<String> = overlays(&compiled.tree)
        .into_iter()
        .filter(|overlay| {
            render(&compiled.tree, overlay)
                .unwrap()
                .iter()
                .any(|d| d["kind"] == "Rollout")
        })
        .collect();
    assert!(
        !rollout_overlays.is_empty(),
        "the bundled spec delivers some service by Argo Rollouts"
    );
    for overlay in rollout_overlays {
        let kinds: Vec<String> = render(&compiled.tree, &overlay)
            .unwrap()
            .iter()
            .map(|d| d["kind"].as_str().unwrap().to_owned())
            .collect();
        let unlisted = [
            "AnalysisTemplate",
            "Rollout",
            "HorizontalPodAutoscaler",
            "NetworkPolicy",
        ];
        let ranks: Vec<usize> = kinds
            .iter()
            .filter_map(|k| unlisted.iter().position(|u| u == k))
            .collect();
        assert!(ranks.is_sorted(), "{overlay}: {kinds:?}");
    }
}

/// Rendering from the documents kept at emit time gives exactly what rendering the written
/// bytes gives (which the tests above hold equal to kubectl), on every overlay.
#[test]
fn rendering_from_kept_documents_equals_rendering_the_bytes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for spec in [
        "spec/enterprise.toml",
        "spec/enterprise-100.toml",
        "golden/edge-cases/enterprise.toml",
    ] {
        let text = std::fs::read_to_string(root.join(spec)).unwrap();
        let source = Source::new(spec, text);
        let today = Date::parse("2026-11-22").unwrap();
        let bytes_only = compile(&source, today).unwrap().tree;
        let kept = fleetc::compile(
            &source,
            fleetc::CompileOptions::from(today).making(fleetc::TreeMade::KeepingDocuments),
        )
        .unwrap()
        .tree;
        assert_eq!(bytes_only, kept);
        let overlays = overlays(&kept);
        assert!(!overlays.is_empty());
        for overlay in overlays {
            assert_eq!(
                render(&kept, &overlay).unwrap(),
                render(&bytes_only, &overlay).unwrap(),
                "{spec}: {overlay}"
            );
        }
    }
}
