//! The renderer equals `kubectl kustomize` on what hand-written repositories hold beyond what
//! fleetc writes, and refuses, naming the kustomization and the field, what it cannot render.

use std::process::Command;

use fleetc::{Tree, parse_documents, render};
use serde_json::Value;

/// The files as a tree and in a temporary folder kubectl reads.
fn tree(files: &[(&str, &str)]) -> (Tree, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut tree = Tree::new();
    for (path, text) in files {
        let at = dir.path().join(path);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(&at, text).unwrap();
        tree.insert(*path, text.as_bytes());
    }
    (tree, dir)
}

/// Renders `overlay` as fleetc and as kubectl, and holds the two the same.
fn same_as_kubectl(files: &[(&str, &str)], overlay: &str) -> Vec<Value> {
    let (tree, dir) = tree(files);
    let output = Command::new("kubectl")
        .arg("kustomize")
        .arg(dir.path().join(overlay))
        .output()
        .expect("kubectl is on PATH");
    assert!(
        output.status.success(),
        "kubectl: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected = parse_documents(&String::from_utf8(output.stdout).unwrap()).unwrap();
    let ours = render(&tree, overlay).unwrap_or_else(|e| panic!("{e}"));
    // Keys sorted, so the diff shows only what differs.
    let pretty = |documents: &[Value]| sorted_pretty(documents);
    assert!(
        ours == expected,
        "kubectl (-) and fleetc (+) differ:\n{}",
        similar::TextDiff::from_lines(pretty(&expected).as_str(), pretty(&ours).as_str())
            .unified_diff()
    );
    ours
}

/// Pretty JSON with every map's keys in order.
fn sorted_pretty(documents: &[Value]) -> String {
    fn sort(value: Value) -> Value {
        match value {
            Value::Object(map) => {
                let sorted: std::collections::BTreeMap<String, Value> =
                    map.into_iter().map(|(k, v)| (k, sort(v))).collect();
                serde_json::to_value(sorted).unwrap()
            }
            Value::Array(items) => Value::Array(items.into_iter().map(sort).collect()),
            other => other,
        }
    }
    serde_json::to_string_pretty(&sort(Value::Array(documents.to_vec()))).unwrap()
}

/// The error fleetc renders `overlay` with, and kubectl's verdict on the same files.
fn refused(files: &[(&str, &str)], overlay: &str) -> String {
    let (tree, _dir) = tree(files);
    match render(&tree, overlay) {
        Ok(documents) => panic!("rendered {documents:?}"),
        Err(error) => error.to_string(),
    }
}

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: web
      containers:
      - name: web
        image: nginx:1.25
        envFrom:
        - configMapRef: {name: settings}
        - secretRef: {name: credentials}
        env:
        - name: LEVEL
          valueFrom:
            configMapKeyRef: {name: settings, key: level}
        - name: TOKEN
          valueFrom:
            secretKeyRef: {name: credentials, key: token}
      initContainers:
      - name: migrate
        image: registry.example.com/tools/migrate:2
      volumes:
      - name: config
        configMap: {name: settings}
      - name: certs
        secret: {secretName: credentials}
      - name: data
        persistentVolumeClaim: {claimName: data}
";

const SERVICES: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service: {name: web, port: {number: 80}}
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: web, port: {number: 80}}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data: {level: info}
---
apiVersion: v1
kind: Secret
metadata:
  name: credentials
stringData: {token: t}
";

#[test]
fn each_name_of_a_kustomization_file_is_read_and_bases_are_resources() {
    let files = [
        ("base/Kustomization", "resources: [deployment.yaml]\n"),
        ("base/deployment.yaml", DEPLOYMENT),
        ("services/kustomization.yml", "resources: [services.yaml]\n"),
        ("services/services.yaml", SERVICES),
        (
            "overlay/kustomization.yaml",
            "bases: [../base]\nresources: [../services]\n",
        ),
    ];
    let documents = same_as_kubectl(&files, "overlay");
    assert_eq!(documents.len(), 7);
}

/// Workloads, a network policy and a disruption budget: every kind labels reach.
const LABELLED: &str = "\
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: '0 1 * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: job, image: busybox}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: postgres}]
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector: {matchLabels: {app: db}}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: front}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: web}}
";

