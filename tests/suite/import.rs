//! `fleetc import` as a team adopting fleetc runs it: an existing repository in, a spec that
//! builds out, a report of whatever the spec does not say, and nothing written on input it
//! cannot read.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Writes `files` below `dir`.
fn write(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

pub(crate) fn fleetc(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(assert_cmd::cargo::cargo_bin("fleetc"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `fleetc import repo` in `dir`, the spec written to `spec/enterprise.toml`.
fn import_repo(dir: &Path) -> (i32, String, String) {
    fleetc(dir, &["--spec", "spec/enterprise.toml", "import", "repo"])
}

fn written_spec(dir: &Path) -> String {
    fs::read_to_string(dir.join("spec/enterprise.toml")).unwrap()
}

/// Asserts the spec holds each of `texts`.
fn assert_holds(spec: &str, texts: &[&str]) {
    for text in texts {
        assert!(spec.contains(text), "{text} in\n{spec}");
    }
}

fn assert_builds(dir: &Path) {
    let (code, stdout, stderr) = fleetc(dir, &["build"]);
    assert_eq!(code, 0, "the imported spec builds: {stdout}{stderr}");
}

/// Writes `yaml` as the service `name`'s file in dev and in prod.
fn in_dev_and_prod(dir: &Path, name: &str, yaml: &str) {
    let dev = format!("repo/dev/{name}.yaml");
    let prod = format!("repo/prod/{name}.yaml");
    write(dir, &[(&dev, yaml), (&prod, yaml)]);
}

/// Imports `repo`, whose `service` (`name (kind)`) the spec says whole though the build
/// differs (exit 1); the spec written.
fn read_whole(dir: &Path, service: &str) -> String {
    let (code, stdout, stderr) = import_repo(dir);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let whole = format!("{service} in dev, prod\n  everything read into the spec\n");
    assert!(stdout.contains(&whole), "{whole} in {stdout}");
    written_spec(dir)
}

/// The JSON report of `fleetc import repo` in `dir`, which exits 1.
fn json_report(dir: &Path) -> Value {
    let (code, stdout, stderr) = fleetc(
        dir,
        &[
            "--spec",
            "spec/enterprise.toml",
            "import",
            "repo",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn service_of<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap()
}

fn deployment(name: &str, version: &str, replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
      - name: {name}
        image: ghcr.io/acme/{name}:{version}
        ports:
        - containerPort: 8080
        env:
        - name: MODE
          value: fast
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef: {{name: {name}-db, key: password}}
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector: {{app: {name}}}
  ports:
  - port: 80
    targetPort: 8080
"
    )
}

/// A folder holding plain manifests per environment folder in `repo/`: two services, prod one
/// version behind.
fn plain_estate() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("repo/dev/cart.yaml", &deployment("cart", "1.5.0", 1)),
            ("repo/dev/web.yaml", &deployment("web", "2.0.0", 1)),
            ("repo/prod/cart.yaml", &deployment("cart", "1.4.2", 3)),
            ("repo/prod/web.yaml", &deployment("web", "2.0.0", 3)),
        ],
    );
    dir
}

#[test]
fn plain_manifests_per_environment_become_a_spec_that_builds() {
    let dir = plain_estate();
    let (code, stdout, stderr) = import_repo(dir.path());
    // Every field is read, but the build names the Deployment after its colour.
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("cart (deployment) in dev, prod\n  everything read into the spec\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("layout: <environment>/, plain manifests per environment"),
        "{stdout}"
    );
    let spec = written_spec(dir.path());
    assert_holds(
        &spec,
        &[
            "[services.cart]",
            "image = \"ghcr.io/acme/cart\"",
            "version = \"1.5.0\"",
            "deploy.prod = { blue = \"1.4.2\", live = \"blue\" }",
            "replicas = { dev = 1, prod = 3 }",
            "secrets = { DB_PASSWORD = \"cart-db#password\" }",
            "env = { MODE = \"fast\" }",
        ],
    );
    assert_builds(dir.path());
}

#[test]
fn what_the_spec_cannot_say_is_reported_field_by_field_and_exits_1() {
    let dir = plain_estate();
    let with_sidecar = deployment("cart", "1.5.0", 1).replace(
        "        resources:\n",
        "        volumeMounts: [{name: tmp, mountPath: /tmp}]\n        resources:\n",
    );
    write(
        dir.path(),
        &[
            ("repo/dev/cart.yaml", &with_sidecar),
            (
                "repo/dev/quota.yaml",
                "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: quota}\nspec: {hard: {pods: '10'}}\n",
            ),
        ],
    );
    let (code, stdout, stderr) = fleetc(
        dir.path(),
        &[
            "--spec",
            "spec/enterprise.toml",
            "import",
            "repo",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["whole"], false);
    let cart = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "cart")
        .unwrap();
    assert_eq!(
        cart["not_imported"][0],
        serde_json::json!({ "environment": "dev", "object": "Deployment/cart", "field": "spec.template.spec.containers[0].volumeMounts" })
    );
    assert_eq!(report["unclaimed"][0]["object"], "ResourceQuota/quota");
    assert!(
        dir.path().join("spec/enterprise.toml").exists(),
        "the spec is written all the same"
    );
}

#[test]
fn the_report_compares_each_object_with_what_the_build_renders_field_by_field() {
    let dir = plain_estate();
    let report = json_report(dir.path());
    let cart = service_of(&report, "cart");
    let after = cart["after_build"].as_array().unwrap();
    let deployment = after
        .iter()
        .find(|d| d["environment"] == "prod" && d["object"] == "Deployment/cart")
        .unwrap();
    assert_eq!(deployment["rendered"], "Deployment/cart-blue");
    assert_eq!(deployment["reproduced"], false);
    let listed = |what: &str| -> Vec<String> {
        deployment[what]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        listed("changed").contains(&"metadata.name".to_owned()),
        "{deployment}"
    );
    assert!(
        listed("dropped").contains(&"spec.selector.matchLabels.app".to_owned()),
        "{deployment}"
    );
    // What was read is reproduced: the replicas, the image, the variables.
    for kept in [
        "spec.replicas",
        "spec.template.spec.containers[cart].image",
        "spec.template.spec.containers[cart].env[MODE].value",
    ] {
        for what in ["changed", "dropped"] {
            assert!(
                !listed(what).contains(&kept.to_owned()),
                "{kept} {what}: {deployment}"
            );
        }
    }
    assert!(
        listed("added")
            .iter()
            .any(|f| f.starts_with("spec.template.spec.securityContext")),
        "{deployment}"
    );
}

#[test]
fn a_literal_that_looks_like_a_secret_becomes_a_secret_reference_with_a_note() {
    let dir = plain_estate();
    let leaky = deployment("web", "2.0.0", 1).replace(
        "value: fast",
        "value: fast\n        - name: API_TOKEN\n          value: s3cr3t-7f3a9c1e",
    );
    write(dir.path(), &[("repo/dev/web.yaml", &leaky)]);
    let (code, stdout, stderr) = import_repo(dir.path());
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("`web` set `API_TOKEN` as a literal that looks like a secret"),
        "{stdout}"
    );
    let spec = written_spec(dir.path());
    assert!(!spec.contains("s3cr3t"), "{spec}");
    assert!(
        spec.contains("API_TOKEN = \"web/api-token#value\""),
        "{spec}"
    );
}

/// Input import cannot read: exit 2, the file and document named, nothing written.
fn refused(files: &[(&str, &str)], expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), files);
    let (code, stdout, stderr) = import_repo(dir.path());
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains(expected), "{expected} in {stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!dir.path().join("spec").exists(), "nothing is written");
}

