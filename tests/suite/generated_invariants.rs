//! Rules every generated tree keeps, over random specs: names as long as validation lets them
//! be, registries with ports, owners shared across teams, two to five environments of which
//! several may be production, and about one in three runs in one to three clusters, in waves,
//! with replicas, domains and releases of their own. Each rule is checked on the built tree
//! (every YAML document, CODEOWNERS, Terraform, each Application's refresh paths), place by
//! place (an environment, or each cluster of one that lists clusters), with its own reading of
//! what Kubernetes, Kyverno, GitHub and Argo CD accept.

use crate::common;
mod owners_to_request;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::sync::LazyLock;

use common::applications::{applications, instantiate, resolve};
use fleetc::Date;
use fleetc::Tree;
use fleetc::{Source, compile};
use proptest::prelude::*;
use regex::Regex;
use serde_json::Value;

const PLATFORM: &str = "@gen/platform";
const OWNERS: [&str; 4] = ["@gen/a", "@gen/b", "@gen/c", "@alice"];
/// One store of each provider, picked by environment.
const STORES: [&str; 4] = [
    "aws = { region = \"eu-west-1\" }",
    "vault = { server = \"https://vault.example:8200\", role = \"eso\" }",
    "gcp = { project = \"gen-estate\" }",
    "azure = { vault_url = \"https://gen.vault.azure.net\" }",
];
const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

#[derive(Debug, Clone)]
struct Env {
    name: String,
    production: bool,
    /// Indices into `OWNERS`, or `None` for the platform team; repeats allowed.
    approvers: Vec<Option<usize>>,
    /// Where its certificate comes from: an index into `ISSUERS`.
    issuer: usize,
    /// `sync = "manual"` rather than `"auto"`.
    manual: bool,
    /// Its clusters; none for an environment that names its one `cluster`.
    clusters: Vec<Cluster>,
    /// The Pod Security level it enforces: an index into `LEVELS`.
    pod_security: usize,
    /// Declares the zones of its nodes, so services of more than one pod spread.
    zones: bool,
}

/// Pod Security levels, least permissive first.
const LEVELS: [&str; 3] = ["restricted", "baseline", "privileged"];

#[derive(Debug, Clone)]
struct Cluster {
    name: String,
    wave: u8,
    /// `overrides = { replicas = N }`: the replicas of every service in the cluster.
    replicas: Option<u8>,
    /// Ingress hosts of its own (`<cluster>.<env>.example`) rather than the environment's.
    own_domain: bool,
    region: Option<&'static str>,
    /// Zones of its own, and a priority class for every service in it.
    zones: bool,
}

/// One cluster of one environment: indices into `GenSpec::envs` and its `clusters`.
type ClusterAt = (usize, usize);

/// `environments.<env>.certificates`, one of each form, and none.
const ISSUERS: [&str; 5] = [
    "",
    "certificates.issuer = \"letsencrypt\"\n",
    "certificates.acme = { server = \"https://acme.example/directory\", email = \"ops@gen.example\" }\n",
    "certificates.acme = { server = \"https://acme.example/directory\", email = \"ops@gen.example\", solver.route53 = { region = \"eu-west-1\" } }\n",
    "certificates.acme = { server = \"https://acme.example/directory\", email = \"ops@gen.example\", solver.cloudflare = { api_token_secret = \"cf\" } }\n",
];

#[derive(Debug, Clone)]
struct Service {
    name: String,
    team: usize,
    shared_repository: bool,
    strategy: &'static str,
    releasing: bool,
    /// Serves metrics (every Rollouts service does: its analysis reads them).
    scraped: bool,
    /// `overrides.<env>.clusters.<c> = { replicas = N }`.
    cluster_replicas: Option<(ClusterAt, u8)>,
    /// A release state of its own in one cluster (`deploy.<env>.clusters.<c>`): both colours
    /// running there for a blue/green service, another version for a Rollout.
    cluster_release: Option<ClusterAt>,
    /// What it listens on: an index into `PORTS` (a kind that serves nothing lists none).
    ports: usize,
    /// What it runs as: one of `KINDS`.
    kind: &'static str,
    /// How its containers run: an index into `SECURITY`.
    security: usize,
    /// Its resources and pull policy: an index into `EXTRAS`.
    extras: usize,
}

/// Optional settings: none, no memory limit, a pull policy of its own, a limit above the
/// request with the image never pulled, an init container and a sidecar of its own image,
/// node labels and taints with strict spreading, node affinity with spreading off,
/// configuration files, and a patch of the ServiceAccount from a file beside the spec (files
/// read from `tests/fixtures`, beside the crate's root, where a generated spec is read from).
const EXTRAS: [&str; 9] = [
    "",
    "resources = { memory_limit = false }\nsecret_files = { \"/etc/app/db.password\" = \"DB_PASSWORD\" }\n",
    "pull = \"if-not-present\"\nvolumes.cache = { path = \"/var/cache/app\", size = \"1Gi\" }\nvolumes.shm = { path = \"/dev/shm\", memory = true }\n",
    "pull = \"never\"\nresources = { memory = \"256Mi\", memory_limit = \"1Gi\" }\n",
    "init_containers.setup = { command = [\"/app/setup\"] }\nsidecars.proxy = { ports.proxy = { port = 9901 }, probes.readiness = { tcp = \"proxy\" } }\n",
    "scheduling = { node_selector = { \"node.kubernetes.io/pool\" = \"general\" }, tolerations = [{ key = \"dedicated\", value = \"gen\", effect = \"NoSchedule\" }, { operator = \"Exists\", effect = \"NoExecute\", seconds = 30 }], priority_class = \"gen-high\", spread = \"strict\" }\n",
    "scheduling = { node_affinity = { required = { \"kubernetes.io/arch\" = [\"amd64\", \"arm64\"] }, preferred = { \"node.kubernetes.io/lifecycle\" = [\"spot\"] } }, spread = false }\n",
    "config_files = { \"/etc/app/app.yaml\" = \"tests/fixtures/config/app.yaml\", \"/etc/nginx/conf.d/default.conf\" = \"tests/fixtures/config/default.conf\" }\n",
    "patches = [{ file = \"tests/fixtures/escape-hatch/service-account.yaml\", target = { kind = \"ServiceAccount\" } }]\n",
];

/// The budget of a service that keeps running, with the extras of this index.
const BUDGETS: [&str; EXTRAS.len()] = [
    "",
    "disruption = { max_unavailable = \"25%\" }\n",
    "",
    "disruption = { max_unavailable = 2 }\n",
    "",
    "",
    "disruption = { min_available = 0 }\n",
    "",
    "",
];

/// Security settings, each with the index into `LEVELS` it needs: strict, a user of its own
/// with a writable root, no /tmp, root with default capabilities, and a privileged capability.
const SECURITY: [(&str, usize); 5] = [
    ("", 0),
    (
        "security = { user = 999, group = 999, writable_root = true }\n",
        0,
    ),
    (
        "security = { user = 1000, fs_group = 2000, tmp = false, capabilities = [\"NET_BIND_SERVICE\"] }\n",
        0,
    ),
    (
        "security = { user = 0, capabilities = [\"CHOWN\", \"SETUID\"] }\n",
        1,
    ),
    ("security = { capabilities = [\"NET_ADMIN\"] }\n", 2),
];

/// Every kind of workload; the first is the default.
const KINDS: [&str; 5] = ["deployment", "worker", "statefulset", "cronjob", "job"];

impl Service {
    fn serves(&self) -> bool {
        matches!(self.kind, "deployment" | "statefulset")
    }

    fn rolls_in_place(&self) -> bool {
        self.kind != "deployment"
    }

    /// The name of the file of its one workload, as Kubernetes names the kind.
    fn object_file(&self) -> &'static str {
        match self.kind {
            "statefulset" => "statefulset",
            "cronjob" => "cronjob",
            "job" => "job",
            _ => "deployment",
        }
    }

    /// Its optional settings; a job's one pod has nothing to spread, so its kind is told no
    /// `spread`.
    fn extras_text(&self) -> String {
        if matches!(self.kind, "cronjob" | "job") {
            EXTRAS[self.extras].replace(", spread = \"strict\"", "")
        } else {
            EXTRAS[self.extras].to_owned()
        }
    }

    /// What its kind adds to its table.
    fn kind_text(&self) -> String {
        match self.kind {
            "worker" => "kind = \"worker\"\nprobes.liveness = { exec = [\"/bin/alive\"] }\n".to_owned(),
            "statefulset" => "kind = \"statefulset\"\nstorage.data = { path = \"/data\", size = \"1Gi\" }\n".to_owned(),
            "cronjob" => "kind = \"cronjob\"\nschedule = \"0 3 * * *\"\ntimezone = \"Europe/Berlin\"\nrun = { deadline = \"1h\", retries = 2 }\n".to_owned(),
            "job" => "kind = \"job\"\nrun = { deadline = \"10m\" }\n".to_owned(),
            _ => String::new(),
        }
    }
}

/// The ports a service lists: none (one `http` port on `port`), or several of every protocol,
/// the route reaching an HTTP one, with probes of every kind.
const PORTS: [&str; 5] = [
    "",
    "ports.http = { port = 8080, expose = 80 }\nports.grpc = { port = 9095, protocol = \"grpc\" }\n",
    "ports.grpc = { port = 7070, protocol = \"grpc\" }\nports.web = { port = 8080 }\nroute_port = \"web\"\nprobes.readiness = { grpc = \"grpc\", service = \"gen\", period = 7 }\n",
    "ports.redis = { port = 6379, protocol = \"tcp\" }\nports.admin = { port = 8081 }\nprobes.liveness = { exec = [\"redis-cli\", \"ping\"], delay = 3 }\nprobes.startup = { http = \"/started\", port = \"admin\" }\n",
    "ports.api = { port = 3000, expose = 80 }\nports.stats = { port = 8125, protocol = \"udp\" }\nprobes.readiness = false\n",
];