/// A base of every labelled kind, and an overlay of `overlay_text` over it.
fn labelled(overlay_text: &str) {
    let files = [
        (
            "base/kustomization.yaml",
            "resources: [deployment.yaml, services.yaml, more.yaml]\n",
        ),
        ("base/deployment.yaml", DEPLOYMENT),
        ("base/services.yaml", SERVICES),
        ("base/more.yaml", LABELLED),
        ("overlay/kustomization.yaml", overlay_text),
    ];
    same_as_kubectl(&files, "overlay");
}

#[test]
fn common_labels_and_annotations_reach_selectors_and_templates() {
    labelled(
        "\
resources: [../base]
commonLabels: {team: shop, env: prod}
commonAnnotations: {owner: shop-team, note: 'a: b'}
",
    );
}

#[test]
fn labels_with_selectors_and_templates_reach_what_common_labels_reach() {
    labelled(
        "\
resources: [../base]
labels:
- pairs: {team: shop}
  includeSelectors: true
- pairs: {env: prod}
  includeTemplates: true
- pairs: {plain: 'yes'}
",
    );
}

#[test]
fn a_prefix_and_suffix_rename_objects_and_the_references_to_them() {
    let files = [
        (
            "base/kustomization.yaml",
            "resources: [deployment.yaml, services.yaml, rbac.yaml]\nnamePrefix: shop-\n",
        ),
        ("base/deployment.yaml", DEPLOYMENT),
        ("base/services.yaml", SERVICES),
        (
            "base/rbac.yaml",
            "\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: ServiceAccount, name: web}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 3
",
        ),
        (
            "overlay/kustomization.yaml",
            "resources: [../base]\nnameSuffix: -v2\nnamespace: shop\n",
        ),
    ];
    let documents = same_as_kubectl(&files, "overlay");
    assert!(
        documents
            .iter()
            .any(|d| d["metadata"]["name"] == "shop-web-v2")
    );
}

#[test]
fn generators_make_hashed_objects_and_pod_templates_follow_their_names() {
    let files = [
        (
            "app/kustomization.yaml",
            "\
resources: [deployment.yaml]
namePrefix: p-
generatorOptions:
  labels: {generated: 'yes'}
  annotations: {origin: generator}
configMapGenerator:
- name: settings
  literals: [level=debug, 'quoted=\"a b\"', empty=]
  files: [config/app.properties, renamed.txt=config/notes.txt]
  envs: [config/app.env]
- name: plain
  literals: [a=1]
  options:
    disableNameSuffixHash: true
    labels: {kept: plain}
secretGenerator:
- name: credentials
  literals: [token=s3cr3t<&>]
  files: [config/notes.txt]
- name: tls
  type: kubernetes.io/tls
  literals: [tls.crt=c, tls.key=k]
",
        ),
        ("app/deployment.yaml", DEPLOYMENT),
        ("app/config/app.properties", "a=1\nb=2\n"),
        ("app/config/notes.txt", "some notes\n"),
        (
            "app/config/app.env",
            "# comment\nA=1\n\n  B=two words\nC=x=y\n",
        ),
    ];
    let documents = same_as_kubectl(&files, "app");
    assert!(documents.iter().any(|d| d["metadata"]["name"] == "p-plain"));
}

#[test]
fn an_overlay_generator_merges_into_and_replaces_the_bases() {
    let files = [
        (
            "base/kustomization.yaml",
            "\
resources: [deployment.yaml]
configMapGenerator:
- name: settings
  literals: [level=info, keep=1]
secretGenerator:
- name: credentials
  literals: [token=a]
",
        ),
        ("base/deployment.yaml", DEPLOYMENT),
        (
            "overlay/kustomization.yaml",
            "\
resources: [../base]
namePrefix: prod-
configMapGenerator:
- name: settings
  behavior: merge
  literals: [level=warn]
secretGenerator:
- name: credentials
  behavior: replace
  literals: [token=b]
",
        ),
    ];
    same_as_kubectl(&files, "overlay");
}