#[test]
fn yaml_that_does_not_parse_is_refused_naming_file_and_document() {
    refused(
        &[(
            "repo/dev/all.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [unclosed\n",
        )],
        "error: dev/all.yaml, document 2: is not YAML",
    );
}

#[test]
fn a_document_without_kind_is_refused_naming_file_document_and_field() {
    refused(
        &[("repo/prod.yaml", "apiVersion: v1\nmetadata: {name: a}\n")],
        "error: prod.yaml, document 1, `kind`: is missing",
    );
}

#[test]
fn a_kustomization_naming_a_missing_file_is_refused() {
    refused(
        &[
            (
                "repo/overlays/dev/kustomization.yaml",
                "resources:\n- ../../base/cart\n",
            ),
            ("repo/base/web/kustomization.yaml", "resources: []\n"),
        ],
        "error: overlays/dev/kustomization.yaml, `resources[0]`: `../../base/cart` does not exist",
    );
}

#[test]
fn a_folder_of_something_else_is_refused() {
    refused(
        &[
            ("repo/src/main.rs", "fn main() {}\n"),
            ("repo/README.md", "# hello\n"),
        ],
        "holds no Kubernetes manifests in a layout fleetc reads",
    );
}

#[test]
fn an_existing_spec_is_never_overwritten() {
    let dir = plain_estate();
    write(dir.path(), &[("spec/enterprise.toml", "# mine\n")]);
    let (code, _, stderr) = fleetc(
        dir.path(),
        &["--spec", "spec/enterprise.toml", "import", "repo"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("exists; give another --spec"), "{stderr}");
    assert_eq!(
        fs::read_to_string(dir.path().join("spec/enterprise.toml")).unwrap(),
        "# mine\n"
    );
}

#[test]
fn probes_identities_and_drain_budgets_are_read_and_the_spec_builds() {
    let dir = plain_estate();
    let probed = |role: &str| {
        deployment("cart", "1.5.0", 2)
            .replace(
                "        resources:\n",
                "        readinessProbe:\n          httpGet: {path: /ready, port: 8080}\n          periodSeconds: 5\n        livenessProbe:\n          exec: {command: [/bin/check, --alive]}\n        resources:\n",
            )
            .replace("      containers:\n", "      serviceAccountName: cart\n      containers:\n")
            + &format!(
                "---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: cart
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/cart-{role}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: cart
spec:
  minAvailable: 1
  selector:
    matchLabels: {{app: cart}}
"
            )
    };
    write(
        dir.path(),
        &[
            ("repo/dev/cart.yaml", &probed("dev")),
            ("repo/prod/cart.yaml", &probed("prod")),
        ],
    );
    let (code, stdout, stderr) = import_repo(dir.path());
    assert_eq!(code, 1, "{stdout}{stderr}");
    let spec = written_spec(dir.path());
    assert_holds(
        &spec,
        &[
            "probes.liveness = { exec = [\"/bin/check\", \"--alive\"] }",
            "probes.readiness = { http = \"/ready\", period = 5 }",
            "disruption = { min_available = 1 }",
            "identity = { aws_role = \"arn:aws:iam::123456789012:role/cart-prod\" }",
        ],
    );
    assert!(
        spec.contains("[services.web]\n") && spec.contains("probes.liveness = false"),
        "{spec}"
    );
    assert_builds(dir.path());
}

#[test]
fn named_ports_become_the_ports_table_with_what_they_speak_and_the_spec_builds() {
    let dir = plain_estate();
    let grpc = "apiVersion: apps/v1
kind: Deployment
metadata: {name: payments, labels: {team: Payments Core}}
spec:
  selector: {matchLabels: {app: payments}}
  template:
    metadata: {labels: {app: payments}}
    spec:
      containers:
      - name: payments
        image: ghcr.io/acme/payments:3.2.0
        ports:
        - {name: grpc, containerPort: 9090}
        - {name: metrics, containerPort: 9100}
        readinessProbe:
          grpc: {port: 9090}
        livenessProbe:
          tcpSocket: {port: grpc}
---
apiVersion: v1
kind: Service
metadata: {name: payments}
spec:
  selector: {app: payments}
  ports:
  - {name: grpc, port: 50051, targetPort: grpc, appProtocol: grpc}
";
    write(
        dir.path(),
        &[
            ("repo/dev/payments.yaml", grpc),
            ("repo/prod/payments.yaml", grpc),
        ],
    );
    let spec = read_whole(dir.path(), "payments (deployment)");
    assert_holds(
        &spec,
        &[
            "ports.grpc = { port = 9090, protocol = \"grpc\", expose = 50051 }",
            "[teams.payments-core]",
            "team = \"payments-core\"",
            "metrics = { port = 9100 }",
            "probes.readiness = { grpc = \"grpc\" }",
            "probes.liveness = { tcp = \"grpc\" }",
        ],
    );
    assert_builds(dir.path());
}

#[test]
fn scratch_and_claimed_volumes_are_read_with_their_size_per_environment_and_the_spec_builds() {
    let dir = plain_estate();
    let store = |size: &str, class: &str| {
        format!(
            "apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: postgres}}
spec:
  serviceName: postgres
  selector: {{matchLabels: {{app: postgres}}}}
  template:
    metadata: {{labels: {{app: postgres}}}}
    spec:
      containers:
      - name: postgres
        image: docker.io/library/postgres:16.4
        volumeMounts:
        - {{name: data, mountPath: /var/lib/postgresql/data}}
        - {{name: scratch, mountPath: /var/cache/pg}}
        - {{name: tmp, mountPath: /tmp}}
      volumes:
      - name: scratch
        emptyDir: {{sizeLimit: 1Gi}}
      - name: tmp
        emptyDir: {{}}
  volumeClaimTemplates:
  - metadata: {{name: data}}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: {class}
      resources: {{requests: {{storage: {size}}}}}
"
        )
    };
    write(
        dir.path(),
        &[
            ("repo/dev/postgres.yaml", &store("5Gi", "standard")),
            ("repo/prod/postgres.yaml", &store("200Gi", "gp3-encrypted")),
        ],
    );
    let (code, stdout, stderr) = import_repo(dir.path());
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("postgres (statefulset) in dev, prod\n  not imported in dev: StatefulSet/postgres spec.serviceName\n"), "{stdout}");
    let spec = written_spec(dir.path());
    assert_holds(
        &spec,
        &[
            "kind = \"statefulset\"",
            "image = \"docker.io/library/postgres\"",
            "volumes.scratch = { path = \"/var/cache/pg\", size = \"1Gi\" }",
            "storage.data = { path = \"/var/lib/postgresql/data\", size = \"5Gi\", class = \"standard\" }",
            "storage.data = { size = \"200Gi\", class = \"gp3-encrypted\" }",
        ],
    );
    assert!(
        !spec.contains("volumes.tmp"),
        "fleetc gives each pod its /tmp: {spec}"
    );
    assert_builds(dir.path());
}