#[derive(Debug, Clone)]
struct GenSpec {
    enterprise: String,
    registry: String,
    envs: Vec<Env>,
    /// Team names and their owners (indices into `OWNERS`, repeats allowed).
    teams: Vec<(String, Vec<usize>)>,
    base: String,
    services: Vec<Service>,
    branches: Vec<&'static str>,
}

impl GenSpec {
    fn text(&self) -> String {
        let mut t = String::new();
        let _ = writeln!(
            t,
            "[enterprise]\nname = \"{}\"\nregistry = \"{}\"\ngitops_repo = \"https://g.example/gen/gitops.git\"\nplatform_team = \"{PLATFORM}\"\n",
            self.enterprise, self.registry
        );
        for env in &self.envs {
            let approvers: Vec<String> = env
                .approvers
                .iter()
                .map(|a| format!("\"{}\"", a.map_or(PLATFORM, |i| OWNERS[i])))
                .collect();
            let placement = if env.clusters.is_empty() {
                format!("cluster = \"https://{}.example\"\n", env.name)
            } else {
                String::new()
            };
            let _ = writeln!(
                t,
                "[environments.{0}]\n{placement}domain = \"{0}.example\"\nproduction = {1}\nrequire_digest = {1}\nsync = \"{5}\"\napprovers = [{2}]\npod_security = \"{6}\"\n{7}secret_store.{3}\n{4}",
                env.name,
                env.production,
                approvers.join(", "),
                STORES[env.name.len() % STORES.len()],
                ISSUERS[env.issuer],
                if env.manual { "manual" } else { "auto" },
                LEVELS[env.pod_security],
                if env.zones {
                    "zones = [\"z-a\", \"z-b\", \"z-c\"]\n"
                } else {
                    ""
                },
            );
            clusters_text(&mut t, env);
        }
        for (name, owners) in &self.teams {
            let owners: Vec<String> = owners
                .iter()
                .map(|&i| format!("\"{}\"", OWNERS[i]))
                .collect();
            let _ = writeln!(t, "[teams.{name}]\nowners = [{}]\n", owners.join(", "));
        }
        let _ = writeln!(
            t,
            "[base_images.{0}]\nimage = \"base/{0}\"\nversions.\"1.0\" = {{}}\nversions.\"0.9\" = {{ status = \"blocked\", reason = \"CVE\" }}\n",
            self.base
        );
        let branches: Vec<String> = self.branches.iter().map(|b| format!("\"{b}\"")).collect();
        let _ = writeln!(
            t,
            "[terraform]\nsource = \"git::https://g.example/gen/modules.git\"\noidc_branches = [{}]\nmodules = {{ github-oidc = \"v1.0.0\" }}\n",
            branches.join(", ")
        );
        for (i, s) in self.services.iter().enumerate() {
            let _ = writeln!(
                t,
                "[services.{}]\nteam = \"{}\"\nbase = \"{}:1.0\"\nversion = \"1.0.0@{DIGEST}\"\nsecrets = {{ DB_PASSWORD = \"s{i}/db#password\" }}",
                s.name, self.teams[s.team].0, self.base
            );
            t.push_str(&s.kind_text());
            t.push_str(SECURITY[s.security].0);
            t.push_str(&s.extras_text());
            if !matches!(s.kind, "cronjob" | "job") {
                t.push_str(BUDGETS[s.extras]);
            }
            if s.serves() {
                let _ = writeln!(t, "route = \"/r{i}\"");
                t.push_str(PORTS[s.ports]);
            }
            if !s.rolls_in_place() {
                let _ = writeln!(t, "strategy = \"{}\"", s.strategy);
            }
            if s.shared_repository {
                let _ = writeln!(t, "repository = \"gen/shared\"");
            }
            match (s.scraped, s.kind) {
                (_, "cronjob" | "job") => {}
                (true, "worker") => {
                    let _ = writeln!(t, "metrics = {{ port = 9100 }}");
                }
                (false, _) => {
                    let _ = writeln!(t, "metrics = {{ enabled = false }}");
                }
                _ => {}
            }
            if let Some(((e, c), replicas)) = s.cluster_replicas {
                let _ = writeln!(
                    t,
                    "overrides.{}.clusters.{} = {{ replicas = {replicas}, scheduling = {{ node_selector = {{ \"gen.example/rack\" = \"r1\" }} }} }}",
                    self.envs[e].name, self.envs[e].clusters[c].name
                );
            }
            deploy_text(&mut t, self, s);
            t.push('\n');
        }
        security_exceptions_text(&mut t, self);
        t
    }

    /// Where each environment runs: `<env>`, or `<env>/<cluster>` for each of its clusters.
    fn places(&self) -> BTreeSet<String> {
        self.envs
            .iter()
            .flat_map(|env| {
                let clusters = env
                    .clusters
                    .iter()
                    .map(|c| format!("{}/{}", env.name, c.name));
                let one = env.clusters.is_empty().then(|| env.name.clone());
                one.into_iter().chain(clusters).collect::<Vec<_>>()
            })
            .collect()
    }

    /// Every name of the spec, so a name a diagnostic quotes can be shortened.
    fn names_mut(&mut self) -> Vec<&mut String> {
        let mut names = vec![&mut self.enterprise, &mut self.base];
        for env in &mut self.envs {
            names.push(&mut env.name);
            names.extend(env.clusters.iter_mut().map(|c| &mut c.name));
        }
        names.extend(self.teams.iter_mut().map(|t| &mut t.0));
        names.extend(self.services.iter_mut().map(|s| &mut s.name));
        names
    }
}

/// What needs more than some environment enforces is granted where it needs it.
fn security_exceptions_text(t: &mut String, spec: &GenSpec) {
    for s in &spec.services {
        let needs = SECURITY[s.security].1;
        let short: Vec<String> = spec
            .envs
            .iter()
            .filter(|env| env.pod_security < needs)
            .map(|env| format!("\"{}\"", env.name))
            .collect();
        if !short.is_empty() {
            let _ = writeln!(
                t,
                "[[security_exceptions]]\nservice = \"{}\"\nlevel = \"{}\"\nreason = \"needs it\"\nenvironments = [{}]\n",
                s.name,
                LEVELS[needs],
                short.join(", ")
            );
        }
    }
}

/// The `[environments.<env>.clusters.<c>]` tables of an environment.
fn clusters_text(t: &mut String, env: &Env) {
    for c in &env.clusters {
        let _ = writeln!(
            t,
            "[environments.{0}.clusters.{1}]\nserver = \"https://{1}.{0}.example\"\nwave = {2}",
            env.name, c.name, c.wave
        );
        if let Some(region) = c.region {
            let _ = writeln!(t, "region = \"{region}\"");
        }
        if c.own_domain {
            let _ = writeln!(t, "domain = \"{}.{}.example\"", c.name, env.name);
        }
        let mut overrides = Vec::new();
        if let Some(replicas) = c.replicas {
            overrides.push(format!("replicas = {replicas}"));
        }
        if c.zones {
            let _ = writeln!(t, "zones = [\"zone-1\", \"zone-2\"]");
            overrides.push("scheduling = { priority_class = \"gen-cluster\" }".to_owned());
        }
        if !overrides.is_empty() {
            let _ = writeln!(t, "overrides = {{ {} }}", overrides.join(", "));
        }
        t.push('\n');
    }
}

/// The release states of a service, one inline table per environment: the environment's,
/// then the clusters' own inside it.
fn deploy_text(t: &mut String, spec: &GenSpec, s: &Service) {
    let last = spec.envs.len() - 1;
    let mut deploy: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    if s.releasing {
        // A kind without colours runs the new version where a Deployment previews it.
        let state = if s.rolls_in_place() {
            vec![format!("version = \"1.1.0@{DIGEST}\"")]
        } else {
            vec![
                format!("blue = \"1.0.0@{DIGEST}\""),
                format!("green = \"1.1.0@{DIGEST}\""),
                "live = \"blue\"".to_owned(),
            ]
        };
        deploy.insert(last, state);
    }
    if let Some((e, c)) = s.cluster_release {
        let own = if s.rolls_in_place() {
            format!("version = \"1.1.0@{DIGEST}\"")
        } else if s.strategy == "blue-green" {
            format!(
                "blue = \"1.0.0@{DIGEST}\", green = \"1.1.0@{DIGEST}\", live = \"green\", previous = \"blue\""
            )
        } else {
            format!("blue = \"1.1.0@{DIGEST}\", live = \"blue\"")
        };
        deploy
            .entry(e)
            .or_insert_with(|| {
                if s.rolls_in_place() {
                    vec![format!("version = \"1.0.0@{DIGEST}\"")]
                } else {
                    vec![
                        format!("blue = \"1.0.0@{DIGEST}\""),
                        "live = \"blue\"".to_owned(),
                    ]
                }
            })
            .push(format!(
                "clusters.{} = {{ {own} }}",
                spec.envs[e].clusters[c].name
            ));
    }
    for (e, state) in deploy {
        let _ = writeln!(
            t,
            "deploy.{} = {{ {} }}",
            spec.envs[e].name,
            state.join(", ")
        );
    }
}

/// A lowercase name that starts with a letter: short, or long enough to meet a limit (one
/// character is left for the index that keeps names apart).
fn name(prefix: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![1usize..=8, 20usize..=62].prop_flat_map(move |len| {
        let rest = len.saturating_sub(prefix.len()).max(1);
        proptest::string::string_regex(&format!("[a-z0-9]{{{rest}}}"))
            .unwrap()
            .prop_map(move |tail| format!("{prefix}{tail}"))
    })
}

/// A cluster of some clustered environment, resolved once the environments are known.
type ClusterPick = (prop::sample::Index, prop::sample::Index);

