//! Every Application names, in `argocd.argoproj.io/manifest-generate-paths`, the folders its
//! overlay reads from (the colours' parent folder as one, so a release leaves the annotation
//! alone), so a commit refreshes only the Applications whose manifests it can change. The
//! oracle is kubectl: the files under those paths alone, copied into an empty folder, build to
//! what the whole tree builds to; without any one of them the build fails; and none of them
//! holds a file of another service or of another environment's overlay.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Workspace;
use common::applications::{Application, applications, resolve};
use fleetc::Date;
use fleetc::Tree;
use fleetc::{Source, compile};
use fleetc::{parse_documents, render};

fn kustomize(dir: &Path) -> Result<String, String> {
    let output = Command::new("kubectl")
        .arg("kustomize")
        .arg(dir)
        .output()
        .expect("kubectl is on PATH (validate-manifests needs it too)");
    if output.status.success() {
        Ok(String::from_utf8(output.stdout).unwrap())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn yaml(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap();
    parse_documents(&text).unwrap().remove(0)
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// The tree as built, and where it sits in the repository (`gitops_path`, read from the
/// root Application's source path `<gitops_path>/argocd`).
struct Built {
    _workspace: Workspace,
    out: PathBuf,
    prefix: String,
}

impl Built {
    fn new(spec: &str) -> Self {
        let workspace = Workspace::with_spec(spec);
        // A golden case's files beside its spec (what its `manifests` and `patches` list),
        // its expected tree left out.
        if let Some(case) = spec
            .strip_suffix("/enterprise.toml")
            .filter(|c| c.starts_with("golden/"))
        {
            let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(case);
            for entry in fs::read_dir(&folder).unwrap().map(Result::unwrap) {
                if entry.file_type().unwrap().is_dir() && entry.file_name() != "expected" {
                    for file in files_under(&entry.path()) {
                        let target = workspace
                            .path("spec")
                            .join(file.strip_prefix(&folder).unwrap());
                        fs::create_dir_all(target.parent().unwrap()).unwrap();
                        fs::copy(&file, target).unwrap();
                    }
                }
            }
        }
        let (code, _, stderr) = workspace.run(&["build", "--today", "2026-11-22"]);
        assert_eq!(code, 0, "{spec}: {stderr}");
        let out = workspace.path("generated");
        let root = yaml(&out.join("argocd/root.yaml"));
        let root_path = root["spec"]["source"]["path"].as_str().unwrap();
        let prefix = root_path.strip_suffix("argocd").unwrap().to_owned();
        Self {
            _workspace: workspace,
            out,
            prefix,
        }
    }

    fn applications(&self) -> Vec<Application> {
        let mut all = Vec::new();
        for file in files_under(&self.out.join("argocd/applicationsets")) {
            all.extend(applications(&yaml(&file)));
        }
        all
    }

    /// A path from the repository root as a path inside the tree; the annotation must never
    /// name anything outside it.
    fn in_tree(&self, app: &Application, repo_path: Option<&String>) -> String {
        let repo_path =
            repo_path.unwrap_or_else(|| panic!("{}: a path climbs above the repository", app.name));
        let inside = if self.prefix.is_empty() {
            Some(repo_path.as_str())
        } else {
            repo_path.strip_prefix(&self.prefix)
        };
        inside
            .unwrap_or_else(|| panic!("{}: {repo_path} is outside the tree", app.name))
            .to_owned()
    }
}

/// The files under `folders` copied into an empty folder, same layout.
fn copy_of(out: &Path, folders: &[String]) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    for folder in folders {
        for file in files_under(&out.join(folder)) {
            let target = copy.path().join(file.strip_prefix(out).unwrap());
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::copy(&file, target).unwrap();
        }
    }
    copy
}

/// What the copy must build to: `kubectl kustomize` on the whole tree, or, to halve the
/// kubectl runs at scale, fleetc's own rendering of it, which `tests/render.rs` holds equal
/// to `kubectl kustomize` on every overlay of the same specs.
#[derive(Clone, Copy)]
enum Whole<'a> {
    Kubectl,
    Render(&'a Tree),
}

fn check_application(built: &Built, app: &Application, whole: Whole<'_>, each_needed: bool) {
    let overlay = built.in_tree(app, Some(&app.source_path));
    let folders: Vec<String> = app
        .refresh_paths
        .iter()
        .map(|path| built.in_tree(app, path.as_ref()))
        .collect();
    assert!(
        folders.contains(&overlay),
        "{}: its overlay is among {folders:?}",
        app.name
    );
    let own = format!("apps/{}/", app.service);
    for folder in &folders {
        assert!(
            built.out.join(folder).is_dir(),
            "{}: {folder} is a folder of the tree",
            app.name
        );
        for file in files_under(&built.out.join(folder)) {
            let file = file
                .strip_prefix(&built.out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            assert!(
                file.starts_with(&own),
                "{}: {folder} holds {file}, which is not the service's own",
                app.name
            );
            let other_overlay = file.starts_with(&format!("{own}overlays/"))
                && !file.starts_with(&format!("{overlay}/"));
            assert!(
                !other_overlay,
                "{}: {folder} holds another environment's {file}",
                app.name
            );
        }
    }
    let copy = copy_of(&built.out, &folders);
    let alone = kustomize(&copy.path().join(&overlay)).unwrap_or_else(|e| {
        panic!(
            "{}: the files under {folders:?} do not build: {e}",
            app.name
        )
    });
    match whole {
        Whole::Kubectl => assert_eq!(
            alone,
            kustomize(&built.out.join(&overlay)).unwrap(),
            "{}: the files under {folders:?} build to what the tree does",
            app.name
        ),
        Whole::Render(tree) => assert_eq!(
            parse_documents(&alone).unwrap(),
            render(tree, &overlay).unwrap(),
            "{}: the files under {folders:?} build to what the tree renders to",
            app.name
        ),
    }
    if each_needed {
        for (i, folder) in folders.iter().enumerate() {
            let mut fewer = folders.clone();
            fewer.remove(i);
            let copy = copy_of(&built.out, &fewer);
            assert!(
                kustomize(&copy.path().join(&overlay)).is_err(),
                "{}: {folder} is named but the overlay builds without it",
                app.name
            );
        }
    }
}

/// How thoroughly a spec is checked: a small one with kubectl alone and every path shown to
/// be needed; a large one against fleetc's rendering, its layout being the small ones'.
#[derive(Clone, Copy)]
enum Scale {
    Small,
    Large,
}

/// Checks every Application of the spec on two threads; returns how many there are.
fn check_spec(spec: &str, scale: Scale) -> usize {
    let built = Built::new(spec);
    let apps = built.applications();
    let rendered = matches!(scale, Scale::Large).then(|| {
        let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(spec)).unwrap();
        compile(
            &Source::new("enterprise.toml", text),
            Date::parse("2026-11-22").unwrap(),
        )
        .unwrap()
        .tree
    });
    let (whole, each_needed) = match &rendered {
        Some(tree) => (Whole::Render(tree), false),
        None => (Whole::Kubectl, true),
    };
    std::thread::scope(|scope| {
        for chunk in apps.chunks(apps.len().div_ceil(2).max(1)) {
            let built = &built;
            scope.spawn(move || {
                for app in chunk {
                    check_application(built, app, whole, each_needed);
                }
            });
        }
    });
    apps.len()
}

#[test]
fn paths_resolve_as_argo_cd_resolves_them() {
    assert_eq!(
        resolve("generated/apps/a/overlays/dev", "../../base").as_deref(),
        Some("generated/apps/a/base")
    );
    assert_eq!(
        resolve("apps/a/overlays/dev", ".").as_deref(),
        Some("apps/a/overlays/dev")
    );
    assert_eq!(
        resolve("generated/apps/a", "/envs/dev").as_deref(),
        Some("envs/dev")
    );
    assert_eq!(resolve("apps/a", "../../.."), None);
}

#[test]
fn each_application_refreshes_on_what_its_overlay_reads_in_the_10_service_spec() {
    assert_eq!(check_spec("spec/enterprise.toml", Scale::Small), 30);
}

/// The same layout at scale.
#[test]
fn each_application_refreshes_only_on_its_own_service_in_the_100_service_spec() {
    assert_eq!(check_spec("spec/enterprise-100.toml", Scale::Large), 300);
}

/// `gitops_path = "."`: the tree at the repository root.
#[test]
fn each_application_refreshes_on_what_its_overlay_reads_in_the_edge_cases() {
    assert!(check_spec("golden/edge-cases/enterprise.toml", Scale::Small) > 0);
}

#[test]
fn each_application_refreshes_on_what_its_overlay_reads_in_the_minimal_case() {
    assert!(check_spec("golden/minimal/enterprise.toml", Scale::Small) > 0);
}

/// A demo shop of 21 services in three environments, with a patch and an object of its own
/// from files beside the spec; its load generator runs outside prod.
#[test]
fn each_application_refreshes_on_what_its_overlay_reads_in_the_estate_case() {
    assert_eq!(
        check_spec("golden/estate/enterprise.toml", Scale::Small),
        62,
        "21 services × 3 environments, but the load generator's prod"
    );
}

/// A cluster's overlay sits one folder deeper, inside its environment's: its paths climb one
/// level more, and hold no other cluster's overlay.
#[test]
fn each_application_refreshes_on_what_its_clusters_overlay_reads_in_the_regions_case() {
    assert_eq!(
        check_spec("golden/regions/enterprise.toml", Scale::Small),
        8,
        "2 services × (staging + 3 prod clusters)"
    );
}