#[test]
fn a_plain_second_container_is_a_sidecar_and_the_spec_builds() {
    let dir = plain_estate();
    let shipper = "      - name: logs
        image: docker.io/fluent/fluent-bit:3.1.9
        args: [-c, /fluent-bit/etc/fluent-bit.conf]
        resources: {requests: {cpu: 20m, memory: 32Mi}}
---
";
    // The service's own container first, the shipper after it.
    let billing = deployment("billing", "2.3.1", 1).replacen("---\n", shipper, 1);
    in_dev_and_prod(dir.path(), "billing", &billing);
    let spec = read_whole(dir.path(), "billing (deployment)");
    assert!(
        spec.contains("[services.billing.sidecars.logs]\nimage = \"docker.io/fluent/fluent-bit\"\nversion = \"3.1.9\"\nargs = [\"-c\", \"/fluent-bit/etc/fluent-bit.conf\"]\nresources = { cpu = \"20m\", memory = \"32Mi\" }\n"),
        "{spec}"
    );
    assert!(
        spec.contains("registries = [\"docker.io/fluent\"]"),
        "{spec}"
    );
    assert_builds(dir.path());
}

#[test]
fn a_config_map_mounted_as_a_folder_becomes_configuration_files_beside_the_spec() {
    let dir = plain_estate();
    let search = |level: &str| {
        deployment("search", "4.0.0", 1)
            .replace(
                "        resources:\n",
                "        volumeMounts: [{name: config, mountPath: /etc/search}]\n        resources:\n",
            )
            .replace(
                "      containers:\n",
                "      volumes:\n      - name: config\n        configMap: {name: search-config-7g8h9k2m4t}\n      containers:\n",
            )
            + &format!(
                "---
apiVersion: v1
kind: ConfigMap
metadata: {{name: search-config-7g8h9k2m4t}}
data:
  search.yaml: |
    index: products
  logging.yaml: |
    level: {level}
"
            )
    };
    write(
        dir.path(),
        &[
            ("repo/dev/search.yaml", &search("debug")),
            ("repo/prod/search.yaml", &search("warn")),
        ],
    );
    let (code, stdout, stderr) = import_repo(dir.path());
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("search (deployment) in dev, prod\n  everything read into the spec\n"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("ConfigMap/search-config"),
        "the ConfigMap is read: {stdout}"
    );
    let spec = written_spec(dir.path());
    assert!(spec.contains("config_files = { \"/etc/search/search.yaml\" = \"config/search/etc/search/search.yaml\", \"/etc/search/logging.yaml\" = \"config/search/etc/search/logging.yaml\" }"), "{spec}");
    assert!(spec.contains("config_files = { \"/etc/search/logging.yaml\" = \"config/search/prod/etc/search/logging.yaml\" }"), "{spec}");
    let written = |path: &str| fs::read_to_string(dir.path().join("spec").join(path)).unwrap();
    assert_eq!(
        written("config/search/etc/search/logging.yaml"),
        "level: debug\n"
    );
    assert_eq!(
        written("config/search/prod/etc/search/logging.yaml"),
        "level: warn\n"
    );
    assert_builds(dir.path());
    let (_, rendered, _) = fleetc(dir.path(), &["render", "search", "prod"]);
    assert!(rendered.contains("level: warn"), "{rendered}");
}