#[test]
fn an_overlay_finds_a_renamed_base_object_by_either_name_for_generators_and_patches() {
    for name in ["settings", "base-settings"] {
        let overlay = format!(
            "\
resources: [../base]
nameSuffix: -prod
configMapGenerator:
- name: {name}
  behavior: merge
  literals: [b=2]
patches:
- patch: |-
    apiVersion: batch/v1
    kind: CronJob
    metadata: {{name: job}}
    spec:
      schedule: '0 * * * *'
"
        );
        let files = [
            (
                "base/kustomization.yaml",
                "\
resources: [cronjob.yaml]
namePrefix: base-
configMapGenerator:
- name: settings
  literals: [a=1]
",
            ),
            (
                "base/cronjob.yaml",
                "\
apiVersion: batch/v1
kind: CronJob
metadata: {name: job}
spec:
  schedule: '* * * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: busybox
            envFrom: [{configMapRef: {name: settings}}]
",
            ),
            ("overlay/kustomization.yaml", &overlay),
        ];
        same_as_kubectl(&files, "overlay");
    }
}

#[test]
fn strategic_merge_patches_from_files_and_written_in_place() {
    let files = [
        (
            "base/kustomization.yaml",
            "resources: [deployment.yaml, services.yaml]\nnamePrefix: b-\n",
        ),
        ("base/deployment.yaml", DEPLOYMENT),
        ("base/services.yaml", SERVICES),
        (
            "overlay/kustomization.yaml",
            "\
resources: [../base]
patchesStrategicMerge:
- replicas.yaml
- |-
  apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    type: NodePort
",
        ),
        (
            "overlay/replicas.yaml",
            "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: web
        resources: {limits: {memory: 256Mi}}
",
        ),
    ];
    same_as_kubectl(&files, "overlay");
}

#[test]
fn json_patches_by_file_and_in_place_with_label_and_annotation_selectors() {
    let files = [
        (
            "base/kustomization.yaml",
            "resources: [deployment.yaml, services.yaml]\n",
        ),
        ("base/deployment.yaml", DEPLOYMENT),
        (
            "base/services.yaml",
            "\
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {tier: front}
  annotations: {exposed: 'true'}
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: api
  labels: {tier: back}
spec:
  ports: [{port: 80}]
",
        ),
        (
            "overlay/kustomization.yaml",
            "\
resources: [../base]
patchesJson6902:
- target: {group: apps, version: v1, kind: Deployment, name: web}
  path: replicas.json
patches:
- target: {kind: Service, labelSelector: 'tier=front'}
  patch: |-
    - op: add
      path: /spec/type
      value: LoadBalancer
- target: {kind: Service, annotationSelector: 'exposed'}
  patch: |-
    - op: add
      path: /metadata/labels/exposed
      value: 'yes'
- target: {kind: Service, labelSelector: 'tier notin (front)'}
  patch: |-
    apiVersion: v1
    kind: Service
    metadata:
      name: ignored
    spec:
      clusterIP: None
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      paused: true
",
        ),
        (
            "overlay/replicas.json",
            r#"[{"op": "replace", "path": "/spec/replicas", "value": 5}]"#,
        ),
    ];
    same_as_kubectl(&files, "overlay");
}

#[test]
fn a_patch_may_target_nothing_replaces_custom_resource_lists_and_deletes_objects() {
    let files = [
        (
            "app/kustomization.yaml",
            "\
resources: [objects.yaml]
patches:
- target: {kind: StatefulSet}
  patch: |-
    - op: add
      path: /spec/replicas
      value: 2
- patch: |-
    apiVersion: argoproj.io/v1alpha1
    kind: Rollout
    metadata: {name: web}
    spec:
      template:
        spec:
          containers:
          - {name: proxy, image: envoy}
- patch: |-
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: unused}
    $patch: delete
",
        ),
        (
            "app/objects.yaml",
            "\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - {name: web, image: nginx}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: unused}
",
        ),
    ];
    let documents = same_as_kubectl(&files, "app");
    assert_eq!(documents.len(), 1);
}