/// A cluster named like every other name, in wave 0 to 2, sometimes with replicas, a domain
/// or a region of its own.
fn cluster() -> impl Strategy<Value = Cluster> {
    (
        name("c"),
        0u8..3,
        prop::option::weighted(0.25, 1u8..5),
        prop::bool::weighted(0.25),
        prop::option::weighted(0.3, prop::sample::select(vec!["eu-west-1", "us-east-1"])),
        prop::bool::weighted(0.3),
    )
        .prop_map(
            |(name, wave, replicas, own_domain, region, zones)| Cluster {
                name,
                wave,
                replicas,
                own_domain,
                region,
                zones,
            },
        )
}

/// Two to five environments, at least one of them production, about one in three listing
/// clusters.
fn environments() -> impl Strategy<Value = Vec<Env>> {
    prop::collection::vec(
        (
            name("e"),
            any::<bool>(),
            prop::collection::vec(prop::option::of(0..OWNERS.len()), 0..4),
            0..ISSUERS.len(),
            any::<bool>(),
            prop_oneof![
                2 => Just(Vec::new()),
                1 => prop::collection::vec(cluster(), 1..=3),
            ],
            prop_oneof![3 => Just(0usize), 1 => 1..LEVELS.len()],
            prop::bool::weighted(0.5),
        ),
        2..=5,
    )
    .prop_map(|envs| {
        let mut envs: Vec<Env> = envs
            .into_iter()
            .enumerate()
            .map(
                |(
                    i,
                    (name, production, approvers, issuer, manual, clusters, pod_security, zones),
                )| Env {
                    name: indexed(&name, i),
                    production,
                    approvers,
                    issuer,
                    manual,
                    clusters: clusters
                        .into_iter()
                        .enumerate()
                        .map(|(j, c)| Cluster {
                            name: indexed(&c.name, j),
                            ..c
                        })
                        .collect(),
                    pod_security,
                    zones,
                },
            )
            .collect();
        if !envs.iter().any(|e| e.production) {
            envs.last_mut().unwrap().production = true;
        }
        envs
    })
}

/// The branches Terraform's OIDC trust lists: one, two, one twice.
fn oidc_branches() -> impl Strategy<Value = Vec<&'static str>> {
    prop::sample::select(vec![
        vec!["main"],
        vec!["main", "release"],
        vec!["main", "main"],
    ])
}

/// Registries with a port, a path, neither, and on localhost.
fn registries() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "harbor.example.com:8443",
        "registry.example:5000/estate",
        "r.example",
        "localhost:5000",
    ])
}

/// What each service draws: name, team, shared repository, strategy, releasing, scraped,
/// cluster replicas, a cluster release, ports, kind, security and extras.
type ServiceDraw = (
    String,
    prop::sample::Index,
    bool,
    &'static str,
    bool,
    bool,
    Option<(ClusterPick, u8)>,
    Option<ClusterPick>,
    usize,
    &'static str,
    usize,
    usize,
);

fn services() -> impl Strategy<Value = Vec<ServiceDraw>> {
    prop::collection::vec(
        (
            name("s"),
            any::<prop::sample::Index>(),
            any::<bool>(),
            prop::sample::select(vec!["blue-green", "canary", "rollout-blue-green"]),
            any::<bool>(),
            prop::bool::weighted(0.8),
            prop::option::weighted(0.3, (any::<ClusterPick>(), 1u8..6)),
            prop::option::weighted(0.3, any::<ClusterPick>()),
            0..PORTS.len(),
            prop_oneof![3 => Just(KINDS[0]), 2 => prop::sample::select(KINDS[1..].to_vec())],
            prop_oneof![2 => Just(0usize), 3 => 1..SECURITY.len()],
            0..EXTRAS.len(),
        ),
        1..6,
    )
}

fn gen_spec() -> impl Strategy<Value = GenSpec> {
    let envs = environments();
    let teams = prop::collection::vec(
        (name("t"), prop::collection::vec(0..OWNERS.len(), 1..4)),
        1..4,
    );
    let services = services();
    (
        name("x"),
        registries(),
        envs,
        teams,
        name("b"),
        services,
        oidc_branches(),
    )
        .prop_map(
            |(enterprise, registry, envs, teams, base, services, branches)| {
                let team_count = teams.len();
                let teams = teams
                    .into_iter()
                    .enumerate()
                    .map(|(i, (name, owners))| (indexed(&name, i), owners))
                    .collect();
                let clustered: Vec<usize> = (0..envs.len())
                    .filter(|&e| !envs[e].clusters.is_empty())
                    .collect();
                let at = |(env, cluster): ClusterPick| -> Option<ClusterAt> {
                    let e = *clustered.get(env.index(clustered.len().max(1)))?;
                    Some((e, cluster.index(envs[e].clusters.len())))
                };
                let services = services
                    .into_iter()
                    .enumerate()
                    .map(
                        |(
                            i,
                            (
                                name,
                                team,
                                shared,
                                strategy,
                                releasing,
                                scraped,
                                replicas,
                                own,
                                ports,
                                kind,
                                security,
                                extras,
                            ),
                        )| {
                            // Only a deployment has colours and delivery strategies.
                            let strategy = if kind == "deployment" {
                                strategy
                            } else {
                                "blue-green"
                            };
                            let batch = matches!(kind, "cronjob" | "job");
                            Service {
                                name: indexed(&name, i),
                                team: team.index(team_count),
                                shared_repository: shared,
                                strategy,
                                releasing: releasing && strategy == "blue-green",
                                scraped: scraped || strategy != "blue-green",
                                cluster_replicas: replicas
                                    .filter(|_| !batch)
                                    .and_then(|(pick, n)| Some((at(pick)?, n))),
                                cluster_release: own.and_then(at),
                                ports,
                                kind,
                                security,
                                extras,
                            }
                        },
                    )
                    .collect();
                GenSpec {
                    enterprise,
                    registry: registry.to_owned(),
                    envs,
                    teams,
                    base,
                    services,
                    branches,
                }
            },
        )
}

/// The index goes right after the first letter, so names stay apart when they are shortened.
fn indexed(name: &str, i: usize) -> String {
    format!("{}{i}{}", &name[..1], &name[1..])
}

static TOO_LONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"`([a-z0-9-]+)` is \d+ characters long; at most (\d+) fit").unwrap()
});

fn today() -> Date {
    Date::parse("2026-11-22").unwrap()
}

/// Compiles the spec, shortening every name validation finds too long to the length it says
/// fits, until it compiles. When one name alone was too long, its limit must be tight: one
/// more character is refused.
fn compile_at_limits(mut spec: GenSpec) -> Result<(GenSpec, Tree), TestCaseError> {
    let mut shortened: Vec<(String, usize)> = Vec::new();
    for _ in 0..8 {
        let diagnostics = match compile(&Source::new("enterprise.toml", spec.text()), today()) {
            Ok(compiled) => {
                if let [(long, limit)] = shortened.as_slice() {
                    let mut longer = spec.clone();
                    for name in longer.names_mut() {
                        if *name == long[..*limit] {
                            long[..=*limit].clone_into(name);
                        }
                    }
                    prop_assert!(
                        compile(&Source::new("enterprise.toml", longer.text()), today()).is_err(),
                        "`{}` is said to fit in at most {} characters, yet one more compiles",
                        long,
                        limit
                    );
                }
                return Ok((spec, compiled.tree));
            }
            Err(diagnostics) => diagnostics,
        };
        // A warning (a `spread` with no zones to spread across) comes with the errors. The
        // diagnostic's type cannot be named from here, hence the closure.
        #[allow(clippy::redundant_closure_for_method_calls)]
        let errors: Vec<_> = diagnostics.into_iter().filter(|d| d.is_error()).collect();
        for diagnostic in errors {
            let captures = TOO_LONG.captures(&diagnostic.message);
            prop_assert!(
                captures.is_some(),
                "not a name length: {}\n{}",
                diagnostic.message,
                spec.text()
            );
            let captures = captures.unwrap();
            let (long, limit) = (
                captures[1].to_owned(),
                captures[2].parse::<usize>().unwrap(),
            );
            prop_assert!(limit > 0 && limit < long.len(), "{}", diagnostic.message);
            let short = &long[..limit];
            // Two names cut to the same text would be one key twice: not a case to judge.
            prop_assume!(
                spec.names_mut()
                    .iter()
                    .all(|name| **name == long || **name != short)
            );
            for name in spec.names_mut() {
                if *name == long {
                    short.clone_into(name);
                }
            }
            shortened.push((long, limit));
        }
    }
    Err(TestCaseError::fail(format!(
        "still refused after shortening\n{}",
        spec.text()
    )))
}

fn label(name: &str) -> bool {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$").unwrap());
    name.len() <= 63 && RE.is_match(name)
}

fn dns1035(name: &str) -> bool {
    label(name) && name.starts_with(|c: char| c.is_ascii_lowercase())
}

fn subdomain(name: &str) -> bool {
    name.len() <= 253
        && name
            .split('.')
            .all(|part| !part.is_empty() && RE_PART.is_match(part))
}

static RE_PART: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$").unwrap());

fn label_value(value: &str) -> bool {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$").unwrap());
    value.len() <= 63 && RE.is_match(value)
}

/// Whether `name` may name an object of `kind`.
fn fits(kind: &str, name: &str) -> bool {
    match kind {
        "Service" => dns1035(name),
        // Argo CD puts an Application's name in the `app.kubernetes.io/instance` label.
        "Namespace" | "Application" => label(name),
        // Kyverno refuses policy names longer than 63 characters.
        "ClusterPolicy" => subdomain(name) && name.len() <= 63,
        _ => subdomain(name),
    }
}