/// Imports `dir` (relative to the repository) into a fresh folder: the JSON report.
fn imported_report(dir: &str) -> Value {
    let scratch = tempfile::tempdir().unwrap();
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let spec = scratch.path().join("spec/enterprise.toml");
    let (code, stdout, stderr) = fleetc(
        scratch.path(),
        &[
            "--spec",
            spec.to_str().unwrap(),
            "import",
            repository.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert!(code == 0 || code == 1, "{dir}: {stderr}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn every_tree_fleetc_writes_imports_into_a_spec_that_compiles_and_is_compared() {
    let mut trees = vec!["generated".to_owned()];
    for case in fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("golden")).unwrap() {
        let case = case.unwrap().file_name().to_string_lossy().into_owned();
        if Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("golden")
            .join(&case)
            .join("expected")
            .is_dir()
        {
            trees.push(format!("golden/{case}/expected"));
        }
    }
    assert!(trees.len() >= 4, "{trees:?}");
    for tree in trees {
        let report = imported_report(&tree);
        let notes: Vec<&str> = report["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert!(
            !notes.iter().any(|n| n.contains("does not compile")),
            "{tree}: {notes:#?}"
        );
        for service in report["services"].as_array().unwrap() {
            assert!(
                !service["after_build"].as_array().unwrap().is_empty(),
                "{tree}: {} is compared with what the build renders",
                service["name"]
            );
        }
    }
}

#[test]
fn init_containers_and_native_sidecars_are_read_in_order_and_the_spec_builds() {
    let dir = plain_estate();
    let orders = deployment("orders", "2.0.0", 1).replace(
        "      containers:\n",
        "      initContainers:
      - name: wait-for-db
        image: docker.io/library/busybox:1.36.1
        command: [sh, -c, 'until nc -z postgres 5432; do sleep 1; done']
      - name: proxy
        image: docker.io/envoyproxy/envoy:v1.31.2
        restartPolicy: Always
        args: [--config-path, /etc/envoy/envoy.yaml]
      containers:\n",
    );
    in_dev_and_prod(dir.path(), "orders", &orders);
    let spec = read_whole(dir.path(), "orders (deployment)");
    assert_holds(
        &spec,
        &[
            "[services.orders.init_containers.wait-for-db]\nimage = \"docker.io/library/busybox\"\nversion = \"1.36.1\"\ncommand = [\"sh\", \"-c\", \"until nc -z postgres 5432; do sleep 1; done\"]\n",
            "[services.orders.sidecars.proxy]\nimage = \"docker.io/envoyproxy/envoy\"\nversion = \"v1.31.2\"\nargs = [\"--config-path\", \"/etc/envoy/envoy.yaml\"]\n",
        ],
    );
    assert_builds(dir.path());
}