#[test]
fn lists_are_read_item_by_item_and_merged_by_their_schemas_keys() {
    let files = [
        (
            "app/kustomization.yaml",
            "\
resources: [objects.yaml]
patches:
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: d}
    spec:
      template:
        spec:
          containers:
          - name: a
            ports: [{containerPort: 9090}]
            volumeMounts: [{name: v, mountPath: /b}]
            args: [z]
- patch: |-
    apiVersion: v1
    kind: Service
    metadata: {name: s}
    spec:
      ports: [{port: 90, targetPort: 9090}]
",
        ),
        (
            "app/objects.yaml",
            "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
      - name: a
        args: [x, y]
        ports: [{containerPort: 8080}]
        volumeMounts: [{name: v, mountPath: /a}]
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: s}
  spec:
    ports: [{port: 80, name: http}]
",
        ),
    ];
    same_as_kubectl(&files, "app");
}

#[test]
fn images_take_new_names_tags_and_digests_and_replicas_are_set() {
    let files = [
        ("base/kustomization.yaml", "resources: [deployment.yaml]\n"),
        ("base/deployment.yaml", DEPLOYMENT),
        (
            "overlay/kustomization.yaml",
            "\
resources: [../base]
namePrefix: x-
images:
- name: nginx
  newName: mirror.example.com/nginx
  newTag: '1.27'
- name: registry.example.com/tools/migrate
  digest: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
replicas:
- name: web
  count: 4
",
        ),
    ];
    same_as_kubectl(&files, "overlay");
}

#[test]
fn a_component_works_on_the_objects_of_the_kustomization_using_it() {
    let files = [
        ("base/kustomization.yaml", "resources: [deployment.yaml]\n"),
        ("base/deployment.yaml", DEPLOYMENT),
        (
            "components/monitoring/kustomization.yaml",
            "\
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources: [monitor.yaml]
commonLabels: {monitored: 'true'}
patches:
- target: {kind: Deployment}
  patch: |-
    - op: add
      path: /metadata/annotations
      value: {prometheus.io/scrape: 'true'}
",
        ),
        (
            "components/monitoring/monitor.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: monitor}\ndata: {a: b}\n",
        ),
        (
            "overlay/kustomization.yaml",
            "\
resources: [../base]
components: [../components/monitoring]
namespace: prod
",
        ),
    ];
    same_as_kubectl(&files, "overlay");
}

#[test]
fn the_namespace_renames_namespace_objects_and_binds_default_service_accounts() {
    let files = [
        (
            "app/kustomization.yaml",
            "resources: [objects.yaml]\nnamespace: shop\n",
        ),
        (
            "app/objects.yaml",
            "\
apiVersion: v1
kind: Namespace
metadata: {name: placeholder}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: web}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: web, namespace: default}
- {kind: ServiceAccount, name: other, namespace: elsewhere}
",
        ),
    ];
    same_as_kubectl(&files, "app");
}

#[test]
fn cluster_scoped_kinds_keep_no_namespace_and_pull_secrets_follow_their_generated_names() {
    let files = [
        (
            "app/kustomization.yaml",
            "\
resources: [objects.yaml]
namespace: shop
namePrefix: p-
secretGenerator:
- name: pull
  literals: [a=b]
",
        ),
        (
            "app/objects.yaml",
            "\
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa}
imagePullSecrets: [{name: pull}]
secrets: [{name: pull}]
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: le}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i}
spec:
  ingressClassName: nginx
",
        ),
    ];
    same_as_kubectl(&files, "app");
}

const BASE: (&str, &str) = ("base/kustomization.yaml", "resources: [deployment.yaml]\n");
const BASE_DEPLOYMENT: (&str, &str) = ("base/deployment.yaml", DEPLOYMENT);

#[test]
fn fields_kubectl_reads_that_the_renderer_cannot_are_refused_by_name() {
    for field in [
        "helmCharts: [{name: x}]",
        "replacements: []",
        "vars: []",
        "transformers: [t.yaml]",
        "generators: [g.yaml]",
        "validators: [v.yaml]",
        "crds: [crd.json]",
        "openapi: {path: schema.json}",
    ] {
        let text = format!("resources: [../base]\n{field}\n");
        let error = refused(
            &[BASE, BASE_DEPLOYMENT, ("prod/kustomization.yaml", &text)],
            "prod",
        );
        let name = field.split(':').next().unwrap();
        assert_eq!(
            error,
            format!("prod/kustomization.yaml: {name} is not supported")
        );
    }
}