fn yaml_documents(tree: &Tree) -> Vec<(String, Value)> {
    tree.iter()
        .filter(|(path, _)| {
            std::path::Path::new(path)
                .extension()
                .is_some_and(|e| e == "yaml")
        })
        .flat_map(|(path, bytes)| {
            let text = std::str::from_utf8(bytes).unwrap();
            text.split("\n---\n")
                .map(|doc| doc.trim_start_matches("---\n"))
                .filter(|doc| {
                    doc.lines()
                        .any(|l| !l.starts_with('#') && !l.trim().is_empty())
                })
                .map(|doc| {
                    (
                        path.to_owned(),
                        serde_saphyr::from_str::<Value>(doc).unwrap(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every label map of an object: its own, its pod template's, its selectors'.
fn label_maps(doc: &Value) -> Vec<&serde_json::Map<String, Value>> {
    let mut maps = Vec::new();
    for pointer in [
        "/metadata/labels",
        "/spec/template/metadata/labels",
        "/spec/selector/matchLabels",
        "/spec/selector",
    ] {
        if let Some(Value::Object(map)) = doc.pointer(pointer) {
            maps.push(map);
        }
    }
    maps
}

fn strings_of(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// No array of strings anywhere in the document repeats an entry.
fn assert_no_repeats(path: &str, value: &Value) -> Result<(), TestCaseError> {
    match value {
        Value::Array(items) => {
            let strings: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            let unique: BTreeSet<&str> = strings.iter().copied().collect();
            prop_assert_eq!(
                unique.len(),
                strings.len(),
                "{} repeats an entry: {:?}",
                path,
                strings
            );
            for item in items {
                assert_no_repeats(path, item)?;
            }
        }
        Value::Object(map) => {
            for item in map.values() {
                assert_no_repeats(path, item)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Kyverno's reading of a pattern string: `|` separates alternatives, `&` conditions that all
/// hold, `!` negates; `*` is any text (slashes too) and `?` one character.
fn kyverno_matches(pattern: &str, value: &str) -> bool {
    pattern.split('|').any(|alternative| {
        alternative.split('&').all(|condition| {
            let condition = condition.trim();
            match condition.strip_prefix('!') {
                Some(negated) => !wildcard(negated, value),
                None => wildcard(condition, value),
            }
        })
    })
}

fn wildcard(pattern: &str, value: &str) -> bool {
    let mut regex = String::from("^");
    for c in pattern.chars() {
        match c {
            '*' => regex.push_str(".*"),
            '?' => regex.push('.'),
            c => regex.push_str(&regex::escape(&c.to_string())),
        }
    }
    regex.push('$');
    Regex::new(&regex).unwrap().is_match(value)
}

fn sso(owner: &str) -> String {
    owner.trim_start_matches('@').replacen('/', ":", 1)
}

fn unique_sorted(items: impl IntoIterator<Item = String>) -> Vec<String> {
    items
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Who owns a path of the tree, by the rule: shared files are the platform team's and every
/// production approver's; an environment's own files the platform team's and its approvers';
/// a service's files its team's, with each environment's approvers on that environment's
/// overlay (which is the platform team's and the approvers' alone in production).
fn expected_owners(spec: &GenSpec, path: &str) -> Vec<String> {
    let approvers = |env: &Env| -> Vec<String> {
        env.approvers
            .iter()
            .map(|a| a.map_or(PLATFORM, |i| OWNERS[i]).to_owned())
            .collect()
    };
    let environment =
        |env: &Env| unique_sorted(std::iter::once(PLATFORM.to_owned()).chain(approvers(env)));
    let env_named = |name: &str| spec.envs.iter().find(|e| e.name == name);
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["apps", service, rest @ ..] => {
            let service = spec.services.iter().find(|s| s.name == *service).unwrap();
            let team: Vec<String> = spec.teams[service.team]
                .1
                .iter()
                .map(|&i| OWNERS[i].to_owned())
                .collect();
            if let ["overlays", env, ..] = rest {
                let env = env_named(env).unwrap();
                if env.production {
                    return environment(env);
                }
                return unique_sorted(team.into_iter().chain(approvers(env)));
            }
            unique_sorted(team)
        }
        ["envs" | "terraform", env, ..] | ["argocd", "environments", env, _] => {
            environment(env_named(env).unwrap())
        }
        [
            "argocd",
            "projects" | "applicationsets" | "environments",
            file,
        ] => environment(env_named(file.strip_suffix(".yaml").unwrap()).unwrap()),
        _ => unique_sorted(
            std::iter::once(PLATFORM.to_owned()).chain(
                spec.envs
                    .iter()
                    .filter(|e| e.production)
                    .flat_map(approvers),
            ),
        ),
    }
}

type Documents = Vec<(String, Value)>;

/// The place a file of an environment serves, `<env>` or `<env>/<cluster>`, from
/// `envs/<place>/<file>` or `apps/<svc>/overlays/<place>/<file>`.
fn place_of(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let (["envs", place @ .., _] | ["apps", _, "overlays", place @ .., _]) = parts.as_slice()
    else {
        return None;
    };
    (!place.is_empty()).then(|| place.join("/"))
}

fn check_names(docs: &Documents) -> Result<(), TestCaseError> {
    for (path, doc) in docs {
        let path = path.as_str();
        assert_no_repeats(path, doc)?;
        let Some(kind) = doc["kind"].as_str() else {
            continue;
        };
        if let Some(name) = doc.pointer("/metadata/name").and_then(Value::as_str) {
            prop_assert!(
                fits(kind, name),
                "{}: {} name `{}` ({} characters)",
                path,
                kind,
                name,
                name.len()
            );
        }
        for map in label_maps(doc) {
            for (key, value) in map {
                let value = value.as_str().unwrap_or_default();
                if !value.contains("{{") {
                    prop_assert!(
                        label_value(value),
                        "{}: label {}={} ({} characters)",
                        path,
                        key,
                        value,
                        value.len()
                    );
                }
            }
        }
        for container in doc
            .pointer("/spec/template/spec/containers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = container["name"].as_str().unwrap();
            prop_assert!(label(name), "{}: container `{}`", path, name);
        }
        if kind == "ClusterPolicy" {
            for rule in doc["spec"]["rules"].as_array().unwrap() {
                let name = rule["name"].as_str().unwrap();
                prop_assert!(name.len() <= 63, "{}: Kyverno rule `{}`", path, name);
            }
        }
        if kind == "ApplicationSet" {
            let env = doc["metadata"]["labels"]["fleetc.io/environment"]
                .as_str()
                .unwrap();
            let elements = doc["spec"]["generators"][0]["list"]["elements"]
                .as_array()
                .unwrap();
            for (element, app) in elements.iter().zip(applications(doc)) {
                let expected = match element["cluster"].as_str() {
                    Some(cluster) => format!("{}-{env}-{cluster}", app.service),
                    None => format!("{}-{env}", app.service),
                };
                prop_assert_eq!(&app.name, &expected, "{}", path);
                prop_assert!(
                    fits("Application", &app.name),
                    "{}: Application `{}`",
                    path,
                    app.name
                );
                // The template's labels read these, so they are label values once substituted.
                for key in ["team", "cluster", "wave"] {
                    if let Some(value) = element.get(key) {
                        prop_assert!(
                            value.as_str().is_some_and(label_value),
                            "{}: {} {}",
                            path,
                            key,
                            value
                        );
                    }
                }
            }
        }
    }
    // JSON 6902 patches that set labels set label values.
    for (path, doc) in docs {
        for op in doc.as_array().into_iter().flatten() {
            if op["path"].as_str().is_some_and(|p| p.contains("/labels/"))
                && let Some(value) = op["value"].as_str()
            {
                prop_assert!(
                    label_value(value),
                    "{}: patched label value {}",
                    path,
                    value
                );
            }
        }
    }
    Ok(())
}

fn check_owners(spec: &GenSpec, tree: &Tree, docs: &Documents) -> Result<(), TestCaseError> {
    let codeowners = std::str::from_utf8(tree.get("CODEOWNERS").unwrap()).unwrap();
    for line in codeowners
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let owners: Vec<&str> = line.split_whitespace().skip(1).collect();
        let unique: BTreeSet<&&str> = owners.iter().collect();
        prop_assert_eq!(
            unique.len(),
            owners.len(),
            "CODEOWNERS repeats an owner: {}",
            line
        );
    }
    let rules = common::codeowners::Codeowners::parse(codeowners);
    for path in tree.paths() {
        let found = rules.owners(&format!("generated/{path}"));
        let found = unique_sorted(found.into_iter().map(str::to_owned));
        prop_assert_eq!(found, expected_owners(spec, path), "owners of {}", path);
    }
    let teams: Vec<String> = spec
        .teams
        .iter()
        .flat_map(|t| t.1.iter().map(|&i| sso(OWNERS[i])))
        .collect();
    for env in &spec.envs {
        let project = &docs
            .iter()
            .find(|(path, _)| *path == format!("argocd/projects/{}.yaml", env.name))
            .unwrap()
            .1;
        let project_roles = project["spec"]["roles"].as_array().unwrap();
        let role = |name: &str| {
            strings_of(&project_roles.iter().find(|r| r["name"] == name).unwrap()["groups"])
        };
        let sync = std::iter::once(sso(PLATFORM)).chain(
            env.approvers
                .iter()
                .map(|a| sso(a.map_or(PLATFORM, |i| OWNERS[i]))),
        );
        prop_assert_eq!(
            unique_sorted(role("sync")),
            unique_sorted(sync),
            "sync role of {}",
            env.name
        );
        prop_assert_eq!(
            unique_sorted(role("read-only")),
            unique_sorted(teams.clone())
        );
    }
    Ok(())
}

fn check_subjects(tree: &Tree) -> Result<(), TestCaseError> {
    for (path, bytes) in tree.under("terraform/") {
        let terraform: Value = hcl::from_str(std::str::from_utf8(bytes).unwrap()).unwrap();
        let subjects = strings_of(&terraform["module"]["github_oidc"]["subjects"]);
        prop_assert!(!subjects.is_empty(), "{}", path);
        let unique: BTreeSet<&String> = subjects.iter().collect();
        prop_assert_eq!(
            unique.len(),
            subjects.len(),
            "{} repeats a subject: {:?}",
            path,
            subjects
        );
    }
    Ok(())
}

/// Every Application refreshes on the folders its overlay's kustomization reads, followed
/// resource by resource through the tree, each named path holding some of them, and all of
/// them its own service's: a commit to another service or to an environment's shared files
/// never refreshes it.
fn check_manifest_paths(tree: &Tree, docs: &Documents) -> Result<(), TestCaseError> {
    let document = |path: &str| docs.iter().find(|(p, _)| p == path).map(|(_, d)| d);
    let root = document("argocd/root.yaml").unwrap();
    let prefix = root["spec"]["source"]["path"]
        .as_str()
        .and_then(|p| p.strip_suffix("argocd"))
        .unwrap();
    let in_tree = |repo_path: Option<&String>| {
        repo_path
            .and_then(|p| p.strip_prefix(prefix))
            .map(str::to_owned)
    };
    let sets = docs.iter().filter(|(_, d)| d["kind"] == "ApplicationSet");
    for app in sets.flat_map(|(_, d)| applications(d)) {
        let overlay = in_tree(Some(&app.source_path)).unwrap();
        let mut read = BTreeSet::new();
        let mut pending = vec![overlay];
        while let Some(folder) = pending.pop() {
            if !read.insert(folder.clone()) {
                continue;
            }
            let kustomization = document(&format!("{folder}/kustomization.yaml"));
            prop_assert!(
                kustomization.is_some(),
                "{}: no kustomization in {}",
                app.name,
                folder
            );
            let kustomization = kustomization.unwrap();
            let files = kustomization["patches"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|patch| &patch["path"]);
            for entry in strings_of(&kustomization["resources"])
                .into_iter()
                .chain(files.filter_map(|p| p.as_str().map(str::to_owned)))
            {
                let target = resolve(&folder, &entry);
                prop_assert!(target.is_some(), "{}: {} climbs out", folder, entry);
                let target = target.unwrap();
                if tree.get(&format!("{target}/kustomization.yaml")).is_some() {
                    pending.push(target);
                } else {
                    prop_assert!(
                        target.starts_with(&format!("{folder}/")),
                        "{}: the file {} lies outside {}",
                        app.name,
                        target,
                        folder
                    );
                }
            }
        }
        let named: BTreeSet<String> = app
            .refresh_paths
            .iter()
            .map(|p| in_tree(p.as_ref()).unwrap_or_default())
            .collect();
        let within = |folder: &String, root: &String| {
            folder == root || folder.starts_with(&format!("{root}/"))
        };
        for folder in &read {
            prop_assert!(
                named.iter().any(|root| within(folder, root)),
                "{} reads {} but does not refresh on it: {:?}",
                app.name,
                folder,
                named
            );
        }
        for root in &named {
            prop_assert!(
                read.iter().any(|folder| within(folder, root)),
                "{} refreshes on {}, which it never reads",
                app.name,
                root
            );
        }
        let own = format!("apps/{}/", app.service);
        for folder in &named {
            prop_assert!(
                folder.starts_with(&own),
                "{}: {} is not its own",
                app.name,
                folder
            );
        }
    }
    Ok(())
}

/// Each environment's ApplicationSet generates one Application per service and place, named
/// after both, sent to that place's server and sourced from that place's overlay, and no
/// overlay is left without its Application. An environment that lists clusters rolls out wave
/// by wave: one RollingSync step per wave its Applications carry, in ascending order, each
/// selecting the Applications of its wave, and leaving every sync to a person (`maxUpdate: 0`)
/// exactly when the environment syncs by hand.
fn check_clusters(spec: &GenSpec, tree: &Tree, docs: &Documents) -> Result<(), TestCaseError> {
    let document = |path: &str| docs.iter().find(|(p, _)| p == path).map(|(_, d)| d);
    let prefix = document("argocd/root.yaml").unwrap()["spec"]["source"]["path"]
        .as_str()
        .and_then(|p| p.strip_suffix("argocd"))
        .unwrap();
    let mut sourced = BTreeSet::new();
    for env in &spec.envs {
        let path = format!("argocd/applicationsets/{}.yaml", env.name);
        let set = document(&path);
        prop_assert!(set.is_some(), "no {}", path);
        let set = set.unwrap();
        let template = &set["spec"]["template"];
        let wave_label = &template["metadata"]["labels"]["fleetc.io/wave"];
        // (Application, overlay, server, wave)
        let mut expected = Vec::new();
        for service in &spec.services {
            let s = &service.name;
            let e = &env.name;
            if env.clusters.is_empty() {
                expected.push((
                    format!("{s}-{e}"),
                    format!("apps/{s}/overlays/{e}"),
                    format!("https://{e}.example"),
                    None,
                ));
            }
            for c in &env.clusters {
                let n = &c.name;
                expected.push((
                    format!("{s}-{e}-{n}"),
                    format!("apps/{s}/overlays/{e}/{n}"),
                    format!("https://{n}.{e}.example"),
                    Some(c.wave.to_string()),
                ));
            }
        }
        let elements = set["spec"]["generators"][0]["list"]["elements"]
            .as_array()
            .unwrap();
        let mut found = Vec::new();
        for (element, app) in elements.iter().zip(applications(set)) {
            let overlay = app.source_path.strip_prefix(prefix).unwrap_or_default();
            prop_assert!(
                tree.get(&format!("{overlay}/kustomization.yaml")).is_some(),
                "{}: {} has no overlay at {}",
                path,
                app.name,
                app.source_path
            );
            let server = template["spec"]["destination"]["server"].as_str().unwrap();
            found.push((
                app.name.clone(),
                overlay.to_owned(),
                instantiate(server, element),
                wave_label.as_str().map(|w| instantiate(w, element)),
            ));
        }
        expected.sort();
        found.sort();
        prop_assert_eq!(&found, &expected, "Applications of {}", path);
        sourced.extend(found.iter().map(|(_, overlay, ..)| overlay.clone()));
        check_rolling_sync(env, &path, &set["spec"]["strategy"], &found)?;
    }
    let overlays: BTreeSet<String> = fleetc::overlays(tree)
        .into_iter()
        .filter(|o| o.starts_with("apps/"))
        .collect();
    prop_assert_eq!(
        overlays,
        sourced,
        "overlays and the Applications sourced from them"
    );
    Ok(())
}

/// An environment without clusters syncs all at once; one with clusters in RollingSync steps,
/// one per wave its Applications carry (`found`: Application, overlay, server, wave).
fn check_rolling_sync(
    env: &Env,
    path: &str,
    strategy: &Value,
    found: &[(String, String, String, Option<String>)],
) -> Result<(), TestCaseError> {
    if env.clusters.is_empty() {
        prop_assert!(strategy.is_null(), "{}: strategy {}", path, strategy);
        return Ok(());
    }
    prop_assert_eq!(&strategy["type"], "RollingSync", "{}", path);
    let mut steps = Vec::new();
    for step in strategy["rollingSync"]["steps"].as_array().unwrap() {
        let selects = &step["matchExpressions"];
        let wave = selects[0]["values"][0].as_str().unwrap_or_default();
        prop_assert_eq!(
            selects,
            &serde_json::json!([{ "key": "fleetc.io/wave", "operator": "In", "values": [wave] }]),
            "{}",
            path
        );
        let held = matches!(&step["maxUpdate"], Value::Number(n) if n.as_u64() == Some(0))
            || matches!(step["maxUpdate"].as_str(), Some("0" | "0%"));
        prop_assert_eq!(held, env.manual, "{}: maxUpdate of wave {}", path, wave);
        steps.push(wave.parse::<u8>().unwrap());
    }
    prop_assert!(
        steps.windows(2).all(|w| w[0] < w[1]),
        "{}: steps {:?} not ascending",
        path,
        steps
    );
    let carried: BTreeSet<u8> = found
        .iter()
        .filter_map(|(.., wave)| wave.as_ref()?.parse().ok())
        .collect();
    prop_assert_eq!(
        steps.iter().copied().collect::<BTreeSet<u8>>(),
        carried,
        "{}: steps and waves",
        path
    );
    Ok(())
}

/// A release in flight in one cluster runs there and nowhere else: its second colour (or, for
/// a Rollout, its version) is in that cluster's overlay only, unless the whole environment
/// runs it.
fn check_cluster_releases(spec: &GenSpec, tree: &Tree) -> Result<(), TestCaseError> {
    let last = spec.envs.len() - 1;
    for service in &spec.services {
        for (e, env) in spec.envs.iter().enumerate() {
            for (c, cluster) in env.clusters.iter().enumerate() {
                let own = service.cluster_release == Some((e, c));
                let dir = format!(
                    "apps/{}/overlays/{}/{}",
                    service.name, env.name, cluster.name
                );
                if service.rolls_in_place() {
                    let patch = format!("{dir}/{}-patch.yaml", service.object_file());
                    let patch = tree.get(&patch);
                    prop_assert!(patch.is_some(), "no workload patch in {}", dir);
                    let patch = std::str::from_utf8(patch.unwrap()).unwrap();
                    let whole = service.releasing && e == last;
                    prop_assert_eq!(patch.contains(":1.1.0@"), own || whole, "1.1.0 in {}", dir);
                } else if service.strategy == "blue-green" {
                    let green = tree
                        .get(&format!("{dir}/deployment-green-patch.yaml"))
                        .is_some();
                    let whole = service.releasing && e == last;
                    prop_assert_eq!(green, own || whole, "green in {}", dir);
                } else {
                    let patch = tree.get(&format!("{dir}/rollout-patch.yaml"));
                    prop_assert!(patch.is_some(), "no Rollout patch in {}", dir);
                    let patch = std::str::from_utf8(patch.unwrap()).unwrap();
                    prop_assert_eq!(patch.contains(":1.1.0@"), own, "1.1.0 in {}", dir);
                }
            }
        }
    }
    Ok(())
}

/// Two clusters of an environment the spec sets alike (the same replicas and zones, the
/// environment's domain, no replicas or release state of the service's own in either) get the same overlay
/// of each service but for the header, which names the cluster, and the `fleetc.io/cluster`
/// label: exactly what a build of each alone writes. Wave and region are no settings of an
/// overlay (one says when Argo CD syncs it, the other is Terraform's), so they may differ.
fn check_alike_clusters(spec: &GenSpec, tree: &Tree) -> Result<(), TestCaseError> {
    for (e, env) in spec.envs.iter().enumerate() {
        for (a, first) in env.clusters.iter().enumerate() {
            for (b, second) in env.clusters.iter().enumerate().skip(a + 1) {
                if first.replicas != second.replicas
                    || first.zones != second.zones
                    || first.own_domain
                    || second.own_domain
                {
                    continue;
                }
                for service in &spec.services {
                    let own = |c: usize| {
                        service.cluster_release == Some((e, c))
                            || service.cluster_replicas.is_some_and(|(at, _)| at == (e, c))
                    };
                    if own(a) || own(b) {
                        continue;
                    }
                    let files = |cluster: &Cluster| -> BTreeMap<String, String> {
                        let dir = format!(
                            "apps/{}/overlays/{}/{}/",
                            service.name, env.name, cluster.name
                        );
                        tree.under(&dir)
                            .map(|(path, bytes)| {
                                (
                                    path.strip_prefix(&dir).unwrap().to_owned(),
                                    String::from_utf8(bytes.to_vec()).unwrap(),
                                )
                            })
                            .collect()
                    };
                    let (from, to) = (files(first), files(second));
                    prop_assert_eq!(
                        from.keys().collect::<Vec<_>>(),
                        to.keys().collect::<Vec<_>>(),
                        "files of {} in {} and {}",
                        service.name,
                        first.name,
                        second.name
                    );
                    for (file, text) in &from {
                        // A file beside the spec is copied as it is, into every place it is
                        // listed for: alike clusters hold the same bytes.
                        if file.starts_with("from-spec/") {
                            prop_assert_eq!(text, &to[file], "{} of {}", file, service.name);
                            continue;
                        }
                        let swapped = swap_cluster(text, &env.name, &first.name, &second.name);
                        prop_assert!(
                            swapped.is_some(),
                            "{} of {} in {}/{}: no header naming the cluster, or not one cluster label",
                            file,
                            service.name,
                            env.name,
                            first.name
                        );
                        prop_assert_eq!(
                            swapped.unwrap(),
                            to[file].clone(),
                            "{} of {} in {}/{} and {}",
                            file,
                            service.name,
                            env.name,
                            first.name,
                            second.name
                        );
                    }
                }
            }
        }
    }
    Ok(())
}

/// An overlay file of cluster `from` as cluster `to` would have it: its header names the
/// other place, and a kustomization's one `fleetc.io/cluster` label the other cluster. `None`
/// when the header does not name `from`, or a kustomization has not exactly one such label.
fn swap_cluster(text: &str, env: &str, from: &str, to: &str) -> Option<String> {
    let (header, body) = text.split_once('\n')?;
    let place = format!(" in {env}/{from})");
    if !header.starts_with('#') || !header.contains(&place) {
        return None;
    }
    let header = header.replacen(&place, &format!(" in {env}/{to})"), 1);
    let label = format!("fleetc.io/cluster: {from}");
    let labels = body.lines().filter(|l| l.trim() == label).count();
    let is_kustomization = body.contains("\nkind: Kustomization\n");
    if labels != usize::from(is_kustomization) {
        return None;
    }
    let body: Vec<String> = body
        .split('\n')
        .map(|line| {
            if line.trim() == label {
                line.replacen(&label, &format!("fleetc.io/cluster: {to}"), 1)
            } else {
                line.to_owned()
            }
        })
        .collect();
    Some(format!("{header}\n{}", body.join("\n")))
}

/// The image patterns of every place's policies (each cluster holds its own): place → (rule,
/// pattern).
fn image_rules(docs: &Documents) -> BTreeMap<String, Vec<(String, String)>> {
    let mut rules: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (path, doc) in docs.iter().filter(|(p, _)| p.ends_with("/policies.yaml")) {
        let env = place_of(path).unwrap();
        for rule in doc["spec"]["rules"].as_array().unwrap() {
            if let Some(pattern) = rule
                .pointer("/validate/pattern/spec/containers/0/image")
                .and_then(Value::as_str)
            {
                let name = rule["name"].as_str().unwrap().to_owned();
                rules
                    .entry(env.clone())
                    .or_default()
                    .push((name, pattern.to_owned()));
            }
        }
    }
    rules
}

/// What each image rule must say of an image from the spec's registry, port or not, and
/// of the images the overlays run.
fn check_image_rules(spec: &GenSpec, docs: &Documents) -> Result<(), TestCaseError> {
    let registry = &spec.registry;
    let image = format!("{registry}/estate/svc");
    // (image, approved registry, tagged, not latest, digested)
    let cases = [
        (format!("{image}:1.0.0@{DIGEST}"), true, true, true, true),
        (format!("{image}:1.0.0"), true, true, true, false),
        (image.clone(), true, false, true, false),
        (format!("{image}@{DIGEST}"), true, false, true, true),
        (format!("{image}:latest"), true, true, false, false),
        (format!("{image}:latest@{DIGEST}"), true, true, false, true),
        (
            format!("other.example:5000/estate/svc:1.0.0@{DIGEST}"),
            false,
            true,
            true,
            true,
        ),
        (
            format!("{registry}.evil.example/svc:1.0.0@{DIGEST}"),
            false,
            true,
            true,
            true,
        ),
        ("busybox:1.36".to_owned(), false, true, true, false),
        ("busybox".to_owned(), false, false, true, false),
    ];
    let rules = image_rules(docs);
    let mut seen = BTreeSet::new();
    for (env, rules) in &rules {
        for (name, pattern) in rules {
            seen.insert(name.clone());
            for (image, registry_ok, tagged, not_latest, digested) in &cases {
                let expected = match name.as_str() {
                    "approved-registry" => *registry_ok,
                    "require-tag" => *tagged,
                    "disallow-latest" => *not_latest,
                    "require-digest" => *digested,
                    other => {
                        return Err(TestCaseError::fail(format!("unknown image rule {other}")));
                    }
                };
                prop_assert_eq!(
                    kyverno_matches(pattern, image),
                    expected,
                    "{}: {} `{}` on {}",
                    env,
                    name,
                    pattern,
                    image
                );
            }
        }
    }
    prop_assert_eq!(seen.len(), 4, "{:?}", seen);
    let places: BTreeSet<&String> = rules.keys().collect();
    let expected = spec.places();
    prop_assert_eq!(places, expected.iter().collect(), "places with image rules");
    for (path, doc) in docs {
        for op in doc.as_array().into_iter().flatten() {
            if op["path"].as_str().is_some_and(|p| p.ends_with("/image")) {
                let image = op["value"].as_str().unwrap();
                let place = place_of(path).unwrap();
                for (name, pattern) in &rules[&place] {
                    prop_assert!(
                        kyverno_matches(pattern, image),
                        "{} runs {}, refused by {}",
                        path,
                        image,
                        name
                    );
                }
            }
        }
    }
    Ok(())
}

/// Every Ingress of an environment with an issuer reads the Secret of a Certificate of that
/// environment covering its hosts; no two environments write one ClusterIssuer.
fn check_certificates(spec: &GenSpec, docs: &Documents) -> Result<(), TestCaseError> {
    let with: Vec<&str> = spec
        .envs
        .iter()
        .filter(|env| env.issuer != 0)
        .map(|env| env.name.as_str())
        .collect();
    common::certificates::check(docs.iter().map(|(p, d)| (p.as_str(), d)), &with)
        .map_err(|problem| TestCaseError::fail(format!("{problem}\n{}", spec.text())))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, max_shrink_iters: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_generated_tree_keeps_the_rules_of_its_consumers(spec in gen_spec()) {
        let (spec, tree) = compile_at_limits(spec)?;
        let docs = yaml_documents(&tree);
        check_names(&docs)?;
        check_owners(&spec, &tree, &docs)?;
        check_subjects(&tree)?;
        check_image_rules(&spec, &docs)?;
        check_manifest_paths(&tree, &docs)?;
        let unparsable = common::promql::unparsable(docs.iter().map(|(_, doc)| doc));
        prop_assert!(unparsable.is_empty(), "PromQL Prometheus refuses: {:#?}", unparsable);
        let unscoped = common::promql::unscoped(docs.iter().map(|(_, doc)| doc));
        prop_assert!(unscoped.is_empty(), "PromQL across environments: {:#?}", unscoped);
        let wiring = common::promql::analysis_wiring(&tree);
        prop_assert!(wiring.is_empty(), "analysis arguments: {:#?}", wiring);
        check_secret_wiring(&docs)?;
        check_certificates(&spec, &docs)?;
        check_watched(&tree, &docs)?;
        check_clusters(&spec, &tree, &docs)?;
        check_cluster_releases(&spec, &tree)?;
        check_alike_clusters(&spec, &tree)?;
        check_port_wiring(&tree)?;
        check_config_wiring(&tree)?;
        check_policies(&tree)?;
    }
}

/// Every ConfigMap a rendered workload mounts is deployed with it, and holds every key its
/// containers mount alone.
fn check_config_wiring(tree: &Tree) -> Result<(), TestCaseError> {
    let mut renderer = fleetc::Renderer::new(tree);
    for overlay in fleetc::overlays(tree) {
        if !overlay.starts_with("apps/") {
            continue;
        }
        let docs = renderer.render(&overlay).expect("every overlay renders");
        let config_maps: BTreeMap<&str, &Value> = docs
            .iter()
            .filter(|d| d["kind"] == "ConfigMap")
            .filter_map(|d| Some((d["metadata"]["name"].as_str()?, &d["data"])))
            .collect();
        for pod in docs.iter().filter_map(|d| {
            d.pointer("/spec/template/spec")
                .or_else(|| d.pointer("/spec/jobTemplate/spec/template/spec"))
        }) {
            for volume in pod["volumes"].as_array().into_iter().flatten() {
                let Some(name) = volume["configMap"]["name"].as_str() else {
                    continue;
                };
                let data = config_maps.get(name);
                prop_assert!(
                    data.is_some(),
                    "{}: mounts {} it does not deploy",
                    overlay,
                    name
                );
                let mounts = pod["containers"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|c| c["volumeMounts"].as_array().into_iter().flatten())
                    .filter(|m| m["name"] == volume["name"]);
                for mount in mounts {
                    prop_assert_eq!(&mount["readOnly"], &Value::Bool(true), "{}", overlay);
                    let key = mount["subPath"].as_str().unwrap_or("");
                    prop_assert!(
                        data.is_some_and(|d| d.get(key).is_some()),
                        "{}: {} holds no {}",
                        overlay,
                        name,
                        key
                    );
                }
            }
        }
    }
    Ok(())
}

/// Every workload passes the Kyverno policies of the place it runs, as Argo CD applies it:
/// the security each service asks for, under the exceptions that grant it.
fn check_policies(tree: &Tree) -> Result<(), TestCaseError> {
    let judgement = crate::policies::judge_tree(tree);
    prop_assert!(judgement.failures.is_empty(), "{:#?}", judgement.failures);
    let told: Vec<&String> = judgement
        .violations
        .iter()
        .map(|(_, _, told)| told)
        .collect();
    prop_assert!(told.is_empty(), "{:#?}", told);
    Ok(())
}

/// Every port a rendered overlay names by name is one its pods declare: the Services'
/// targets, the probes, the NetworkPolicy's ports, the Ingress backends (those of the
/// environment, checked against the Services); container port names and Service port
/// numbers are each used once.
fn check_port_wiring(tree: &Tree) -> Result<(), TestCaseError> {
    let mut renderer = fleetc::Renderer::new(tree);
    let mut service_ports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for overlay in fleetc::overlays(tree) {
        if !overlay.starts_with("apps/") {
            continue;
        }
        let docs = renderer.render(&overlay).expect("every overlay renders");
        let declared = declared_ports(&overlay, &docs)?;
        for doc in &docs {
            let kind = doc["kind"].as_str().unwrap_or("");
            let name = doc["metadata"]["name"].as_str().unwrap_or("").to_owned();
            if kind == "Service" {
                let ports = doc["spec"]["ports"].as_array().cloned().unwrap_or_default();
                let numbers: BTreeSet<String> = ports
                    .iter()
                    .map(|p| format!("{}/{}", p["port"], p["protocol"]))
                    .collect();
                prop_assert_eq!(
                    numbers.len(),
                    ports.len(),
                    "{}: {} exposes a number twice",
                    overlay,
                    name
                );
                for port in &ports {
                    let target = port["targetPort"].as_str().unwrap_or("");
                    prop_assert!(
                        declared.contains(target),
                        "{}: {} targets {}",
                        overlay,
                        name,
                        target
                    );
                }
                service_ports
                    .entry(name)
                    .or_default()
                    .extend(names(doc, "/spec/ports"));
            }
            if kind == "NetworkPolicy" {
                for rule in doc["spec"]["ingress"].as_array().into_iter().flatten() {
                    for port in rule["ports"].as_array().into_iter().flatten() {
                        let port = port["port"].as_str().unwrap_or("");
                        prop_assert!(
                            declared.contains(port),
                            "{}: policy opens {}",
                            overlay,
                            port
                        );
                    }
                }
            }
        }
    }
    check_ingress_backends(tree, &service_ports)
}

/// The `name` of each entry of the list at `pointer`.
fn names(doc: &Value, pointer: &str) -> Vec<String> {
    doc.pointer(pointer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect()
}

/// The ports the pods of a rendered overlay declare, each named once, holding what the probes
/// check.
fn declared_ports(overlay: &str, docs: &[Value]) -> Result<BTreeSet<String>, TestCaseError> {
    let mut declared: BTreeSet<String> = BTreeSet::new();
    for doc in docs {
        let template = match doc["kind"].as_str() {
            Some("Deployment" | "Rollout" | "StatefulSet" | "Job") => "/spec/template",
            Some("CronJob") => "/spec/jobTemplate/spec/template",
            _ => continue,
        };
        let ports = names(doc, &format!("{template}/spec/containers/0/ports"));
        let unique: BTreeSet<&String> = ports.iter().collect();
        prop_assert_eq!(
            unique.len(),
            ports.len(),
            "{}: container ports named twice",
            overlay
        );
        let container = &doc
            .pointer(&format!("{template}/spec/containers/0"))
            .cloned()
            .unwrap_or_default();
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            for how in ["httpGet", "tcpSocket"] {
                if let Some(port) = container[probe][how]["port"].as_str() {
                    prop_assert!(
                        ports.iter().any(|p| p == port),
                        "{}: {} on {}",
                        overlay,
                        probe,
                        port
                    );
                }
            }
            if let Some(port) = container[probe]["grpc"]["port"].as_u64() {
                let numbers: Vec<u64> = container["ports"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|p| p["containerPort"].as_u64())
                    .collect();
                prop_assert!(
                    numbers.contains(&port),
                    "{}: gRPC probe on {}",
                    overlay,
                    port
                );
            }
        }
        declared.extend(ports);
    }
    Ok(declared)
}

/// Every Ingress backend names a port its Service exposes.
fn check_ingress_backends(
    tree: &Tree,
    service_ports: &BTreeMap<String, BTreeSet<String>>,
) -> Result<(), TestCaseError> {
    for (path, _) in tree
        .iter()
        .filter(|(p, _)| p.ends_with("ingress.yaml") || p.ends_with("ingress-preview.yaml"))
    {
        let text = String::from_utf8_lossy(tree.get(path).unwrap()).into_owned();
        for doc in fleetc::parse_documents(&text).unwrap() {
            for rule in doc["spec"]["rules"].as_array().into_iter().flatten() {
                for entry in rule["http"]["paths"].as_array().into_iter().flatten() {
                    let backend = &entry["backend"]["service"];
                    let service = backend["name"].as_str().unwrap_or("");
                    let port = backend["port"]["name"].as_str().unwrap_or("");
                    prop_assert!(
                        service_ports
                            .get(service)
                            .is_some_and(|ports| ports.contains(port)),
                        "{}: {} has no port {}",
                        path,
                        service,
                        port
                    );
                }
            }
        }
    }
    Ok(())
}

/// Every service Prometheus scrapes is alerted on and drawn in every environment it runs
/// in, and no alert watches a service nothing scrapes (it would report it down forever): the
/// rules and dashboards of a service sit beside a ServiceMonitor, and its pods open a metrics
/// port only when something scrapes them.
fn check_watched(tree: &Tree, docs: &Documents) -> Result<(), TestCaseError> {
    let has = |path: String| tree.get(&path).is_some();
    for overlay in fleetc::overlays(tree) {
        let Some((base, _)) = overlay.split_once("/overlays/") else {
            continue;
        };
        let scraped = has(format!("{base}/base/servicemonitor.yaml"));
        for file in ["prometheusrule.yaml", "dashboard.yaml"] {
            prop_assert_eq!(
                has(format!("{overlay}/{file}")),
                scraped,
                "{}/{} beside a ServiceMonitor: {}",
                overlay,
                file,
                scraped
            );
        }
        prop_assert_eq!(has(format!("{base}/base/service-metrics.yaml")), scraped);
    }
    for (path, doc) in docs {
        let Some(service) = path.strip_prefix("apps/").and_then(|p| p.split('/').next()) else {
            continue;
        };
        let scraped = has(format!("apps/{service}/base/servicemonitor.yaml"));
        let ports = doc
            .pointer("/spec/template/spec/containers/0/ports")
            .and_then(Value::as_array);
        if let Some(ports) = ports {
            let opens = ports.iter().any(|p| p["name"] == "metrics");
            prop_assert!(
                !opens || scraped,
                "{path} opens a metrics port nothing scrapes"
            );
        }
    }
    Ok(())
}

/// Every variable read from a Secret reads one its own overlay's ExternalSecret writes, under
/// a key it writes; every ExternalSecret reads its environment's ClusterSecretStore, which
/// only that environment's namespace may use.
fn check_secret_wiring(docs: &Documents) -> Result<(), TestCaseError> {
    let folder = |path: &str| path.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned();
    let mut written: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut stores: BTreeMap<String, (String, Vec<Value>)> = BTreeMap::new();
    for (path, doc) in docs {
        if doc["kind"] == "ExternalSecret" {
            let target = doc["spec"]["target"]["name"].as_str().unwrap().to_owned();
            for entry in doc["spec"]["data"].as_array().unwrap() {
                let key = entry["secretKey"].as_str().unwrap().to_owned();
                written
                    .entry(folder(path))
                    .or_default()
                    .push((target.clone(), key));
            }
        }
        if doc["kind"] == "ClusterSecretStore" {
            let env = place_of(path).unwrap_or_default();
            let namespaces = doc["spec"]["conditions"][0]["namespaces"]
                .as_array()
                .unwrap()
                .clone();
            stores.insert(
                env,
                (
                    doc["metadata"]["name"].as_str().unwrap().to_owned(),
                    namespaces,
                ),
            );
        }
    }
    prop_assert!(
        !written.is_empty(),
        "every generated service reads a secret"
    );
    for (path, doc) in docs {
        if doc["kind"] == "ExternalSecret" {
            let env = place_of(path).unwrap_or_default();
            let store = stores.get(&env);
            prop_assert!(
                store.is_some(),
                "{} reads a store {} does not have",
                path,
                env
            );
            let (name, namespaces) = store.unwrap();
            prop_assert_eq!(
                &doc["spec"]["secretStoreRef"]["name"],
                &Value::String(name.clone()),
                "{}",
                path
            );
            let kustomization = docs
                .iter()
                .find(|(p, d)| {
                    *p == format!("{}/kustomization.yaml", folder(path))
                        && d["kind"] == "Kustomization"
                })
                .map(|(_, d)| d["namespace"].clone());
            prop_assert!(
                kustomization.is_some_and(|ns| namespaces.contains(&ns)),
                "{} is in a namespace its store does not serve",
                path
            );
        }
        for reference in secret_key_refs(doc) {
            let own = written.get(&folder(path));
            prop_assert!(
                own.is_some_and(|w| w.contains(&reference)),
                "{} reads {:?}, which its overlay's ExternalSecret does not write",
                path,
                reference
            );
        }
    }
    Ok(())
}

/// Every `secretKeyRef` in a document, as (Secret, key).
fn secret_key_refs(value: &Value) -> Vec<(String, String)> {
    match value {
        Value::Object(map) => {
            let mut found: Vec<(String, String)> = map.values().flat_map(secret_key_refs).collect();
            if let Some(reference) = map.get("secretKeyRef") {
                found.push((
                    reference["name"].as_str().unwrap_or_default().to_owned(),
                    reference["key"].as_str().unwrap_or_default().to_owned(),
                ));
            }
            found
        }
        Value::Array(items) => items.iter().flat_map(secret_key_refs).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn the_kyverno_reader_follows_kyverno() {
    let cases: BTreeMap<(&str, &str), bool> = [
        (("*:*", "r:5000/a/b"), true),
        (("!*:latest", "a/b:latest"), false),
        (("a | b", "b"), true),
        (("*a* & !*b*", "xa"), true),
        (("*a* & !*b*", "ab"), false),
        (("?", "ab"), false),
    ]
    .into_iter()
    .collect();
    for ((pattern, value), expected) in cases {
        assert_eq!(
            kyverno_matches(pattern, value),
            expected,
            "{pattern} on {value}"
        );
    }
}

/// A small spec: `acme`, the given environments, two teams sharing `@gen/a`, two services
/// built from one repository.
fn example(envs: Vec<Env>) -> GenSpec {
    GenSpec {
        enterprise: "acme".to_owned(),
        registry: "harbor.example.com:8443".to_owned(),
        envs,
        teams: vec![("web".to_owned(), vec![0, 1]), ("api".to_owned(), vec![0])],
        base: "python".to_owned(),
        services: ["shop", "cart"]
            .into_iter()
            .enumerate()
            .map(|(i, name)| Service {
                name: name.to_owned(),
                team: i,
                shared_repository: true,
                strategy: "blue-green",
                releasing: false,
                scraped: true,
                cluster_replicas: None,
                cluster_release: None,
                ports: i,
                kind: "deployment",
                security: 0,
                extras: 0,
            })
            .collect(),
        branches: vec!["main"],
    }
}

fn env(name: &str, production: bool, approvers: &[usize]) -> Env {
    Env {
        name: name.to_owned(),
        production,
        approvers: approvers.iter().map(|&i| Some(i)).collect(),
        issuer: 0,
        manual: false,
        clusters: Vec::new(),
        pod_security: 0,
        zones: false,
    }
}

fn build(spec: &GenSpec) -> Tree {
    compile(&Source::new("enterprise.toml", spec.text()), today())
        .unwrap_or_else(|d| panic!("{d:#?}\n{}", spec.text()))
        .tree
}

fn run(check: Result<(), TestCaseError>) {
    if let Err(error) = check {
        panic!("{error}");
    }
}

#[test]
fn two_production_environments_each_own_their_own_files() {
    let spec = example(vec![
        env("staging", false, &[3]),
        env("prod-eu", true, &[1]),
        env("prod-us", true, &[2]),
    ]);
    let tree = build(&spec);
    let codeowners = std::str::from_utf8(tree.get("CODEOWNERS").unwrap()).unwrap();
    let rules = common::codeowners::Codeowners::parse(codeowners);
    let owners = |path: &str| rules.owners(&format!("generated/{path}"));
    assert_eq!(
        owners("apps/shop/overlays/prod-eu/kustomization.yaml"),
        [PLATFORM, "@gen/b"]
    );
    assert_eq!(
        owners("apps/shop/overlays/prod-us/kustomization.yaml"),
        [PLATFORM, "@gen/c"]
    );
    assert_eq!(owners("envs/prod-us/policies.yaml"), [PLATFORM, "@gen/c"]);
    assert_eq!(owners("argocd/projects/prod-eu.yaml"), [PLATFORM, "@gen/b"]);
    assert_eq!(owners("argocd/root.yaml"), [PLATFORM, "@gen/b", "@gen/c"]);
    run(check_owners(&spec, &tree, &yaml_documents(&tree)));
}

#[test]
fn a_staging_approver_is_asked_to_review_staging() {
    let spec = example(vec![env("staging", false, &[3]), env("prod", true, &[1])]);
    let tree = build(&spec);
    let codeowners = std::str::from_utf8(tree.get("CODEOWNERS").unwrap()).unwrap();
    let rules = common::codeowners::Codeowners::parse(codeowners);
    let owners = |path: &str| rules.owners(&format!("generated/{path}"));
    assert_eq!(
        owners("apps/shop/overlays/staging/kustomization.yaml"),
        ["@gen/a", "@gen/b", "@alice"]
    );
    assert_eq!(owners("envs/staging/ingress.yaml"), [PLATFORM, "@alice"]);
    assert_eq!(owners("apps/shop/base/service.yaml"), ["@gen/a", "@gen/b"]);
}

#[test]
fn teams_sharing_an_owner_list_its_group_once() {
    let tree = build(&example(vec![
        env("dev", false, &[]),
        env("prod", true, &[0, 0]),
    ]));
    run(check_names(&yaml_documents(&tree)));
}

#[test]
fn services_sharing_a_repository_list_each_oidc_subject_once() {
    let tree = build(&example(vec![
        env("dev", false, &[]),
        env("prod", true, &[]),
    ]));
    run(check_subjects(&tree));
}

#[test]
fn an_untagged_image_from_a_registry_with_a_port_is_refused() {
    let spec = example(vec![env("dev", false, &[]), env("prod", true, &[])]);
    let tree = build(&spec);
    let rules = image_rules(&yaml_documents(&tree));
    let (_, tagged) = rules["prod"]
        .iter()
        .find(|(name, _)| name == "require-tag")
        .unwrap();
    assert!(
        !kyverno_matches(tagged, "harbor.example.com:8443/estate/svc"),
        "{tagged}"
    );
    assert!(
        kyverno_matches(tagged, "harbor.example.com:8443/estate/svc:1.0.0"),
        "{tagged}"
    );
    run(check_image_rules(&spec, &yaml_documents(&tree)));
}

#[test]
fn a_service_with_two_exceptions_is_excluded_once() {
    let spec = example(vec![env("dev", false, &[]), env("prod", true, &[])]);
    let mut text = spec.text();
    for service in ["shop", "cart", "shop"] {
        let _ = write!(
            text,
            "\n[[exceptions]]\nservice = \"{service}\"\nbase = \"python:0.9\"\nexpires = \"2026-12-15\"\nticket = \"SEC-1\"\n"
        );
    }
    let tree = compile(&Source::new("enterprise.toml", text.clone()), today())
        .unwrap_or_else(|d| panic!("{d:#?}\n{text}"))
        .tree;
    let docs = yaml_documents(&tree);
    let excluded: Vec<&Value> = docs
        .iter()
        .filter_map(|(_, doc)| doc.pointer("/spec/rules"))
        .flat_map(|rules| rules.as_array().unwrap())
        .filter_map(|rule| {
            rule.pointer("/exclude/any/0/resources/selector/matchExpressions/0/values")
        })
        .collect();
    assert!(!excluded.is_empty());
    for values in excluded {
        assert_eq!(values, &serde_json::json!(["shop", "cart"]));
    }
}

/// Two long names joined by a short one, `<service>-<env>-<cluster>`, fill the room of an
/// Application name without either alone: the name blamed is asked to shrink below its length.
#[test]
fn a_name_too_long_beside_another_long_one_is_asked_to_shrink() {
    let long = |prefix: &str| format!("{prefix}{}", "a".repeat(54));
    let mut production = env("produs", true, &[]);
    production.clusters.push(Cluster {
        name: long("c"),
        wave: 0,
        replicas: None,
        own_domain: false,
        region: None,
        zones: false,
    });
    let mut spec = example(vec![env("dev", false, &[]), production]);
    spec.services[0].name = long("s");
    let Err(diagnostics) = compile(&Source::new("enterprise.toml", spec.text()), today()) else {
        panic!("a 118-character Application name compiles");
    };
    let limits: Vec<(String, usize)> = diagnostics
        .iter()
        .filter_map(|d| TOO_LONG.captures(&d.message))
        .map(|c| (c[1].to_owned(), c[2].parse().unwrap()))
        .collect();
    assert!(!limits.is_empty(), "{diagnostics:#?}");
    for (name, limit) in limits {
        assert!(limit < name.len(), "`{name}` may keep {limit} characters");
    }
}