#[test]
fn remote_resources_are_refused() {
    for remote in [
        "https://example.com/manifests.yaml",
        "github.com/org/repo//deploy?ref=v1",
        "git@github.com:org/repo.git",
    ] {
        let text = format!("resources:\n- {remote}\n");
        let error = refused(&[("prod/kustomization.yaml", &text)], "prod");
        assert_eq!(
            error,
            format!("prod/kustomization.yaml: remote resource `{remote}` is not supported")
        );
    }
}

#[test]
fn a_missing_resource_or_patch_is_named_with_its_kustomization() {
    let error = refused(
        &[("prod/kustomization.yaml", "resources: [../base]\n")],
        "prod",
    );
    assert_eq!(
        error,
        "prod/kustomization.yaml: resource `../base` does not exist"
    );
    let text = "resources: [../base]\npatches:\n- path: missing.yaml\n";
    let error = refused(
        &[BASE, BASE_DEPLOYMENT, ("prod/kustomization.yaml", text)],
        "prod",
    );
    assert_eq!(
        error,
        "prod/kustomization.yaml: patch `missing.yaml` does not exist"
    );
    let text = "resources: [../base]\npatchesStrategicMerge: [gone.yaml]\n";
    let error = refused(
        &[BASE, BASE_DEPLOYMENT, ("prod/kustomization.yaml", text)],
        "prod",
    );
    assert_eq!(
        error,
        "prod/kustomization.yaml: patch `gone.yaml` does not exist"
    );
}

#[test]
fn a_path_above_the_root_is_refused_and_never_read() {
    let text = "resources: [../../../etc/passwd]\n";
    let error = refused(&[("prod/kustomization.yaml", text)], "prod");
    assert_eq!(
        error,
        "prod/kustomization.yaml: resource `../../../etc/passwd` leaves the tree"
    );
    let text = "configMapGenerator:\n- name: c\n  files: [../secret.txt]\n";
    let error = refused(
        &[("secret.txt", "x"), ("prod/kustomization.yaml", text)],
        "prod",
    );
    assert!(
        error.contains("outside the kustomization's folder"),
        "{error}"
    );
}

#[test]
fn patterns_in_targets_components_misused_and_two_kustomization_files_are_refused() {
    let text = "resources: [../base]\npatches:\n- target: {kind: Deployment, name: 'web.*'}\n  patch: '[]'\n";
    let error = refused(
        &[BASE, BASE_DEPLOYMENT, ("prod/kustomization.yaml", text)],
        "prod",
    );
    assert!(
        error.contains("the target pattern `web.*` is not supported"),
        "{error}"
    );
    let text = "components: [../base]\n";
    let error = refused(
        &[BASE, BASE_DEPLOYMENT, ("prod/kustomization.yaml", text)],
        "prod",
    );
    assert_eq!(
        error,
        "base/kustomization.yaml: is listed under components but is not a Component"
    );
    let error = refused(
        &[
            BASE,
            BASE_DEPLOYMENT,
            ("base/kustomization.yml", "resources: []\n"),
        ],
        "base",
    );
    assert!(
        error.contains("more than one kustomization file"),
        "{error}"
    );
}

#[test]
fn unknown_fields_and_generator_behaviours_without_an_object_are_refused() {
    let error = refused(&[("prod/kustomization.yaml", "resourcez: []\n")], "prod");
    assert!(error.starts_with("prod/kustomization.yaml: "), "{error}");
    assert!(error.contains("resourcez"), "{error}");
    let text = "configMapGenerator:\n- name: c\n  behavior: merge\n  literals: [a=b]\n";
    let error = refused(&[("prod/kustomization.yaml", text)], "prod");
    assert!(error.contains("has no object to work on"), "{error}");
}

#[test]
fn an_object_listed_twice_is_refused_as_kubectl_refuses_it() {
    let config = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
    let files = [
        ("app/kustomization.yaml", "resources: [a.yaml, b.yaml]\n"),
        ("app/a.yaml", config),
        ("app/b.yaml", config),
    ];
    assert_eq!(
        refused(&files, "app"),
        "app/kustomization.yaml: resource `b.yaml` adds ConfigMap/x a second time"
    );
}
